package dev.tern.tools.monitor.agent;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The agent's bounded buffer of encoded messages waiting for the center, in batches (one report's parts, or one
 * declaration's parts). When full, whole batches are dropped oldest first and counted, so that a center that comes
 * back gets the most recent history. Bounded both in batches and in bytes; the byte array starts small and grows
 * to its bound only when a center outage needs it.
 * <pre>
 *   record: +----------------+----------------+---------------------------+
 *           | length (int32) | (unused int32) | message, padded to 8      |
 *           +----------------+----------------+---------------------------+
 *   a record never wraps; a negative length marks padding up to the end of the array.
 * </pre>
 * Single-threaded: the sampling agent encodes and drains it.
 */
final class ReportBuffer
{
    static final int RECORD_HEADER_LENGTH = 8;
    private static final int INITIAL_CAPACITY = 1024 * 1024;

    private final int maxCapacity;
    private final int maxBatches;
    private final long[] batchEnds;
    private UnsafeBuffer buffer;
    private int capacity;
    private long head;
    private long tail;
    private int batchHead;
    private int batchCount;
    private long batchStart = -1;
    private int reservedIndex = -1;
    private long droppedBatches;

    /**
     * @param maxBatches most batches held; the oldest is dropped to make room.
     * @param maxBytes   most bytes held, rounded up to a power of two.
     */
    ReportBuffer(final int maxBatches, final int maxBytes)
    {
        this.maxBatches = maxBatches;
        this.maxCapacity = BitUtil.findNextPositivePowerOfTwo(maxBytes);
        this.batchEnds = new long[maxBatches];
        capacity = Math.min(INITIAL_CAPACITY, maxCapacity);
        buffer = new UnsafeBuffer(new byte[capacity]);
    }

    /** @return the array messages are encoded into, at the offset {@link #reserve(int)} returned. */
    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Start a batch, dropping the oldest when the buffer holds its most batches.
     */
    void beginBatch()
    {
        if (batchCount == maxBatches)
        {
            dropOldestBatch();
        }
        batchStart = tail;
    }

    /**
     * Make room for one message of the current batch, dropping older batches when the buffer is full.
     *
     * @param maxLength the most bytes the message will take.
     * @return the offset in {@link #buffer()} to encode at, or -1 when the current batch alone does not fit: the
     * batch is then abandoned and counted as dropped.
     */
    int reserve(final int maxLength)
    {
        final int needed = BitUtil.align(RECORD_HEADER_LENGTH + maxLength, 8);
        while (true)
        {
            final int index = (int)(tail & (capacity - 1));
            final int toEnd = capacity - index;
            final int required = needed <= toEnd ? needed : toEnd + needed;
            if (capacity - (tail - head) >= required)
            {
                if (needed > toEnd)
                {
                    buffer.putInt(index, -toEnd);
                    tail += toEnd;
                }
                reservedIndex = (int)(tail & (capacity - 1));
                return reservedIndex + RECORD_HEADER_LENGTH;
            }
            if (capacity < maxCapacity)
            {
                grow();
            }
            else if (batchCount > 0)
            {
                dropOldestBatch();
            }
            else
            {
                tail = batchStart;
                batchStart = -1;
                droppedBatches++;
                return -1;
            }
        }
    }

    /**
     * The message reserved last is encoded.
     *
     * @param length its encoded length, at most what was reserved.
     */
    void commit(final int length)
    {
        buffer.putInt(reservedIndex, length);
        buffer.putInt(reservedIndex + 4, 0);
        tail += BitUtil.align(RECORD_HEADER_LENGTH + length, 8);
        reservedIndex = -1;
    }

    /**
     * The current batch is complete: its messages may be sent.
     */
    void endBatch()
    {
        if (batchStart < 0)
        {
            return;
        }
        batchEnds[(batchHead + batchCount) % maxBatches] = tail;
        batchCount++;
        batchStart = -1;
    }

    /**
     * @return true when a complete batch has a message to send; positions {@link #messageOffset()}.
     */
    boolean hasMessage()
    {
        while (batchCount > 0)
        {
            if (head == batchEnds[batchHead])
            {
                batchHead = (batchHead + 1) % maxBatches;
                batchCount--;
                continue;
            }
            final int index = (int)(head & (capacity - 1));
            final int length = buffer.getInt(index);
            if (length < 0)
            {
                head -= length;
                continue;
            }
            return true;
        }
        return false;
    }

    /** @return the offset of the oldest message; call after {@link #hasMessage()} returned true. */
    int messageOffset()
    {
        return (int)(head & (capacity - 1)) + RECORD_HEADER_LENGTH;
    }

    /** @return the length of the oldest message. */
    int messageLength()
    {
        return buffer.getInt((int)(head & (capacity - 1)));
    }

    /** The oldest message was sent. */
    void pop()
    {
        head += BitUtil.align(RECORD_HEADER_LENGTH + messageLength(), 8);
        if (head == batchEnds[batchHead])
        {
            batchHead = (batchHead + 1) % maxBatches;
            batchCount--;
        }
    }

    /** @return complete batches waiting, including one partly sent. */
    int batches()
    {
        return batchCount;
    }

    /** @return batches dropped since creation: oldest dropped for room, or too large to hold. */
    long droppedBatches()
    {
        return droppedBatches;
    }

    /** @return bytes the buffer holds now. */
    int capacity()
    {
        return capacity;
    }

    private void dropOldestBatch()
    {
        head = batchEnds[batchHead];
        batchHead = (batchHead + 1) % maxBatches;
        batchCount--;
        droppedBatches++;
    }

    /** Double the array, keeping every record at its position (so records still never straddle the end). */
    private void grow()
    {
        final int newCapacity = capacity * 2;
        final UnsafeBuffer grown = new UnsafeBuffer(new byte[newCapacity]);
        long position = head;
        while (position < tail)
        {
            final int from = (int)(position & (capacity - 1));
            final int to = (int)(position & (newCapacity - 1));
            final int length = (int)Math.min(Math.min(capacity - from, newCapacity - to), tail - position);
            grown.putBytes(to, buffer, from, length);
            position += length;
        }
        buffer = grown;
        capacity = newCapacity;
    }
}
