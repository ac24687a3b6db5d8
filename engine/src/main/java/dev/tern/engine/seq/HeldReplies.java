package dev.tern.engine.seq;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Replies the allocator could not offer yet (a requester's reply publication still connecting, or back-pressured),
 * kept in fixed slots of one buffer until they go out or their deadline passes. No allocation after construction.
 */
final class HeldReplies
{
    static final int MAX_REPLY_LENGTH = 128;

    private final UnsafeBuffer buffer;
    private final int[] sessions;
    private final int[] lengths;
    private final long[] deadlinesNs;
    private int size;

    HeldReplies(final int capacity)
    {
        buffer = new UnsafeBuffer(new byte[capacity * MAX_REPLY_LENGTH]);
        sessions = new int[capacity];
        lengths = new int[capacity];
        deadlinesNs = new long[capacity];
    }

    /**
     * @return false when full or the reply is too long: the caller counts it as dropped.
     */
    boolean add(final int session, final DirectBuffer reply, final int offset, final int length, final long deadlineNs)
    {
        if (size == sessions.length || length > MAX_REPLY_LENGTH)
        {
            return false;
        }
        buffer.putBytes(size * MAX_REPLY_LENGTH, reply, offset, length);
        sessions[size] = session;
        lengths[size] = length;
        deadlinesNs[size] = deadlineNs;
        size++;
        return true;
    }

    /** Remove entry {@code i}: the last entry takes its place. */
    void remove(final int i)
    {
        final int last = size - 1;
        if (i != last)
        {
            buffer.putBytes(i * MAX_REPLY_LENGTH, buffer, last * MAX_REPLY_LENGTH, lengths[last]);
            sessions[i] = sessions[last];
            lengths[i] = lengths[last];
            deadlinesNs[i] = deadlinesNs[last];
        }
        size = last;
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    int size()
    {
        return size;
    }

    int session(final int i)
    {
        return sessions[i];
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int offset(final int i)
    {
        return i * MAX_REPLY_LENGTH;
    }

    int length(final int i)
    {
        return lengths[i];
    }

    long deadlineNs(final int i)
    {
        return deadlinesNs[i];
    }
}
