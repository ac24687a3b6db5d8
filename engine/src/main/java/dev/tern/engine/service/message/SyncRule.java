package dev.tern.engine.service.message;

/**
 * The rule that keeps sync from ever losing a message: rows of a timeline are returned in sequence order and a sync
 * stops before the first gap in the sequence numbers, unless the gap is provably abandoned.
 * <p>
 * Why stopping matters: sequences are allocated before messages are stored, and two sends to one user can store in
 * either order. If sequence 10 is allocated before 11 but 11 is stored first, a sync in between that returned 11
 * would move the device's key past 10, and 10 would never be synced.
 * <p>
 * When a gap is abandoned: a send submits its row writes only within its store window ({@code storeWindow} after it
 * asked for its sequences, so no later than {@code storeWindow} after they were allocated; the service's I/O agent
 * checks it at submission), and the KV client gives up on each write {@code kvTimeout} after submitting it. Per user, sequences are allocated in increasing order (one allocator per
 * section at a time). So every missing sequence below a row was allocated before that row's sequence, hence before
 * the row's {@code storedAtMs} (stamped no earlier than its allocation), and none of its writes can land after
 * {@code storedAtMs + storeWindow + kvTimeout}. With the gap timeout at least that (plus the clock skew between the
 * machines), a gap before a row older than the gap timeout is abandoned for good: skipped, the key moves past it.
 * <p>
 * The first row a sequence allocator gave a user after taking over the user's section carries an epoch floor: the
 * moment the previous allocator stopped. Every missing sequence below such a row was allocated before the floor, so
 * the gap is abandoned once the floor is older than the gap timeout: after a restart, the jump from the old
 * ceiling to the new one is skipped at once instead of after the gap timeout.
 * <p>
 * Time is passed in (an injected clock in tests).
 */
public final class SyncRule
{
    private SyncRule()
    {
    }

    /**
     * @param previousSeq  the last sequence returned or skipped (the sync key so far).
     * @param seq          the next row's sequence, above {@code previousSeq}.
     * @param storedAtMs   the row's stored time.
     * @param floorMs      the row's epoch floor, or 0.
     * @param nowMs        the time now.
     * @param gapTimeoutMs the gap timeout.
     * @return 0 when the row may be returned now (no gap, or an abandoned one); else how long until it may, ms.
     */
    public static long holdBackMs(final long previousSeq, final long seq, final long storedAtMs, final long floorMs,
        final long nowMs, final long gapTimeoutMs)
    {
        if (seq == previousSeq + 1)
        {
            return 0;
        }
        final long releaseAtMs = (floorMs > 0 ? Math.min(floorMs, storedAtMs) : storedAtMs) + gapTimeoutMs;
        return Math.max(0, releaseAtMs - nowMs);
    }

    /**
     * Walks a timeline's rows in sequence order from a sync key, under the rule: what {@link SyncStage} does with a
     * scan, one row at a time. Reusable; not thread-safe.
     */
    public static final class Cursor
    {
        private long key;
        private long nowMs;
        private long gapTimeoutMs;
        private long skipped;

        /**
         * Start a walk.
         *
         * @param syncKey      the device's key.
         * @param nowMs        the time now.
         * @param gapTimeoutMs the gap timeout.
         * @return this.
         */
        public Cursor reset(final long syncKey, final long nowMs, final long gapTimeoutMs)
        {
            this.key = syncKey;
            this.nowMs = nowMs;
            this.gapTimeoutMs = gapTimeoutMs;
            skipped = 0;
            return this;
        }

        /**
         * @return 0 when the next row may be taken now, else how long until it may (the walk stops there), ms.
         */
        public long holdBackMs(final long seq, final long storedAtMs, final long floorMs)
        {
            return SyncRule.holdBackMs(key, seq, storedAtMs, floorMs, nowMs, gapTimeoutMs);
        }

        /**
         * Take the next row (returned, or a tombstone skipped): the key moves to it, past any abandoned gap.
         *
         * @param seq the row's sequence, one {@link #holdBackMs} allowed.
         */
        public void advance(final long seq)
        {
            skipped += seq - key - 1;
            key = seq;
        }

        /** @return the key: the last sequence taken, or the starting key. */
        public long key()
        {
            return key;
        }

        /** @return how many missing sequences the walk skipped as abandoned. */
        public long skipped()
        {
            return skipped;
        }
    }
}
