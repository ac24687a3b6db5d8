package dev.tern.tools.monitor.center;

/**
 * The long history of a series in one-minute buckets: sum, sample count and largest value of the points of each
 * minute. 24 bytes a minute; 8 days take 11,520 buckets, enough to compare with a week ago.
 */
final class MinuteRing extends Ring
{
    static final long MINUTE_MS = 60_000;

    private int[] minutes;
    private int[] counts;
    private long[] sums;
    private long[] maxes;

    MinuteRing(final int maxMinutes)
    {
        super(4, maxMinutes);
        minutes = new int[capacity];
        counts = new int[capacity];
        sums = new long[capacity];
        maxes = new long[capacity];
    }

    /**
     * @param timeMs     the point's time.
     * @param value      the point's value.
     * @param newSample  false when the point was merged into an existing point of the same time.
     * @return false when the point is older than the newest minute (dropped).
     */
    boolean add(final long timeMs, final long value, final boolean newSample)
    {
        final int minute = (int)Math.floorDiv(timeMs, MINUTE_MS);
        if (size > 0)
        {
            final int last = physical(size - 1);
            if (minutes[last] == minute)
            {
                sums[last] += value;
                maxes[last] = Math.max(maxes[last], value);
                counts[last] += newSample ? 1 : 0;
                return true;
            }
            if (minutes[last] > minute)
            {
                return false;
            }
        }
        final int index = appendIndex();
        minutes[index] = minute;
        counts[index] = 1;
        sums[index] = value;
        maxes[index] = value;
        return true;
    }

    /** @return the start of the logical index-th minute, ms since epoch. */
    long time(final int logical)
    {
        return minutes[physical(logical)] * MINUTE_MS;
    }

    long sum(final int logical)
    {
        return sums[physical(logical)];
    }

    int count(final int logical)
    {
        return counts[physical(logical)];
    }

    long max(final int logical)
    {
        return maxes[physical(logical)];
    }

    /** @return the logical index of the first minute starting at or after {@code timeMs}, or size when none. */
    int firstAtOrAfter(final long timeMs)
    {
        int low = 0;
        int high = size;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (time(mid) < timeMs)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    void resize(final int newCapacity)
    {
        minutes = unwrap(minutes, newCapacity);
        counts = unwrap(counts, newCapacity);
        sums = unwrap(sums, newCapacity);
        maxes = unwrap(maxes, newCapacity);
    }
}
