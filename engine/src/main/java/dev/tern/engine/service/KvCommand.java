package dev.tern.engine.service;

import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResponseListener;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One KVSvr operation a stage asks for: the stage fills it on its thread, the service's I/O agent submits it to the
 * {@link KvClient} on its own (the client is single-threaded). The operands are copied in, so the stage may reuse
 * its buffers at once. Reused for every operation of an op; allocation-free once its buffers have grown.
 */
public final class KvCommand
{
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer row = new ExpandableArrayBuffer(16);
    private final ExpandableArrayBuffer rowEnd = new ExpandableArrayBuffer(16);
    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(128);
    private KvOp op;
    private int keyLength;
    private int rowLength;
    private int rowEndLength;
    private int valueLength;
    private long expectedVersion;
    private int limit;
    private long notAfterMs;

    /**
     * Never submit the operation at or after this time (ms since the epoch): the I/O agent completes it with
     * TIMEOUT instead, so that no attempt of it starts later (the KV client's own retries end a request timeout after
     * submission). Set after the operation; cleared by the next one.
     *
     * @param notAfterMs the last moment, exclusive; 0 for none.
     */
    public void notAfter(final long notAfterMs)
    {
        this.notAfterMs = notAfterMs;
    }

    /** @return the time from which the operation must not be submitted (ms since the epoch), or 0 for none. */
    public long notAfterMs()
    {
        return notAfterMs;
    }

    /** @return the operation set last, or null. */
    public KvOp op()
    {
        return op;
    }

    /** Read a key's value. */
    public void get(final DirectBuffer key, final int offset, final int length)
    {
        set(KvOp.GET, key, offset, length);
    }

    /** Write a key's value. */
    public void put(final DirectBuffer key, final int offset, final int length, final DirectBuffer value,
        final int valueOffset, final int valueLength)
    {
        set(KvOp.PUT, key, offset, length);
        value(value, valueOffset, valueLength);
    }

    /** Write a key's value unless the key exists (ALREADY_EXISTS). */
    public void putIfAbsent(final DirectBuffer key, final int offset, final int length, final DirectBuffer value,
        final int valueOffset, final int valueLength)
    {
        set(KvOp.PUT_IF_ABSENT, key, offset, length);
        value(value, valueOffset, valueLength);
    }

    /** Write a key's value if the key is at {@code expectedVersion} (VERSION_MISMATCH otherwise). */
    public void putIfVersion(final DirectBuffer key, final int offset, final int length, final long expectedVersion,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        set(KvOp.PUT_IF_VERSION, key, offset, length);
        this.expectedVersion = expectedVersion;
        value(value, valueOffset, valueLength);
    }

    /** Read a row of a table (NOT_FOUND when there is none). */
    public void rowGet(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength)
    {
        set(KvOp.ROW_GET, key, offset, length);
        row(row, rowOffset, rowLength);
    }

    /** Write a row of a table. */
    public void rowPut(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength, final DirectBuffer value, final int valueOffset,
        final int valueLength)
    {
        set(KvOp.ROW_PUT, key, offset, length);
        row(row, rowOffset, rowLength);
        value(value, valueOffset, valueLength);
    }

    /** Delete a row of a table (NOT_FOUND when there is none). */
    public void rowDelete(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength)
    {
        set(KvOp.ROW_DELETE, key, offset, length);
        row(row, rowOffset, rowLength);
    }

    /**
     * Rows from {@code from} (inclusive) to the end of the table, at most {@code limit} of them.
     */
    public void scan(final DirectBuffer key, final int offset, final int length, final DirectBuffer from,
        final int fromOffset, final int fromLength, final int limit)
    {
        set(KvOp.SCAN, key, offset, length);
        row(from, fromOffset, fromLength);
        this.limit = limit;
    }

    /**
     * Submit the operation: called by the I/O agent, which owns the client.
     *
     * @return the client's correlation id, or -1 when the client has its maximum in flight.
     */
    long submit(final KvClient client, final KvResponseListener listener)
    {
        switch (op)
        {
            case GET:
                return client.get(key, 0, keyLength, listener);
            case PUT:
                return client.put(key, 0, keyLength, value, 0, valueLength, listener);
            case PUT_IF_ABSENT:
                return client.putIfAbsent(key, 0, keyLength, value, 0, valueLength, listener);
            case PUT_IF_VERSION:
                return client.putIfVersion(key, 0, keyLength, expectedVersion, value, 0, valueLength, listener);
            case ROW_GET:
                return client.rowGet(key, 0, keyLength, row, 0, rowLength, listener);
            case ROW_PUT:
                return client.rowPut(key, 0, keyLength, row, 0, rowLength, value, 0, valueLength, listener);
            case ROW_DELETE:
                return client.rowDelete(key, 0, keyLength, row, 0, rowLength, listener);
            case SCAN:
                return client.scan(key, 0, keyLength, row, 0, rowLength, rowEnd, 0, rowEndLength, limit, listener);
            default:
                throw new IllegalStateException("unsupported KV operation " + op);
        }
    }

    private void set(final KvOp op, final DirectBuffer key, final int offset, final int length)
    {
        this.op = op;
        this.key.putBytes(0, key, offset, length);
        keyLength = length;
        rowLength = 0;
        rowEndLength = 0;
        valueLength = 0;
        expectedVersion = 0;
        limit = 0;
        notAfterMs = 0;
    }

    private void row(final DirectBuffer row, final int offset, final int length)
    {
        this.row.putBytes(0, row, offset, length);
        rowLength = length;
    }

    private void value(final DirectBuffer value, final int offset, final int length)
    {
        this.value.putBytes(0, value, offset, length);
        valueLength = length;
    }
}
