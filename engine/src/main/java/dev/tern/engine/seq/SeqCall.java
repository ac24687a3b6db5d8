package dev.tern.engine.seq;

import dev.tern.codecs.engine.sbe.SeqResult;

/**
 * One allocation a send service asks the sequence allocator for: the next sequence of one or two users, and the
 * outcome. Filled by the stage ({@link #users}), sent and completed by the service's {@link SeqClient}, read by the
 * stage again when it completes. Reused; not thread-safe (handed between threads with the op that owns it).
 */
public final class SeqCall
{
    /** The first user; its sequence comes back in {@link #firstSeq}. */
    public long firstUin;
    /** The second user, or 0 for none. */
    public long secondUin;
    /** The outcome, a {@link SeqResult} value; UNAVAILABLE as well when no reply came in time. */
    public int result;
    /** OK: the first user's new sequence. */
    public long firstSeq;
    /** OK: when the previous owner of the first user's section stopped allocating (ms), for its first sequence
     * since this allocator took the section; else 0. */
    public long firstFloorMs;
    /** OK: the second user's new sequence, or 0. */
    public long secondSeq;
    /** OK: as {@link #firstFloorMs}, for the second user. */
    public long secondFloorMs;
    /** When the request was sent, ms since the epoch: no sequence of the reply was allocated before it. */
    public long requestedAtMs;
    /** When the reply arrived, ms since the epoch: no sequence of the reply was allocated after it. */
    public long answeredAtMs;

    long requestId;

    /**
     * Set the users to allocate for, clearing the last outcome.
     *
     * @param first  a UIN.
     * @param second a UIN, or 0 for only the first.
     */
    public void users(final long first, final long second)
    {
        reset();
        firstUin = first;
        secondUin = second;
    }

    /** @return true when the allocation succeeded. */
    public boolean isOk()
    {
        return SeqResult.OK.value() == result;
    }

    /** Forget everything. */
    public void reset()
    {
        firstUin = 0;
        secondUin = 0;
        result = SeqResult.UNAVAILABLE.value();
        firstSeq = 0;
        firstFloorMs = 0;
        secondSeq = 0;
        secondFloorMs = 0;
        requestedAtMs = 0;
        answeredAtMs = 0;
        requestId = 0;
    }
}
