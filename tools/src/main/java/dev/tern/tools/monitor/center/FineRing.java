package dev.tern.tools.monitor.center;

/**
 * The recent points of a series at the resolution reported (one per sampling interval): time and value.
 * 16 bytes a point.
 */
final class FineRing extends Ring
{
    static final int APPENDED = 1;
    static final int MERGED = 2;
    static final int LATE = 0;

    private long[] times;
    private long[] values;

    FineRing(final int maxPoints)
    {
        super(16, maxPoints);
        times = new long[capacity];
        values = new long[capacity];
    }

    /**
     * @return {@link #APPENDED}; {@link #MERGED} when a point of that time exists (added to it); {@link #LATE} when
     * older than the newest point (dropped).
     */
    int add(final long timeMs, final long value)
    {
        if (size > 0)
        {
            final int last = physical(size - 1);
            if (times[last] == timeMs)
            {
                values[last] += value;
                return MERGED;
            }
            if (times[last] > timeMs)
            {
                return LATE;
            }
        }
        final int index = appendIndex();
        times[index] = timeMs;
        values[index] = value;
        return APPENDED;
    }

    long time(final int logical)
    {
        return times[physical(logical)];
    }

    long value(final int logical)
    {
        return values[physical(logical)];
    }

    /** @return the logical index of the first point later than {@code timeMs}, or {@link #size()} when none. */
    int firstAfter(final long timeMs)
    {
        int low = 0;
        int high = size;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (time(mid) <= timeMs)
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
        times = unwrap(times, newCapacity);
        values = unwrap(values, newCapacity);
    }
}
