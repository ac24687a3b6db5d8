package dev.tern.storage.replication;

/**
 * Ballots: {@code round << 8 | replicaIndex}, unique per replica and totally ordered. 0 is no ballot.
 */
public final class Ballots
{
    public static final int MAX_REPLICAS = 256;

    private Ballots()
    {
    }

    public static long of(final long round, final int replica)
    {
        return round << 8 | replica;
    }

    public static long round(final long ballot)
    {
        return ballot >>> 8;
    }

    public static int replica(final long ballot)
    {
        return (int)(ballot & 0xFF);
    }

    /**
     * @param above   a ballot to exceed.
     * @param replica the proposer.
     * @return the smallest ballot of {@code replica} greater than {@code above}.
     */
    public static long next(final long above, final int replica)
    {
        final long candidate = of(round(above), replica);
        return candidate > above ? candidate : of(round(above) + 1, replica);
    }
}
