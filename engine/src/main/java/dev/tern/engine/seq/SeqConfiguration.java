package dev.tern.engine.seq;

/**
 * System properties of the sequence allocator (seqsvr) and of its clients, and their defaults. The only place they
 * are read.
 */
public final class SeqConfiguration
{
    /** How far a section's stored ceiling is raised at once: one KV write per this many sequences. */
    public static final String STEP_PROP_NAME = "tern.seq.step";
    public static final long STEP_DEFAULT = 10_000;

    /** Users per section: consecutive UINs that share one stored ceiling and one lease. */
    public static final String SECTION_SIZE_PROP_NAME = "tern.seq.section.size";
    public static final int SECTION_SIZE_DEFAULT = 100_000;

    /**
     * How long a section stays this allocator's after each ceiling write, ms: another allocator takes the section
     * over only after the lease (plus the clock skew allowance) ran out, so at most one allocator hands out a
     * section's sequences at a time. Renewed at half-time while the section is in use.
     */
    public static final String LEASE_MS_PROP_NAME = "tern.seq.lease.ms";
    public static final long LEASE_MS_DEFAULT = 10_000;

    /** The most the wall clocks of the engine's machines may differ, ms. */
    public static final String CLOCK_SKEW_MS_PROP_NAME = "tern.seq.clock.skew.ms";
    public static final long CLOCK_SKEW_MS_DEFAULT = 1000;

    /** How long an allocation may take, ms: the allocator answers UNAVAILABLE, its client gives up, after it. */
    public static final String TIMEOUT_MS_PROP_NAME = "tern.seq.timeout.ms";
    public static final long TIMEOUT_MS_DEFAULT = 1000;

    /** Requests the allocator holds at once (waiting for a ceiling or a lease); more are refused BUSY. */
    public static final String MAX_REQUESTS_PROP_NAME = "tern.seq.max.requests";
    public static final int MAX_REQUESTS_DEFAULT = 16_384;

    private SeqConfiguration()
    {
    }

    public static long step()
    {
        return Long.getLong(STEP_PROP_NAME, STEP_DEFAULT);
    }

    public static int sectionSize()
    {
        return Integer.getInteger(SECTION_SIZE_PROP_NAME, SECTION_SIZE_DEFAULT);
    }

    public static long leaseMs()
    {
        return Long.getLong(LEASE_MS_PROP_NAME, LEASE_MS_DEFAULT);
    }

    public static long clockSkewMs()
    {
        return Long.getLong(CLOCK_SKEW_MS_PROP_NAME, CLOCK_SKEW_MS_DEFAULT);
    }

    public static long timeoutMs()
    {
        return Long.getLong(TIMEOUT_MS_PROP_NAME, TIMEOUT_MS_DEFAULT);
    }

    public static int maxRequests()
    {
        return Integer.getInteger(MAX_REQUESTS_PROP_NAME, MAX_REQUESTS_DEFAULT);
    }
}
