package dev.tern.engine.gateway;

/**
 * A rate limit: a token bucket kept in integer nanoseconds of credit, refilled from the caller's clock. A request
 * costs {@code 1e9 / ratePerSecond} ns of credit; the bucket holds at most {@code burst} requests' worth. No
 * allocation, no floating point; not thread-safe (one per session, used by the gateway's thread).
 */
public final class TokenBucket
{
    private final long nsPerToken;
    private final long capacityNs;
    private long creditNs;
    private long lastNs;

    /**
     * @param ratePerSecond sustained requests per second, 1 to 1,000,000,000.
     * @param burst         requests allowed at once after a quiet period, at least 1.
     */
    public TokenBucket(final long ratePerSecond, final long burst)
    {
        if (ratePerSecond < 1 || ratePerSecond > 1_000_000_000L)
        {
            throw new IllegalArgumentException("ratePerSecond=" + ratePerSecond + " must be in [1, 1000000000]");
        }
        if (burst < 1 || burst > 1_000_000L)
        {
            throw new IllegalArgumentException("burst=" + burst + " must be in [1, 1000000]");
        }
        nsPerToken = 1_000_000_000L / ratePerSecond;
        capacityNs = nsPerToken * burst;
    }

    /**
     * Fill the bucket: a new session starts with its whole burst.
     *
     * @param nowNs the time, ns.
     */
    public void reset(final long nowNs)
    {
        creditNs = capacityNs;
        lastNs = nowNs;
    }

    /**
     * Take one request's worth of credit if there is enough.
     *
     * @param nowNs the time, ns, never earlier than the previous call's.
     * @return true when the request is within the rate.
     */
    public boolean tryAcquire(final long nowNs)
    {
        final long elapsedNs = nowNs - lastNs;
        lastNs = nowNs;
        if (elapsedNs > 0)
        {
            creditNs = Math.min(capacityNs, creditNs + Math.min(elapsedNs, capacityNs));
        }
        if (creditNs >= nsPerToken)
        {
            creditNs -= nsPerToken;
            return true;
        }
        return false;
    }
}
