package dev.tern.perf.load;

/**
 * An open-loop schedule: request {@code i} is meant to be sent at {@code startNs + floor(i * 1e9 / rate)},
 * whatever happened to the requests before it. Latency is measured from this intended time, so a stall of the
 * system under test counts against every request that should have gone out during it (coordinated omission
 * corrected), not only against the one that was stuck. Immutable.
 */
public final class Schedule
{
    private final long startNs;
    private final double intervalNs;

    /**
     * @param startNs       when request 0 is due, ns of the sender's clock.
     * @param ratePerSecond requests per second, > 0.
     */
    public Schedule(final long startNs, final double ratePerSecond)
    {
        if (!(ratePerSecond > 0))
        {
            throw new IllegalArgumentException("ratePerSecond=" + ratePerSecond + " must be > 0");
        }
        this.startNs = startNs;
        this.intervalNs = 1e9 / ratePerSecond;
    }

    /**
     * @param index a request's number from 0.
     * @return when it is due, ns.
     */
    public long intendedNs(final long index)
    {
        return startNs + (long)Math.floor(index * intervalNs);
    }

    /**
     * @param timeNs a time, ns.
     * @return how many requests are due strictly before it.
     */
    public long countBefore(final long timeNs)
    {
        // floor(i * interval) < t - start  <=>  i * interval < t - start, as t - start is a whole number
        return timeNs - startNs <= 0 ? 0 : (long)Math.ceil((timeNs - startNs) / intervalNs);
    }
}
