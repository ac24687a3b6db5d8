package dev.tern.engine.service.message;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The value of a send's record ({@code m/<sender><clientMessageId>}), bound with put-if-absent before the message
 * is stored, so every retry of one client message id finds the sequences of the first attempt. Big-endian:
 * <pre>
 *    0        1        2          4          8                16               24
 *   +--------+--------+----------+----------+----------------+----------------+
 *   | format | kind   | reserved | toUin    | recipientSeq   | senderSeq      |
 *   | = 1    | uint8  | 0        | uint32   | int64          | int64          |
 *   +--------+--------+----------+----------+----------------+----------------+
 *   24               32               40                 48                 56          60         64
 *   +----------------+----------------+------------------+------------------+-----------+----------+
 *   | storedAtMs     | deadlineMs     | recipientFloorMs | senderFloorMs    | contentCrc| reserved |
 *   | int64          | int64          | int64            | int64            | CRC32C    | 0        |
 *   +----------------+----------------+------------------+------------------+-----------+----------+
 * </pre>
 * {@code deadlineMs} is the store window's end: no row of these sequences is written after it, by the first attempt
 * or any retry; a retry after it checks which rows exist and allocates new sequences for the missing ones.
 * {@code contentCrc} tells a retry from another message reusing the id.
 */
final class SendRecord
{
    static final byte FORMAT = 1;
    static final int LENGTH = 64;
    private static final int KIND_OFFSET = 1;
    private static final int TO_OFFSET = 4;
    private static final int RECIPIENT_SEQ_OFFSET = 8;
    private static final int SENDER_SEQ_OFFSET = 16;
    private static final int STORED_AT_OFFSET = 24;
    private static final int DEADLINE_OFFSET = 32;
    private static final int RECIPIENT_FLOOR_OFFSET = 40;
    private static final int SENDER_FLOOR_OFFSET = 48;
    private static final int CRC_OFFSET = 56;

    private SendRecord()
    {
    }

    /**
     * Encode the record of an op's current sequences.
     *
     * @return {@link #LENGTH}.
     */
    static int encode(final MutableDirectBuffer dst, final SendOp op)
    {
        dst.setMemory(0, LENGTH, (byte)0);
        dst.putByte(0, FORMAT);
        dst.putByte(KIND_OFFSET, (byte)op.kind);
        dst.putInt(TO_OFFSET, (int)op.toUin, ByteOrder.BIG_ENDIAN);
        dst.putLong(RECIPIENT_SEQ_OFFSET, op.recipientSeq, ByteOrder.BIG_ENDIAN);
        dst.putLong(SENDER_SEQ_OFFSET, op.senderSeq, ByteOrder.BIG_ENDIAN);
        dst.putLong(STORED_AT_OFFSET, op.storedAtMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(DEADLINE_OFFSET, op.deadlineMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(RECIPIENT_FLOOR_OFFSET, op.recipientFloorMs, ByteOrder.BIG_ENDIAN);
        dst.putLong(SENDER_FLOOR_OFFSET, op.senderFloorMs, ByteOrder.BIG_ENDIAN);
        dst.putInt(CRC_OFFSET, op.contentCrc, ByteOrder.BIG_ENDIAN);
        return LENGTH;
    }

    /**
     * @return true when the value is a record this code can read.
     */
    static boolean isValid(final DirectBuffer record, final int length)
    {
        return LENGTH == length && record.getByte(0) == FORMAT &&
            record.getLong(RECIPIENT_SEQ_OFFSET, ByteOrder.BIG_ENDIAN) > 0 &&
            record.getLong(SENDER_SEQ_OFFSET, ByteOrder.BIG_ENDIAN) > 0;
    }

    /**
     * @return true when the record was written for the op's message: same kind, recipient and content.
     */
    static boolean isFor(final DirectBuffer record, final SendOp op)
    {
        return (record.getByte(KIND_OFFSET) & 0xFF) == op.kind &&
            (record.getInt(TO_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) == op.toUin &&
            record.getInt(CRC_OFFSET, ByteOrder.BIG_ENDIAN) == op.contentCrc;
    }

    /**
     * Take the record's sequences and times into the op.
     */
    static void load(final DirectBuffer record, final SendOp op)
    {
        op.recipientSeq = record.getLong(RECIPIENT_SEQ_OFFSET, ByteOrder.BIG_ENDIAN);
        op.senderSeq = record.getLong(SENDER_SEQ_OFFSET, ByteOrder.BIG_ENDIAN);
        op.storedAtMs = record.getLong(STORED_AT_OFFSET, ByteOrder.BIG_ENDIAN);
        op.deadlineMs = record.getLong(DEADLINE_OFFSET, ByteOrder.BIG_ENDIAN);
        op.recipientFloorMs = record.getLong(RECIPIENT_FLOOR_OFFSET, ByteOrder.BIG_ENDIAN);
        op.senderFloorMs = record.getLong(SENDER_FLOOR_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
