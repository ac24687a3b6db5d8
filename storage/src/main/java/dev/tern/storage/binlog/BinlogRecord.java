package dev.tern.storage.binlog;

import dev.tern.codecs.binlog.sbe.BinlogRecordDecoder;
import dev.tern.codecs.binlog.sbe.MessageHeaderDecoder;
import dev.tern.codecs.binlog.sbe.RecordType;
import dev.tern.codecs.binlog.sbe.RowOp;
import dev.tern.storage.ResultCode;
import dev.tern.storage.memory.Crc32cChecksum;
import dev.tern.storage.memory.NativeMemory;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A reusable read-only view of one binlog frame (see {@code binlog-schema.xml}): a CRC32C followed by one
 * {@code BinlogRecord} SBE message. {@link #wrap} checks the checksum and walks every length in the message against
 * the frame before anything is read, so a damaged or lying frame is refused instead of decoded.
 * <p>
 * Rows of a TABLE_OPS record are read with a cursor: {@link #resetRows()}, then {@link #nextRow()} until it returns
 * false. Offsets returned are into {@link #buffer()}. The view is valid while the wrapped bytes are. Not thread-safe.
 */
public final class BinlogRecord
{
    public static final int CHECKSUM_OFFSET = 0;
    public static final int MESSAGE_OFFSET = 4;
    /** Record types from this value up belong to the replication layer. */
    public static final int REPLICATION_TYPE_MIN = 64;
    public static final int KV_PUT = RecordType.KV_PUT.value();
    public static final int KV_DELETE = RecordType.KV_DELETE.value();
    public static final int TABLE_OPS = RecordType.TABLE_OPS.value();
    public static final int TABLE_DELETE = RecordType.TABLE_DELETE.value();
    public static final int SNAPSHOT_MARK = RecordType.SNAPSHOT_MARK.value();
    public static final int VALUE_NOOP = RecordType.VALUE_NOOP.value();
    public static final int VALUE_KV_PUT = RecordType.VALUE_KV_PUT.value();
    public static final int VALUE_KV_DELETE = RecordType.VALUE_KV_DELETE.value();
    public static final int VALUE_TABLE_OPS = RecordType.VALUE_TABLE_OPS.value();
    public static final int PROMISE = RecordType.PROMISE.value();
    public static final int ACCEPTED = RecordType.ACCEPTED.value();
    public static final int COMMIT = RecordType.COMMIT.value();
    public static final int INSTALL = RecordType.INSTALL.value();
    public static final int ROW_PUT = RowOp.PUT.value();
    public static final int ROW_DELETE = RowOp.DELETE.value();
    public static final int ROW_APPEND = RowOp.APPEND.value();
    public static final int ROW_CLEAR = RowOp.CLEAR.value();
    /** SNAPSHOT_MARK flag: the snapshot was installed from another node. */
    public static final long MARK_INSTALLED = 1;
    public static final int MARK_VALUE_LENGTH = 16;

    static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    static final int GROUP_HEADER_LENGTH = BinlogRecordDecoder.RowsDecoder.HEADER_SIZE;
    static final int KEY_HEADER_LENGTH = BinlogRecordDecoder.keyHeaderLength();
    static final int VALUE_HEADER_LENGTH = BinlogRecordDecoder.valueHeaderLength();
    /** Bytes of a frame with no rows, an empty key and an empty value. */
    public static final int MIN_FRAME_LENGTH = MESSAGE_OFFSET + HEADER_LENGTH + BinlogRecordDecoder.BLOCK_LENGTH +
        GROUP_HEADER_LENGTH + KEY_HEADER_LENGTH + VALUE_HEADER_LENGTH;
    /** Frame bytes of a row beyond its key and value. */
    public static final int ROW_OVERHEAD = BinlogRecordDecoder.RowsDecoder.sbeBlockLength() + KEY_HEADER_LENGTH +
        VALUE_HEADER_LENGTH;
    private static final int ROW_VERSION_OFFSET = BinlogRecordDecoder.RowsDecoder.rowVersionEncodingOffset();

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int MAX_PADDING = 7;

    private final Crc32cChecksum crc = new Crc32cChecksum();
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int blockOffset;
    private int rowsOffset;
    private int rowBlockLength;
    private int rowCount;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;

    private int rowIndex;
    private int rowCursor;
    private int rowOp;
    private long rowVersion;
    private int rowKeyOffset;
    private int rowKeyLength;
    private int rowValueOffset;
    private int rowValueLength;

    /**
     * Check a frame and point this view at it.
     *
     * @param buffer holding the frame.
     * @param offset where the frame (its checksum) starts.
     * @param length bytes of the frame; up to 7 bytes of trailing padding are allowed.
     * @return {@link ResultCode#OK}, {@link ResultCode#INVALID_RECORD} or {@link ResultCode#CHECKSUM_MISMATCH}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        return wrap(buffer, offset, length, true);
    }

    /**
     * Check the frame that starts at {@code offset} and point this view at it, when its end is not known: the frame
     * may be followed by anything within {@code available}.
     *
     * @return as {@link #wrap(DirectBuffer, int, int)}.
     */
    public int wrapPrefix(final DirectBuffer buffer, final int offset, final int available)
    {
        return wrap(buffer, offset, available, false);
    }

    private int wrap(final DirectBuffer buffer, final int offset, final int length, final boolean exact)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = 0;
        if (length < MIN_FRAME_LENGTH || offset < 0 || (long)offset + length > buffer.capacity())
        {
            return ResultCode.INVALID_RECORD;
        }
        final int end = offset + length;
        final int header = offset + MESSAGE_OFFSET;
        final int blockLength = buffer.getShort(header, ORDER) & 0xFFFF;
        if (blockLength < BinlogRecordDecoder.BLOCK_LENGTH ||
            (buffer.getShort(header + 2, ORDER) & 0xFFFF) != BinlogRecordDecoder.TEMPLATE_ID ||
            (buffer.getShort(header + 4, ORDER) & 0xFFFF) != BinlogRecordDecoder.SCHEMA_ID)
        {
            return ResultCode.INVALID_RECORD;
        }
        blockOffset = header + HEADER_LENGTH;
        int position = blockOffset + blockLength;
        if (position + GROUP_HEADER_LENGTH > end)
        {
            return ResultCode.INVALID_RECORD;
        }
        rowsOffset = position;
        rowBlockLength = buffer.getShort(position, ORDER) & 0xFFFF;
        rowCount = buffer.getShort(position + 2, ORDER) & 0xFFFF;
        position += GROUP_HEADER_LENGTH;
        if (rowCount > 0 && rowBlockLength < 1)
        {
            return ResultCode.INVALID_RECORD;
        }
        for (int i = 0; i < rowCount; i++)
        {
            position = skipRow(position, end);
            if (position < 0)
            {
                return ResultCode.INVALID_RECORD;
            }
        }
        if (position + KEY_HEADER_LENGTH > end)
        {
            return ResultCode.INVALID_RECORD;
        }
        keyLength = buffer.getShort(position, ORDER) & 0xFFFF;
        keyOffset = position + KEY_HEADER_LENGTH;
        position = keyOffset + keyLength;
        if (position + VALUE_HEADER_LENGTH > end || position < 0)
        {
            return ResultCode.INVALID_RECORD;
        }
        valueLength = buffer.getInt(position, ORDER);
        valueOffset = position + VALUE_HEADER_LENGTH;
        if (valueLength < 0 || (long)valueOffset + valueLength > end)
        {
            return ResultCode.INVALID_RECORD;
        }
        final int messageEnd = valueOffset + valueLength;
        if (exact && end - messageEnd > MAX_PADDING)
        {
            return ResultCode.INVALID_RECORD;
        }
        if (buffer.getInt(offset + CHECKSUM_OFFSET, ORDER) != crc.compute(buffer, header, messageEnd - header))
        {
            return ResultCode.CHECKSUM_MISMATCH;
        }
        this.length = messageEnd - offset;
        resetRows();
        return ResultCode.OK;
    }

    /** @return the buffer holding the frame; offsets returned by this view are into it. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return where the frame starts in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** @return the frame's length without trailing padding; 0 when the last wrap failed. */
    public int length()
    {
        return length;
    }

    /** @return the raw record type: a {@link RecordType} value below 64, the replication layer's from 64. */
    public int type()
    {
        return buffer.getByte(blockOffset + BinlogRecordDecoder.recordTypeEncodingOffset()) & 0xFF;
    }

    /** @return the key's new version after this record (0 for a mark). */
    public long version()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.versionEncodingOffset(), ORDER);
    }

    /** @return the replication ballot that decided the version; 0 for a local write. */
    public long ballot()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.ballotEncodingOffset(), ORDER);
    }

    /** @return replication: the key's slot the record is about; 0 for local writes. */
    public long slot()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.slotEncodingOffset(), ORDER);
    }

    /** @return replication: the record's index in its author's binlog; 0 when not part of an authored stream. */
    public long authorIndex()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.authorIndexEncodingOffset(), ORDER);
    }

    /**
     * @param type a record type.
     * @return the storage mutation a record of that type applies: the type itself for storage types, the storage type
     * of a replication VALUE_KV_PUT, VALUE_KV_DELETE or VALUE_TABLE_OPS; 0 for anything else.
     */
    public static int mutationType(final int type)
    {
        if (type == KV_PUT || type == KV_DELETE || type == TABLE_OPS || type == TABLE_DELETE)
        {
            return type;
        }
        if (type == VALUE_KV_PUT || type == VALUE_KV_DELETE || type == VALUE_TABLE_OPS)
        {
            return type - REPLICATION_TYPE_MIN;
        }
        return 0;
    }

    /** @return the requesting client, 0 when none. */
    public long clientId()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.clientIdEncodingOffset(), ORDER);
    }

    /** @return the client's request sequence number. */
    public long requestSequence()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.requestSequenceEncodingOffset(), ORDER);
    }

    /** @return when the record was created, ns since the epoch. */
    public long timestampNs()
    {
        return buffer.getLong(blockOffset + BinlogRecordDecoder.timestampNsEncodingOffset(), ORDER);
    }

    /** @return the node that created the record. */
    public int originNodeId()
    {
        return buffer.getInt(blockOffset + BinlogRecordDecoder.originNodeIdEncodingOffset(), ORDER);
    }

    /** @return where the key starts in {@link #buffer()}. */
    public int keyOffset()
    {
        return keyOffset;
    }

    /** @return the key's length. */
    public int keyLength()
    {
        return keyLength;
    }

    /** @return where the value starts in {@link #buffer()}. */
    public int valueOffset()
    {
        return valueOffset;
    }

    /** @return the value's length (0 for deletes and table records). */
    public int valueLength()
    {
        return valueLength;
    }

    /** @return rows of a TABLE_OPS record, 0 for other types. */
    public int rowCount()
    {
        return rowCount;
    }

    /** Put the row cursor before the first row. */
    public void resetRows()
    {
        rowIndex = 0;
        rowCursor = rowsOffset + GROUP_HEADER_LENGTH;
    }

    /**
     * Move the row cursor to the next row.
     *
     * @return false when there is no next row.
     */
    public boolean nextRow()
    {
        if (rowIndex >= rowCount)
        {
            return false;
        }
        rowOp = buffer.getByte(rowCursor) & 0xFF;
        rowVersion = rowBlockLength >= ROW_VERSION_OFFSET + 8 ? buffer.getLong(rowCursor + ROW_VERSION_OFFSET, ORDER) : 0;
        int position = rowCursor + rowBlockLength;
        rowKeyLength = buffer.getShort(position, ORDER) & 0xFFFF;
        rowKeyOffset = position + KEY_HEADER_LENGTH;
        position = rowKeyOffset + rowKeyLength;
        rowValueLength = buffer.getInt(position, ORDER);
        rowValueOffset = position + VALUE_HEADER_LENGTH;
        rowCursor = rowValueOffset + rowValueLength;
        rowIndex++;
        return true;
    }

    /** @return the current row's raw {@link RowOp} value. */
    public int rowOp()
    {
        return rowOp;
    }

    /** @return the version the current row keeps when set (installs); 0: the record's version. */
    public long rowVersion()
    {
        return rowVersion;
    }

    /** @return where the current row's key starts in {@link #buffer()}. */
    public int rowKeyOffset()
    {
        return rowKeyOffset;
    }

    /** @return the current row's key length. */
    public int rowKeyLength()
    {
        return rowKeyLength;
    }

    /** @return where the current row's value starts in {@link #buffer()}. */
    public int rowValueOffset()
    {
        return rowValueOffset;
    }

    /** @return the current row's value length (0 for DELETE). */
    public int rowValueLength()
    {
        return rowValueLength;
    }

    /**
     * Move the row cursor to the last row of the record whose key equals the given key (the row that won).
     *
     * @return false when no row has that key; the cursor is then at the end.
     */
    public boolean findLastRow(final DirectBuffer rowKey, final int index, final int length)
    {
        resetRows();
        int found = -1;
        while (nextRow())
        {
            if (rowKeyLength == length && 0 == NativeMemory.compare(
                buffer.byteArray(), buffer.addressOffset() + rowKeyOffset, length,
                rowKey.byteArray(), rowKey.addressOffset() + index, length))
            {
                found = rowIndex;
            }
        }
        if (found < 0)
        {
            return false;
        }
        resetRows();
        while (rowIndex < found)
        {
            nextRow();
        }
        return true;
    }

    private int skipRow(final int rowStart, final int end)
    {
        int position = rowStart + rowBlockLength;
        if (position + KEY_HEADER_LENGTH > end)
        {
            return -1;
        }
        final int rowKeyLength = buffer.getShort(position, ORDER) & 0xFFFF;
        position += KEY_HEADER_LENGTH + rowKeyLength;
        if (position + VALUE_HEADER_LENGTH > end)
        {
            return -1;
        }
        final int rowValueLength = buffer.getInt(position, ORDER);
        position += VALUE_HEADER_LENGTH;
        if (rowValueLength < 0 || (long)position + rowValueLength > end)
        {
            return -1;
        }
        return position + rowValueLength;
    }
}
