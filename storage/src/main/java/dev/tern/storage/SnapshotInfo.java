package dev.tern.storage;

import java.io.File;

/**
 * The latest complete snapshot of a node: the file to ship to another node, and where binlogs continue after it.
 */
public final class SnapshotInfo
{
    private final File file;
    private final int generation;
    private final long replayFromIndex;
    private final long sourceIndex;
    private final int sourceNodeId;

    SnapshotInfo(final File file, final int generation, final long replayFromIndex, final long sourceIndex, final int sourceNodeId)
    {
        this.file = file;
        this.generation = generation;
        this.replayFromIndex = replayFromIndex;
        this.sourceIndex = sourceIndex;
        this.sourceNodeId = sourceNodeId;
    }

    /** @return the snapshot file: self-contained, checksummed, installable with {@link StorageNode#installSnapshot}. */
    public File file()
    {
        return file;
    }

    /** @return the snapshot's generation on this node: grows with every snapshot taken or installed. */
    public int generation()
    {
        return generation;
    }

    /** @return this node's binlog index of the SNAPSHOT_MARK its recovery replays from. */
    public long replayFromIndex()
    {
        return replayFromIndex;
    }

    /**
     * @return the index of the snapshot's mark in the binlog of the node that took it: a node that installed the
     * snapshot streams that node's binlog from here.
     */
    public long sourceIndex()
    {
        return sourceIndex;
    }

    /** @return the node that took the snapshot. */
    public int sourceNodeId()
    {
        return sourceNodeId;
    }

    public String toString()
    {
        return "SnapshotInfo{file=" + file + ", generation=" + generation + ", replayFromIndex=" + replayFromIndex +
            ", sourceIndex=" + sourceIndex + ", sourceNodeId=" + sourceNodeId + "}";
    }
}
