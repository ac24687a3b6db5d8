package dev.tern.engine.seq;

import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.engine.service.KvKeys;
import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResponseListener;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Sections' ceilings in KVSvr, one Key-Value record per section ({@link KvKeys#seqSection}), written by
 * compare-and-set on the record's version:
 * <pre>
 *    0                   8                   16                  24
 *   +-------------------+-------------------+-------------------+
 *   | ceiling           | owner             | leaseUntilMs      |
 *   | int64 big-endian  | int64 big-endian  | int64 big-endian  |
 *   +-------------------+-------------------+-------------------+
 * </pre>
 * A record of another length, or with a negative field, reads as {@link ResultCode#DATA_UNAVAILABLE}: the section
 * stays unavailable rather than hand out sequences it cannot prove unused.
 */
final class KvCeilingStore implements CeilingStore, KvResponseListener
{
    static final int RECORD_LENGTH = 24;
    private static final long WRITE = 1L << 32;

    private final KvClient client;
    private final Long2LongHashMap requests = new Long2LongHashMap(-1);
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(KvKeys.MAX_KEY_LENGTH);
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[RECORD_LENGTH]);
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);
    private Listener listener;

    /**
     * @param client the allocator's own KV client, polled by {@link #poll()}.
     */
    KvCeilingStore(final KvClient client)
    {
        this.client = client;
    }

    public boolean read(final int section, final Listener listener)
    {
        this.listener = listener;
        final long correlationId = client.get(key, 0, KvKeys.seqSection(key, section), this);
        if (correlationId < 0)
        {
            return false;
        }
        requests.put(correlationId, section & 0xFFFF_FFFFL);
        return true;
    }

    public boolean write(final int section, final long expectedVersion, final long ceiling, final long owner,
        final long leaseUntilMs, final Listener listener)
    {
        this.listener = listener;
        encode(record, ceiling, owner, leaseUntilMs);
        final int keyLength = KvKeys.seqSection(key, section);
        final long correlationId = 0 == expectedVersion ?
            client.putIfAbsent(key, 0, keyLength, record, 0, RECORD_LENGTH, this) :
            client.putIfVersion(key, 0, keyLength, expectedVersion, record, 0, RECORD_LENGTH, this);
        if (correlationId < 0)
        {
            return false;
        }
        requests.put(correlationId, WRITE | (section & 0xFFFF_FFFFL));
        return true;
    }

    public int poll()
    {
        return client.poll();
    }

    public void onResponse(final long correlationId, final int result, final long version,
        final KvResponseDecoder response)
    {
        final long request = requests.remove(correlationId);
        if (-1 == request)
        {
            return;
        }
        final int section = (int)request;
        if ((request & WRITE) != 0)
        {
            listener.onWritten(section, result, version);
            return;
        }
        if (ResultCode.OK != result || null == response)
        {
            listener.onRead(section, ResultCode.OK == result ? ResultCode.DATA_UNAVAILABLE : result, 0, 0, 0, 0);
            return;
        }
        final KvResponseDecoder.RowsDecoder rows = response.rows();
        while (rows.hasNext())
        {
            rows.next().skipRowKey();
            rows.skipRowValue();
        }
        response.wrapValue(value);
        final long ceiling = value.capacity() == RECORD_LENGTH ? value.getLong(0, ByteOrder.BIG_ENDIAN) : -1;
        final long owner = value.capacity() == RECORD_LENGTH ? value.getLong(8, ByteOrder.BIG_ENDIAN) : -1;
        final long leaseUntilMs = value.capacity() == RECORD_LENGTH ? value.getLong(16, ByteOrder.BIG_ENDIAN) : -1;
        if (ceiling < 0 || leaseUntilMs < 0)
        {
            listener.onRead(section, ResultCode.DATA_UNAVAILABLE, 0, 0, 0, 0);
            return;
        }
        listener.onRead(section, ResultCode.OK, version, ceiling, owner, leaseUntilMs);
    }

    /**
     * Write a section record.
     */
    static void encode(final MutableDirectBuffer dst, final long ceiling, final long owner, final long leaseUntilMs)
    {
        dst.putLong(0, ceiling, ByteOrder.BIG_ENDIAN);
        dst.putLong(8, owner, ByteOrder.BIG_ENDIAN);
        dst.putLong(16, leaseUntilMs, ByteOrder.BIG_ENDIAN);
    }
}
