package dev.tern.storage;

/**
 * What an acknowledged write survives. A caller acknowledges writes only after {@link StorageNode#flush()} returned
 * an index at or past theirs ({@link StorageNode#durableIndex()}).
 */
public enum Durability
{
    /**
     * Survive a crash of the process (kill -9, OOM, JVM crash): binlog records are written into memory-mapped files,
     * so they are in the operating system's page cache as soon as they are appended and flush costs nothing. A crash
     * of the machine or the kernel loses what the kernel had not yet written back (typically up to 30 s).
     */
    PROCESS,

    /**
     * Also survive a machine crash or power loss: flush msyncs the appended range (Chronicle Queue's
     * {@code SyncMode.SYNC} with {@code ExcerptAppender.sync()}), on each group commit, or at most every
     * {@code syncIntervalMs} when that is set. Costs one device write and cache flush per group commit.
     */
    MACHINE
}
