package dev.tern.tools.monitor.center;

/**
 * The points of one monitor ID reported by one machine: recent points at full resolution ({@link FineRing}) and a
 * long history per minute ({@link MinuteRing}). Queries read the fine points when they reach back far enough, the
 * minutes otherwise. Values are as reported: per-interval deltas for counters, values for gauges.
 */
final class Series
{
    /** A window's sum of values and number of samples; reused by the caller. */
    static final class Window
    {
        double sum;
        long count;

        Window reset()
        {
            sum = 0;
            count = 0;
            return this;
        }
    }

    final int machine;
    final boolean counter;
    private final FineRing fine;
    private final MinuteRing minutes;
    private int intervalMs = 1000;

    Series(final int machine, final boolean counter, final int finePoints, final int minuteBuckets)
    {
        this.machine = machine;
        this.counter = counter;
        this.fine = new FineRing(finePoints);
        this.minutes = new MinuteRing(minuteBuckets);
    }

    /**
     * @param timeMs     the sample time.
     * @param value      the delta (counter) or value (gauge).
     * @param intervalMs the interval the sample covers.
     * @return false when the point was older than the newest point and dropped.
     */
    boolean add(final long timeMs, final long value, final int intervalMs)
    {
        final int result = fine.add(timeMs, value);
        if (result == FineRing.LATE)
        {
            return false;
        }
        this.intervalMs = intervalMs;
        minutes.add(timeMs, value, result == FineRing.APPENDED);
        return true;
    }

    /** @return the sampling interval of the latest point, ms. */
    int intervalMs()
    {
        return intervalMs;
    }

    /** @return the time of the newest point, or Long.MIN_VALUE when none. */
    long latestTimeMs()
    {
        return fine.size() > 0 ? fine.time(fine.size() - 1) : Long.MIN_VALUE;
    }

    /** @return the value of the newest point, or 0 when none. */
    long latestValue()
    {
        return fine.size() > 0 ? fine.value(fine.size() - 1) : 0;
    }

    /**
     * Add the points with times in (fromMs, toMs] to a window: from the fine points when they reach back to the
     * window's start, else from the minutes overlapping it.
     *
     * @return true when at least one sample was added.
     */
    boolean window(final long fromMs, final long toMs, final Window window)
    {
        final long countBefore = window.count;
        if (useFine(fromMs))
        {
            for (int i = fine.firstAfter(fromMs), size = fine.size(); i < size; i++)
            {
                if (fine.time(i) > toMs)
                {
                    break;
                }
                window.sum += fine.value(i);
                window.count++;
            }
        }
        else
        {
            for (int i = minutes.firstAtOrAfter(fromMs - MinuteRing.MINUTE_MS + 2), size = minutes.size(); i < size; i++)
            {
                if (minutes.time(i) > toMs)
                {
                    break;
                }
                window.sum += minutes.sum(i);
                window.count += minutes.count(i);
            }
        }
        return window.count > countBefore;
    }

    /**
     * Sum the points with times in [fromMs, toMs) into buckets of stepMs, bucket i starting at fromMs + i * stepMs.
     *
     * @param sums   per bucket sum of values.
     * @param counts per bucket number of samples.
     */
    void aggregate(final long fromMs, final long toMs, final long stepMs, final double[] sums, final long[] counts)
    {
        if (useFine(fromMs))
        {
            for (int i = fine.firstAfter(fromMs - 1), size = fine.size(); i < size; i++)
            {
                final long time = fine.time(i);
                if (time >= toMs)
                {
                    break;
                }
                final int bucket = (int)((time - fromMs) / stepMs);
                sums[bucket] += fine.value(i);
                counts[bucket]++;
            }
        }
        else
        {
            for (int i = minutes.firstAtOrAfter(fromMs), size = minutes.size(); i < size; i++)
            {
                final long time = minutes.time(i);
                if (time >= toMs)
                {
                    break;
                }
                final int bucket = (int)((time - fromMs) / stepMs);
                sums[bucket] += minutes.sum(i);
                counts[bucket] += minutes.count(i);
            }
        }
    }

    /** @return true when queries from this time read fine points; false when they read minutes. */
    boolean useFine(final long fromMs)
    {
        if (fine.size() == 0)
        {
            return minutes.size() == 0;
        }
        final long oldestFine = fine.time(0);
        return oldestFine - intervalMs <= fromMs || minutes.size() == 0 ||
            minutes.time(0) >= Math.floorDiv(oldestFine, MinuteRing.MINUTE_MS) * MinuteRing.MINUTE_MS;
    }

    /**
     * Turn a bucket's sum and count into what the page draws: counters as a rate per second, gauges as the mean.
     *
     * @return the value, NaN when the bucket is empty.
     */
    double display(final double sum, final long count)
    {
        if (count == 0)
        {
            return Double.NaN;
        }
        final double mean = sum / count;
        return counter ? mean * 1000.0 / intervalMs : mean;
    }
}
