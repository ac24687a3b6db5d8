package dev.tern.storage.client;

import dev.tern.codecs.replication.sbe.BooleanType;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.codecs.replication.sbe.RowOp;
import dev.tern.storage.ResultCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A simple blocking facade over {@link KvClient} for scripts, tools and tests: each call submits one request and
 * polls until it completes. Allocates; not for hot paths. Not thread-safe.
 */
public final class KvBlockingClient implements AutoCloseable
{
    private final KvClient client;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private KvResult last;
    private final KvResponseListener listener = this::onResponse;

    /**
     * @param client the client to drive; closed with this facade.
     */
    public KvBlockingClient(final KvClient client)
    {
        this.client = client;
    }

    public KvClient client()
    {
        return client;
    }

    public KvResult get(final byte[] key)
    {
        return await(client.get(buffer(key), 0, key.length, listener));
    }

    public KvResult put(final byte[] key, final byte[] value)
    {
        return await(client.put(buffer(key), 0, key.length, buffer(value), 0, value.length, listener));
    }

    public KvResult delete(final byte[] key)
    {
        return await(client.delete(buffer(key), 0, key.length, listener));
    }

    public KvResult putIfVersion(final byte[] key, final long expectedVersion, final byte[] value)
    {
        return await(client.putIfVersion(buffer(key), 0, key.length, expectedVersion, buffer(value), 0, value.length,
            listener));
    }

    public KvResult putIfAbsent(final byte[] key, final byte[] value)
    {
        return await(client.putIfAbsent(buffer(key), 0, key.length, buffer(value), 0, value.length, listener));
    }

    public KvResult rowGet(final byte[] key, final byte[] row)
    {
        return await(client.rowGet(buffer(key), 0, key.length, buffer(row), 0, row.length, listener));
    }

    public KvResult rowPut(final byte[] key, final byte[] row, final byte[] value)
    {
        return await(client.rowPut(buffer(key), 0, key.length, buffer(row), 0, row.length, buffer(value), 0,
            value.length, listener));
    }

    public KvResult rowDelete(final byte[] key, final byte[] row)
    {
        return await(client.rowDelete(buffer(key), 0, key.length, buffer(row), 0, row.length, listener));
    }

    public KvResult rowAppend(final byte[] key, final byte[] row, final byte[] value)
    {
        return await(client.rowAppend(buffer(key), 0, key.length, buffer(row), 0, row.length, buffer(value), 0,
            value.length, listener));
    }

    /**
     * @param end exclusive; empty for no end.
     */
    public KvResult scan(final byte[] key, final byte[] from, final byte[] end, final int limit)
    {
        return await(client.scan(buffer(key), 0, key.length, buffer(from), 0, from.length, buffer(end), 0,
            end.length, limit, listener));
    }

    /**
     * @param ops    one {@link RowOp} per change.
     * @param rows   the row keys.
     * @param values the row values (ignored for deletes).
     */
    public KvResult tableBatch(final byte[] key, final RowOp[] ops, final byte[][] rows, final byte[][] values)
    {
        return await(client.tableBatch(buffer(key), 0, key.length, new KvClient.TableBatch()
        {
            public int rowCount()
            {
                return ops.length;
            }

            public void row(final int index, final KvClient.RowChange row)
            {
                row.set(ops[index], buffer(rows[index]), 0, rows[index].length, buffer(values[index]), 0,
                    values[index].length);
            }
        }, listener));
    }

    private static DirectBuffer buffer(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes);
    }

    private KvResult await(final long correlationId)
    {
        if (correlationId < 0)
        {
            return new KvResult(ResultCode.BUSY, 0, new byte[0], List.of(), false);
        }
        last = null;
        while (null == last)
        {
            idle.idle(client.poll());
        }
        idle.reset();
        return last;
    }

    private void onResponse(final long correlationId, final int result, final long version,
        final KvResponseDecoder response)
    {
        final List<KvResult.Row> rows = new ArrayList<>();
        byte[] value = new byte[0];
        boolean more = false;
        if (null != response)
        {
            more = response.more() == BooleanType.TRUE;
            final KvResponseDecoder.RowsDecoder decoder = response.rows();
            while (decoder.hasNext())
            {
                decoder.next();
                final long rowVersion = decoder.rowVersion();
                final byte[] rowKey = new byte[decoder.rowKeyLength()];
                decoder.getRowKey(rowKey, 0, rowKey.length);
                final byte[] rowValue = new byte[decoder.rowValueLength()];
                decoder.getRowValue(rowValue, 0, rowValue.length);
                rows.add(new KvResult.Row(rowKey, rowValue, rowVersion));
            }
            value = new byte[response.valueLength()];
            response.getValue(value, 0, value.length);
        }
        last = new KvResult(result, version, value, List.copyOf(rows), more);
    }

    public void close()
    {
        client.close();
    }
}
