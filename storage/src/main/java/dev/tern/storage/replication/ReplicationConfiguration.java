package dev.tern.storage.replication;

import java.util.concurrent.TimeUnit;

/**
 * System properties of KVSvr replication, and their defaults. The only place they are read.
 */
public final class ReplicationConfiguration
{
    /** Largest peer message a replica sends, bytes (batches split above it). */
    public static final String MAX_MESSAGE_LENGTH_PROP_NAME = "tern.kv.max.message.length";
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 64 * 1024;

    /** Bytes of the authored stream shipped to one peer per duty cycle: catching up never stalls live traffic. */
    public static final String MAX_SHIP_BYTES_PROP_NAME = "tern.kv.max.ship.bytes";
    public static final int MAX_SHIP_BYTES_DEFAULT = 256 * 1024;

    /** Client requests a replica coordinates at once; more are answered BUSY. */
    public static final String MAX_IN_FLIGHT_PROP_NAME = "tern.kv.max.in.flight";
    public static final int MAX_IN_FLIGHT_DEFAULT = 65536;

    /** How long a round (prepare, accept, read check) waits before resending, ms. */
    public static final String ROUND_TIMEOUT_MS_PROP_NAME = "tern.kv.round.timeout.ms";
    public static final long ROUND_TIMEOUT_MS_DEFAULT = 20;

    /** Largest random wait before retrying after losing to a higher ballot, ms. */
    public static final String MAX_BACKOFF_MS_PROP_NAME = "tern.kv.max.backoff.ms";
    public static final long MAX_BACKOFF_MS_DEFAULT = 10;

    /** How long a replica works on one request before answering UNAVAILABLE, ms. */
    public static final String OP_TIMEOUT_MS_PROP_NAME = "tern.kv.op.timeout.ms";
    public static final long OP_TIMEOUT_MS_DEFAULT = 2000;

    /** Wait between read checks that found a write in flight, microseconds. */
    public static final String READ_RETRY_US_PROP_NAME = "tern.kv.read.retry.us";
    public static final long READ_RETRY_US_DEFAULT = 500;

    /** Read checks before a read completes an in-flight write itself. */
    public static final String READ_RETRIES_PROP_NAME = "tern.kv.read.retries";
    public static final int READ_RETRIES_DEFAULT = 4;

    /** Resends of a round before backing off and starting over with a higher ballot. */
    public static final String MAX_ROUND_ATTEMPTS_PROP_NAME = "tern.kv.max.round.attempts";
    public static final int MAX_ROUND_ATTEMPTS_DEFAULT = 5;

    /** How long a commit may wait for an earlier version before the key is fetched, ms. */
    public static final String COMMIT_WAIT_MS_PROP_NAME = "tern.kv.commit.wait.ms";
    public static final long COMMIT_WAIT_MS_DEFAULT = 50;

    /** Interval of heartbeats between replicas, ms. */
    public static final String HEARTBEAT_INTERVAL_MS_PROP_NAME = "tern.kv.heartbeat.interval.ms";
    public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 100;

    /** How long a silent peer holds back the deletion of binlog cycles it has not read, ms. */
    public static final String RETENTION_PEER_TIMEOUT_MS_PROP_NAME = "tern.kv.retention.peer.timeout.ms";
    public static final long RETENTION_PEER_TIMEOUT_MS_DEFAULT = 60 * 60 * 1000;

    private ReplicationConfiguration()
    {
    }

    public static int maxMessageLength()
    {
        return Integer.getInteger(MAX_MESSAGE_LENGTH_PROP_NAME, MAX_MESSAGE_LENGTH_DEFAULT);
    }

    public static int maxShipBytes()
    {
        return Integer.getInteger(MAX_SHIP_BYTES_PROP_NAME, MAX_SHIP_BYTES_DEFAULT);
    }

    public static int maxInFlight()
    {
        return Integer.getInteger(MAX_IN_FLIGHT_PROP_NAME, MAX_IN_FLIGHT_DEFAULT);
    }

    public static long roundTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong(ROUND_TIMEOUT_MS_PROP_NAME, ROUND_TIMEOUT_MS_DEFAULT));
    }

    public static long maxBackoffNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong(MAX_BACKOFF_MS_PROP_NAME, MAX_BACKOFF_MS_DEFAULT));
    }

    public static long opTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong(OP_TIMEOUT_MS_PROP_NAME, OP_TIMEOUT_MS_DEFAULT));
    }

    public static long readRetryNs()
    {
        return TimeUnit.MICROSECONDS.toNanos(Long.getLong(READ_RETRY_US_PROP_NAME, READ_RETRY_US_DEFAULT));
    }

    public static int readRetries()
    {
        return Integer.getInteger(READ_RETRIES_PROP_NAME, READ_RETRIES_DEFAULT);
    }

    public static int maxRoundAttempts()
    {
        return Integer.getInteger(MAX_ROUND_ATTEMPTS_PROP_NAME, MAX_ROUND_ATTEMPTS_DEFAULT);
    }

    public static long commitWaitNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong(COMMIT_WAIT_MS_PROP_NAME, COMMIT_WAIT_MS_DEFAULT));
    }

    public static long retentionPeerTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong(RETENTION_PEER_TIMEOUT_MS_PROP_NAME,
            RETENTION_PEER_TIMEOUT_MS_DEFAULT));
    }

    public static long heartbeatIntervalNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(Long.getLong(HEARTBEAT_INTERVAL_MS_PROP_NAME,
            HEARTBEAT_INTERVAL_MS_DEFAULT));
    }
}
