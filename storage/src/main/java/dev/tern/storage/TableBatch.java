package dev.tern.storage;

import dev.tern.storage.binlog.BinlogRecord;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A reusable list of row changes for one table, written atomically by
 * {@link StorageNode#writeTable(long, long, DirectBuffer, int, int, TableBatch, long)}: fill it with
 * {@link #put}, {@link #delete} and {@link #append} (applied in that order), write it, {@link #reset()} it.
 * The bytes are copied in, so the caller's buffers may be reused at once. Lengths are checked when the batch is
 * written, not here: a bad row makes the write return a rejection. Not thread-safe.
 * <p>
 * Encoding of each row in {@link #buffer()}, read by the store through the position methods:
 * <pre>
 *  | op (1) | row key length (4) | value length (4) | row key ... | value ... |
 * </pre>
 */
public final class TableBatch
{
    private static final int OP_OFFSET = 0;
    private static final int KEY_LENGTH_OFFSET = 1;
    private static final int VALUE_LENGTH_OFFSET = 5;
    private static final int ROW_HEADER_LENGTH = 9;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private int limit;
    private int rowCount;
    private long dataLength;
    private boolean invalid;

    /**
     * Empty the batch.
     *
     * @return this.
     */
    public TableBatch reset()
    {
        limit = 0;
        rowCount = 0;
        dataLength = 0;
        invalid = false;
        return this;
    }

    /**
     * Insert or replace a row.
     *
     * @return this.
     */
    public TableBatch put(
        final DirectBuffer rowKey, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        return add(BinlogRecord.ROW_PUT, rowKey, keyOffset, keyLength, value, valueOffset, valueLength);
    }

    /**
     * Remove a row if present.
     *
     * @return this.
     */
    public TableBatch delete(final DirectBuffer rowKey, final int keyOffset, final int keyLength)
    {
        return add(BinlogRecord.ROW_DELETE, rowKey, keyOffset, keyLength, rowKey, keyOffset, 0);
    }

    /**
     * Add a row at the end of the table: its key must sort after every row of the table and of this batch, else the
     * write is rejected with {@link ResultCode#ROW_KEY_NOT_LAST}. Cheaper than a put: no search.
     *
     * @return this.
     */
    public TableBatch append(
        final DirectBuffer rowKey, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        return add(BinlogRecord.ROW_APPEND, rowKey, keyOffset, keyLength, value, valueOffset, valueLength);
    }

    /** @return rows in the batch. */
    public int rowCount()
    {
        return rowCount;
    }

    /** @return whether a row was added with a negative length: the batch is then refused as a whole. */
    public boolean isInvalid()
    {
        return invalid;
    }

    /** @return the sum of the row keys' and values' lengths. */
    public long dataLength()
    {
        return dataLength;
    }

    /** @return the encoded rows, for the store. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the position of the first row, or -1 when empty. */
    public int firstRow()
    {
        return rowCount > 0 ? 0 : -1;
    }

    /** @return the position of the row after the one at {@code position}, or -1. */
    public int nextRow(final int position)
    {
        final int next = valueOffset(position) + valueLength(position);
        return next < limit ? next : -1;
    }

    /** @return the row operation at a position: a {@code RowOp} value. */
    public int op(final int position)
    {
        return buffer.getByte(position + OP_OFFSET);
    }

    /** @return the row key length at a position. */
    public int rowKeyLength(final int position)
    {
        return buffer.getInt(position + KEY_LENGTH_OFFSET);
    }

    /** @return where the row key at a position starts in {@link #buffer()}. */
    public int rowKeyOffset(final int position)
    {
        return position + ROW_HEADER_LENGTH;
    }

    /** @return the value length at a position. */
    public int valueLength(final int position)
    {
        return buffer.getInt(position + VALUE_LENGTH_OFFSET);
    }

    /** @return where the value at a position starts in {@link #buffer()}. */
    public int valueOffset(final int position)
    {
        return position + ROW_HEADER_LENGTH + rowKeyLength(position);
    }

    private TableBatch add(
        final int op, final DirectBuffer rowKey, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        if (keyLength < 0 || valueLength < 0)
        {
            invalid = true;
            return this;
        }
        buffer.putByte(limit + OP_OFFSET, (byte)op);
        buffer.putInt(limit + KEY_LENGTH_OFFSET, keyLength);
        buffer.putInt(limit + VALUE_LENGTH_OFFSET, valueLength);
        buffer.putBytes(limit + ROW_HEADER_LENGTH, rowKey, keyOffset, keyLength);
        buffer.putBytes(limit + ROW_HEADER_LENGTH + keyLength, value, valueOffset, valueLength);
        limit += ROW_HEADER_LENGTH + keyLength + valueLength;
        rowCount++;
        dataLength += keyLength + valueLength;
        return this;
    }
}
