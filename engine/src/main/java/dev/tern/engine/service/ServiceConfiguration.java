package dev.tern.engine.service;

/**
 * System properties of the logic services' pipelines, and their defaults. The only place they are read.
 */
public final class ServiceConfiguration
{
    /** Entries of each service's ring (power of two). */
    public static final String RING_SIZE_PROP_NAME = "tern.service.ring.size";
    public static final int RING_SIZE_DEFAULT = 1024;

    /** Requests a service holds at once; more are answered BUSY at once. */
    public static final String MAX_IN_FLIGHT_PROP_NAME = "tern.service.max.in.flight";
    public static final int MAX_IN_FLIGHT_DEFAULT = 512;

    /** How stages wait for events: blocking, sleeping, yielding, busy (see {@link WaitStrategies}). */
    public static final String WAIT_STRATEGY_PROP_NAME = "tern.service.wait.strategy";

    /** How long a KV operation may take, retries included, before it counts as UNAVAILABLE, ms. */
    public static final String KV_TIMEOUT_MS_PROP_NAME = "tern.service.kv.timeout.ms";
    public static final long KV_TIMEOUT_MS_DEFAULT = 2000;

    /** How long one attempt of a KV operation waits before the next replica is tried, ms. */
    public static final String KV_ATTEMPT_TIMEOUT_MS_PROP_NAME = "tern.service.kv.attempt.timeout.ms";
    public static final long KV_ATTEMPT_TIMEOUT_MS_DEFAULT = 200;

    private ServiceConfiguration()
    {
    }

    public static int ringSize()
    {
        return Integer.getInteger(RING_SIZE_PROP_NAME, RING_SIZE_DEFAULT);
    }

    public static int maxInFlight()
    {
        return Integer.getInteger(MAX_IN_FLIGHT_PROP_NAME, MAX_IN_FLIGHT_DEFAULT);
    }

    public static String waitStrategy()
    {
        return System.getProperty(WAIT_STRATEGY_PROP_NAME, WaitStrategies.DEFAULT);
    }

    public static long kvTimeoutMs()
    {
        return Long.getLong(KV_TIMEOUT_MS_PROP_NAME, KV_TIMEOUT_MS_DEFAULT);
    }

    public static long kvAttemptTimeoutMs()
    {
        return Long.getLong(KV_ATTEMPT_TIMEOUT_MS_PROP_NAME, KV_ATTEMPT_TIMEOUT_MS_DEFAULT);
    }
}
