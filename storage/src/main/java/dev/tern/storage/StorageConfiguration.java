package dev.tern.storage;

import java.io.File;

/**
 * System properties of a {@link StorageNode} and their defaults: the only place they are read.
 */
public final class StorageConfiguration
{
    /** Longest key and row key, bytes. */
    public static final int MAX_KEY_LENGTH = 1024;

    /** Directory of the node's binlog and snapshots. */
    public static final String DIR_PROP_NAME = "tern.storage.dir";
    public static final String DIR_DEFAULT = "data/storage";

    /** Node id written as the origin of the node's records; unique within a replica group. */
    public static final String NODE_ID_PROP_NAME = "tern.storage.node.id";
    public static final int NODE_ID_DEFAULT = 0;

    /** Longest value (and row value), bytes. */
    public static final String MAX_VALUE_LENGTH_PROP_NAME = "tern.storage.max.value.length";
    public static final int MAX_VALUE_LENGTH_DEFAULT = 64 * 1024;

    /** Longest binlog record, bytes: bounds a table batch. */
    public static final String MAX_RECORD_LENGTH_PROP_NAME = "tern.storage.max.record.length";
    public static final int MAX_RECORD_LENGTH_DEFAULT = 1024 * 1024;

    /** Most rows in one table batch. */
    public static final String MAX_BATCH_ROWS_PROP_NAME = "tern.storage.max.batch.rows";
    public static final int MAX_BATCH_ROWS_DEFAULT = 1024;

    /** Most keys (including tombstones and metadata-only keys) the index holds. */
    public static final String INDEX_CAPACITY_PROP_NAME = "tern.storage.index.capacity";
    public static final long INDEX_CAPACITY_DEFAULT = 1_000_000;

    /** Bytes of native memory for key entries, keys, tables and rows. */
    public static final String ARENA_BYTES_PROP_NAME = "tern.storage.arena.bytes";
    public static final long ARENA_BYTES_DEFAULT = 256L * 1024 * 1024;

    /** Bytes of native memory for the value cache; 0 serves every value from the binlog or snapshot. */
    public static final String CACHE_BYTES_PROP_NAME = "tern.storage.cache.bytes";
    public static final long CACHE_BYTES_DEFAULT = 256L * 1024 * 1024;

    /** PROCESS or MACHINE: see {@link Durability}. */
    public static final String DURABILITY_PROP_NAME = "tern.storage.durability";
    public static final Durability DURABILITY_DEFAULT = Durability.PROCESS;

    /** MACHINE durability: 0 syncs on every flush (group commit); above 0, at most every that many ms. */
    public static final String SYNC_INTERVAL_MS_PROP_NAME = "tern.storage.sync.interval.ms";
    public static final long SYNC_INTERVAL_MS_DEFAULT = 0;

    /** How often a background snapshot starts, ms; 0: only when asked. */
    public static final String SNAPSHOT_INTERVAL_MS_PROP_NAME = "tern.storage.snapshot.interval.ms";
    public static final long SNAPSHOT_INTERVAL_MS_DEFAULT = 10 * 60 * 1000;

    /** Bytes of snapshot written per duty cycle while a snapshot runs (a whole table is always written at once). */
    public static final String SNAPSHOT_BYTES_PER_CYCLE_PROP_NAME = "tern.storage.snapshot.bytes.per.cycle";
    public static final int SNAPSHOT_BYTES_PER_CYCLE_DEFAULT = 256 * 1024;

    /** Chronicle Queue roll cycle of the binlog: the unit of binlog deletion, e.g. FAST_HOURLY, TEN_MINUTELY. */
    public static final String ROLL_CYCLE_PROP_NAME = "tern.storage.roll.cycle";
    public static final String ROLL_CYCLE_DEFAULT = "FAST_HOURLY";

    /** Clients whose last request result is remembered for at-most-once retries. */
    public static final String REQUEST_TABLE_CAPACITY_PROP_NAME = "tern.storage.request.table.capacity";
    public static final int REQUEST_TABLE_CAPACITY_DEFAULT = 64 * 1024;

    /** Whether each key carries the two metadata words of the replication layer. */
    public static final String METADATA_ENABLED_PROP_NAME = "tern.storage.metadata.enabled";
    public static final boolean METADATA_ENABLED_DEFAULT = false;

    private StorageConfiguration()
    {
    }

    public static File dir()
    {
        return new File(System.getProperty(DIR_PROP_NAME, DIR_DEFAULT));
    }

    public static int nodeId()
    {
        return Integer.getInteger(NODE_ID_PROP_NAME, NODE_ID_DEFAULT);
    }

    public static int maxValueLength()
    {
        return Integer.getInteger(MAX_VALUE_LENGTH_PROP_NAME, MAX_VALUE_LENGTH_DEFAULT);
    }

    public static int maxRecordLength()
    {
        return Integer.getInteger(MAX_RECORD_LENGTH_PROP_NAME, MAX_RECORD_LENGTH_DEFAULT);
    }

    public static int maxBatchRows()
    {
        return Integer.getInteger(MAX_BATCH_ROWS_PROP_NAME, MAX_BATCH_ROWS_DEFAULT);
    }

    public static long indexCapacity()
    {
        return Long.getLong(INDEX_CAPACITY_PROP_NAME, INDEX_CAPACITY_DEFAULT);
    }

    public static long arenaBytes()
    {
        return Long.getLong(ARENA_BYTES_PROP_NAME, ARENA_BYTES_DEFAULT);
    }

    public static long cacheBytes()
    {
        return Long.getLong(CACHE_BYTES_PROP_NAME, CACHE_BYTES_DEFAULT);
    }

    /**
     * @throws IllegalArgumentException naming the property when its value is not PROCESS or MACHINE.
     */
    public static Durability durability()
    {
        final String value = System.getProperty(DURABILITY_PROP_NAME);
        if (null == value)
        {
            return DURABILITY_DEFAULT;
        }
        try
        {
            return Durability.valueOf(value.trim().toUpperCase());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(DURABILITY_PROP_NAME + "=" + value + " must be PROCESS or MACHINE", ex);
        }
    }

    public static long syncIntervalMs()
    {
        return Long.getLong(SYNC_INTERVAL_MS_PROP_NAME, SYNC_INTERVAL_MS_DEFAULT);
    }

    public static long snapshotIntervalMs()
    {
        return Long.getLong(SNAPSHOT_INTERVAL_MS_PROP_NAME, SNAPSHOT_INTERVAL_MS_DEFAULT);
    }

    public static int snapshotBytesPerCycle()
    {
        return Integer.getInteger(SNAPSHOT_BYTES_PER_CYCLE_PROP_NAME, SNAPSHOT_BYTES_PER_CYCLE_DEFAULT);
    }

    public static String rollCycle()
    {
        return System.getProperty(ROLL_CYCLE_PROP_NAME, ROLL_CYCLE_DEFAULT);
    }

    public static int requestTableCapacity()
    {
        return Integer.getInteger(REQUEST_TABLE_CAPACITY_PROP_NAME, REQUEST_TABLE_CAPACITY_DEFAULT);
    }

    public static boolean metadataEnabled()
    {
        final String value = System.getProperty(METADATA_ENABLED_PROP_NAME);
        return null == value ? METADATA_ENABLED_DEFAULT : Boolean.parseBoolean(value);
    }
}
