package dev.tern.storage.snapshot;

import dev.tern.storage.ResultCode;
import dev.tern.storage.memory.Crc32cChecksum;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static dev.tern.storage.snapshot.SnapshotFormat.*;

/**
 * A checked read-only view of one snapshot frame (see {@link SnapshotFormat}). {@link #wrap} verifies the length and
 * checksum and that the body's own lengths fit the frame before any field is read. Not thread-safe.
 */
public final class SnapshotFrame
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final Crc32cChecksum crc = new Crc32cChecksum();
    private DirectBuffer buffer;
    private int frame;
    private int body;
    private int length;
    private byte type;

    /**
     * @param buffer    holding the frame.
     * @param offset    where the frame starts.
     * @param available bytes readable from {@code offset}.
     * @return {@link ResultCode#OK}, {@link ResultCode#INVALID_RECORD} or {@link ResultCode#CHECKSUM_MISMATCH}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int available)
    {
        this.buffer = buffer;
        this.frame = offset;
        this.body = offset + FRAME_HEADER_LENGTH;
        if (available < FRAME_HEADER_LENGTH)
        {
            return ResultCode.INVALID_RECORD;
        }
        length = buffer.getInt(offset + FRAME_LENGTH_OFFSET, ORDER);
        if (length < FRAME_HEADER_LENGTH || length > available)
        {
            return ResultCode.INVALID_RECORD;
        }
        if (buffer.getInt(offset + FRAME_CRC_OFFSET, ORDER) !=
            crc.compute(buffer, offset + FRAME_TYPE_OFFSET, length - FRAME_TYPE_OFFSET))
        {
            return ResultCode.CHECKSUM_MISMATCH;
        }
        type = buffer.getByte(offset + FRAME_TYPE_OFFSET);
        final int bodyLength = length - FRAME_HEADER_LENGTH;
        final boolean valid;
        switch (type)
        {
            case REQUEST:
                valid = bodyLength == REQUEST_BODY_LENGTH;
                break;
            case KEY:
                valid = bodyLength >= KEY_BODY_LENGTH && valueLength() >= 0 && (long)KEY_BODY_LENGTH + keyLength() + valueLength() == bodyLength;
                break;
            case TABLE:
                valid = bodyLength >= TABLE_BODY_LENGTH && TABLE_BODY_LENGTH + keyLength() == bodyLength && rowCount() >= 0;
                break;
            case ROW:
                valid = bodyLength >= ROW_BODY_LENGTH && valueLength() >= 0 && (long)ROW_BODY_LENGTH + keyLength() + valueLength() == bodyLength;
                break;
            case END:
                valid = bodyLength == END_BODY_LENGTH;
                break;
            default:
                valid = false;
        }
        return valid ? ResultCode.OK : ResultCode.INVALID_RECORD;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the frame's length in bytes. */
    public int length()
    {
        return length;
    }

    /** @return {@link SnapshotFormat#KEY}, {@link SnapshotFormat#TABLE} and so on. */
    public byte type()
    {
        return type;
    }

    /** KEY: the key's kind. */
    public byte kind()
    {
        return buffer.getByte(body);
    }

    /** KEY, TABLE: key length; ROW: row key length. */
    public int keyLength()
    {
        switch (type)
        {
            case KEY: return buffer.getShort(body + 1, ORDER) & 0xFFFF;
            case TABLE: return buffer.getShort(body, ORDER) & 0xFFFF;
            case ROW: return buffer.getShort(body, ORDER) & 0xFFFF;
            default: return 0;
        }
    }

    /** KEY, TABLE: key offset; ROW: row key offset, in {@link #buffer()}. */
    public int keyOffset()
    {
        switch (type)
        {
            case KEY: return body + KEY_BODY_LENGTH;
            case TABLE: return body + TABLE_BODY_LENGTH;
            case ROW: return body + ROW_BODY_LENGTH;
            default: return body;
        }
    }

    /** KEY, TABLE: the key's version; ROW: the row's version; REQUEST: the result's version. */
    public long version()
    {
        switch (type)
        {
            case KEY: return buffer.getLong(body + 3, ORDER);
            case TABLE: return buffer.getLong(body + 2, ORDER);
            case ROW: return buffer.getLong(body + 2, ORDER);
            case REQUEST: return buffer.getLong(body + 16, ORDER);
            default: return 0;
        }
    }

    /** KEY, TABLE: a metadata word, 0 to {@link SnapshotFormat#METADATA_WORDS} - 1. */
    public long metadata(final int word)
    {
        return buffer.getLong(body + (KEY == type ? KEY_METADATA_OFFSET : TABLE_METADATA_OFFSET) + word * 8, ORDER);
    }

    /** KEY, ROW: value length. */
    public int valueLength()
    {
        switch (type)
        {
            case KEY: return buffer.getInt(body + 11, ORDER);
            case ROW: return buffer.getInt(body + 10, ORDER);
            default: return 0;
        }
    }

    /** KEY, ROW: value offset in {@link #buffer()}. */
    public int valueOffset()
    {
        return keyOffset() + keyLength();
    }

    /** TABLE: rows that follow. */
    public long rowCount()
    {
        return buffer.getLong(body + 10, ORDER);
    }

    public long requestClientId()
    {
        return buffer.getLong(body, ORDER);
    }

    public long requestSequence()
    {
        return buffer.getLong(body + 8, ORDER);
    }

    public int requestCode()
    {
        return buffer.getInt(body + 24, ORDER);
    }

    /** END: counts written, in the order keys, rows, requests. */
    public long endCount(final int which)
    {
        return buffer.getLong(body + which * 8, ORDER);
    }
}
