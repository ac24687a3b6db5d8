package dev.tern.engine.service.message;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The value of a timeline row ({@code i/<uin>}, row key = sequence): one message, or a tombstone for a sequence that
 * was allocated and will never hold one (a send that lost the race for its client message id). Big-endian:
 * <pre>
 *    0        1        2            4            8            12           16
 *   +--------+--------+------------+------------+------------+------------+
 *   | format | kind   | bodyLength | fromUin    | toUin      | durationMs |
 *   | = 1    | 0: tomb| uint16     | uint32     | uint32     | uint32     |
 *   +--------+--------+------------+------------+------------+------------+
 *   16                 24                 32                 40                 48
 *   +------------------+------------------+------------------+------------------+
 *   | clientMessageId  | storedAtMs       | epochFloorMs     | sizeBytes        |
 *   | int64            | int64            | int64, 0: none   | int64            |
 *   +------------------+------------------+------------------+------------------+
 *   48          50         51         52
 *   +-----------+----------+----------+--------+----------+-----------+
 *   | refLength | typeLen  | reserved | body   | mediaRef | mediaType |
 *   | uint16    | uint8    | 0        | bytes  | ASCII    | ASCII     |
 *   +-----------+----------+----------+--------+----------+-----------+
 * </pre>
 * {@code storedAtMs} is no earlier than the moment the row's sequence was allocated, and {@code epochFloorMs}, when
 * not 0, says every lower sequence of the timeline was allocated before it: the sync rule's two clocks.
 */
final class MessageRow
{
    static final byte FORMAT = 1;
    /** The kind of a tombstone. */
    static final int TOMBSTONE = 0;
    static final int KIND_OFFSET = 1;
    static final int BODY_LENGTH_OFFSET = 2;
    static final int FROM_OFFSET = 4;
    static final int TO_OFFSET = 8;
    static final int DURATION_OFFSET = 12;
    static final int CLIENT_MESSAGE_ID_OFFSET = 16;
    static final int STORED_AT_OFFSET = 24;
    static final int FLOOR_OFFSET = 32;
    static final int SIZE_OFFSET = 40;
    static final int REF_LENGTH_OFFSET = 48;
    static final int TYPE_LENGTH_OFFSET = 50;
    static final int HEADER_LENGTH = 52;
    /** Largest kind value. */
    static final int MAX_KIND = 4;

    private MessageRow()
    {
    }

    /**
     * Encode a message.
     *
     * @return the row's length.
     */
    static int encode(final MutableDirectBuffer dst, final SendOp op, final long fromUin, final long storedAtMs,
        final long floorMs)
    {
        dst.putByte(0, FORMAT);
        dst.putByte(KIND_OFFSET, (byte)op.kind);
        dst.putShort(BODY_LENGTH_OFFSET, (short)op.bodyLength, ByteOrder.BIG_ENDIAN);
        dst.putInt(FROM_OFFSET, (int)fromUin, ByteOrder.BIG_ENDIAN);
        dst.putInt(TO_OFFSET, (int)op.toUin, ByteOrder.BIG_ENDIAN);
        dst.putInt(DURATION_OFFSET, (int)op.durationMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(CLIENT_MESSAGE_ID_OFFSET, op.clientMessageId, ByteOrder.BIG_ENDIAN);
        dst.putLong(STORED_AT_OFFSET, storedAtMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(FLOOR_OFFSET, floorMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(SIZE_OFFSET, op.sizeBytes, ByteOrder.BIG_ENDIAN);
        dst.putShort(REF_LENGTH_OFFSET, (short)op.refLength, ByteOrder.BIG_ENDIAN);
        dst.putByte(TYPE_LENGTH_OFFSET, (byte)op.typeLength);
        dst.putByte(TYPE_LENGTH_OFFSET + 1, (byte)0);
        int offset = HEADER_LENGTH;
        dst.putBytes(offset, op.body, 0, op.bodyLength);
        offset += op.bodyLength;
        dst.putBytes(offset, op.ref, 0, op.refLength);
        offset += op.refLength;
        dst.putBytes(offset, op.type, 0, op.typeLength);
        return offset + op.typeLength;
    }

    /**
     * Encode a tombstone.
     *
     * @return the row's length.
     */
    static int encodeTombstone(final MutableDirectBuffer dst, final long storedAtMs, final long floorMs)
    {
        dst.setMemory(0, HEADER_LENGTH, (byte)0);
        dst.putByte(0, FORMAT);
        dst.putLong(STORED_AT_OFFSET, storedAtMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(FLOOR_OFFSET, floorMs, ByteOrder.BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    /**
     * @return true when the value is a row this code can read: its lengths add up to the value's length.
     */
    static boolean isValid(final DirectBuffer row, final int length)
    {
        return length >= HEADER_LENGTH && row.getByte(0) == FORMAT && kind(row) <= MAX_KIND &&
            HEADER_LENGTH + bodyLength(row) + refLength(row) + typeLength(row) == length;
    }

    static int kind(final DirectBuffer row)
    {
        return row.getByte(KIND_OFFSET) & 0xFF;
    }

    static int bodyLength(final DirectBuffer row)
    {
        return row.getShort(BODY_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    static long fromUin(final DirectBuffer row)
    {
        return row.getInt(FROM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    static long toUin(final DirectBuffer row)
    {
        return row.getInt(TO_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    static long durationMs(final DirectBuffer row)
    {
        return row.getInt(DURATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    static long clientMessageId(final DirectBuffer row)
    {
        return row.getLong(CLIENT_MESSAGE_ID_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static long storedAtMs(final DirectBuffer row)
    {
        return row.getLong(STORED_AT_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static long floorMs(final DirectBuffer row)
    {
        return row.getLong(FLOOR_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static long sizeBytes(final DirectBuffer row)
    {
        return row.getLong(SIZE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static int refLength(final DirectBuffer row)
    {
        return row.getShort(REF_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    static int typeLength(final DirectBuffer row)
    {
        return row.getByte(TYPE_LENGTH_OFFSET) & 0xFF;
    }

    static int bodyOffset()
    {
        return HEADER_LENGTH;
    }

    static int refOffset(final DirectBuffer row)
    {
        return HEADER_LENGTH + bodyLength(row);
    }

    static int typeOffset(final DirectBuffer row)
    {
        return HEADER_LENGTH + bodyLength(row) + refLength(row);
    }
}
