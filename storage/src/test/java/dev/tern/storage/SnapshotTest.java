package dev.tern.storage;

import dev.tern.storage.snapshot.SnapshotWriter;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.tern.storage.StorageTesting.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class SnapshotTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private StorageNode node;
    private StorageNode other;

    @AfterEach
    void after()
    {
        if (null != node)
        {
            node.close();
        }
        if (null != other)
        {
            other.close();
        }
    }

    @Test
    void shouldRestoreKeysTablesTombstonesAndMetadata()
    {
        node = StorageNode.launch(context(new File(dir, "a")).metadataEnabled(true));
        writeSample(node);
        snapshot(node);
        node.close();
        node = StorageNode.launch(context(new File(dir, "a")).metadataEnabled(true));
        assertSample(node);
        assertEquals(0, node.recoveryRecords() - 1, "only the snapshot mark is replayed");
    }

    @Test
    void shouldCaptureWritesMadeWhileTheSnapshotRuns()
    {
        node = StorageNode.launch(context(new File(dir, "a")).snapshotBytesPerCycle(4096));
        for (int i = 0; i < 2000; i++)
        {
            put(node, "key-" + i, "old-" + i);
        }
        assertTrue(node.startSnapshot());
        int i = 0;
        while (node.isSnapshotInProgress())
        {
            put(node, "key-" + (i * 7 % 2000), "new-" + i);
            put(node, "fresh-" + i, "v" + i);
            node.doWork();
            i++;
        }
        assertTrue(i > 3, "the snapshot took several duty cycles");
        final int writesDuringSnapshot = i;
        node.close();
        node = StorageNode.launch(context(new File(dir, "a")));
        for (int j = 0; j < writesDuringSnapshot; j++)
        {
            assertEquals("v" + j, get(node, "fresh-" + j));
        }
        assertEquals("new-" + (writesDuringSnapshot - 1), get(node, "key-" + ((writesDuringSnapshot - 1) * 7 % 2000)));
    }

    @Test
    void shouldInstallASnapshotTakenOnAnotherNode()
    {
        node = StorageNode.launch(context(new File(dir, "a")).metadataEnabled(true));
        writeSample(node);
        snapshot(node);
        final SnapshotInfo shipped = node.latestSnapshot();

        other = StorageNode.launch(context(new File(dir, "b")).nodeId(2).metadataEnabled(true));
        put(other, "only-on-b", "gone after install");
        assertEquals(ResultCode.OK, other.installSnapshot(shipped.file()));
        assertSample(other);
        assertNull(get(other, "only-on-b"));
        assertEquals(shipped.sourceIndex(), other.latestSnapshot().sourceIndex());
        assertEquals(1, other.latestSnapshot().sourceNodeId());

        put(other, "after-install", "kept");
        other.close();
        other = StorageNode.launch(context(new File(dir, "b")).nodeId(2).metadataEnabled(true));
        assertSample(other);
        assertEquals("kept", get(other, "after-install"));
        assertNull(get(other, "only-on-b"));
    }

    @Test
    void shouldRefuseADamagedSnapshotAndChangeNothing() throws Exception
    {
        node = StorageNode.launch(context(new File(dir, "a")));
        writeSample(node);
        snapshot(node);
        final File damaged = new File(dir, "damaged.tsnap");
        Files.copy(node.latestSnapshot().file().toPath(), damaged.toPath());
        try (RandomAccessFile file = new RandomAccessFile(damaged, "rw"))
        {
            file.seek(file.length() / 2);
            final int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0x20);
        }
        other = StorageNode.launch(context(new File(dir, "b")));
        put(other, "mine", "stays");
        assertEquals(ResultCode.CHECKSUM_MISMATCH, other.installSnapshot(damaged));
        assertEquals("stays", get(other, "mine"));
        assertEquals(ResultCode.INVALID_RECORD, other.installSnapshot(new File(dir, "no-such-file")));
    }

    @Test
    void shouldDeleteBinlogCyclesOlderThanTheSnapshotAndTheFloorAndStillServeTheirValues()
    {
        clock.update(TimeUnit.DAYS.toMillis(20_000));
        final long[] floor = {Long.MAX_VALUE};
        final File nodeDir = new File(dir, "a");
        node = StorageNode.launch(context(nodeDir).epochClock(clock).rollCycle("FIVE_MINUTELY").cacheBytes(0)
            .binlogRetentionFloor(() -> floor[0]));
        final long[] indices = new long[5];
        for (int i = 0; i < indices.length; i++)
        {
            put(node, "key-" + i, "value-" + i);
            indices[i] = node.lastWriteIndex();
            clock.advance(TimeUnit.MINUTES.toMillis(5));
        }
        floor[0] = indices[2];
        snapshot(node);
        assertEquals(indices[2], node.firstBinlogIndex(), "cycles below the replicas' floor are gone, no more");
        for (int i = 0; i < indices.length; i++)
        {
            assertEquals("value-" + i, get(node, "key-" + i), "served from the snapshot");
        }
        assertEquals(3, node.deleteBinlogCycles(Long.MAX_VALUE), "the rest goes once the floor allows");
        node.close();
        node = StorageNode.launch(context(nodeDir).epochClock(clock).rollCycle("FIVE_MINUTELY").cacheBytes(0));
        for (int i = 0; i < indices.length; i++)
        {
            assertEquals("value-" + i, get(node, "key-" + i));
        }
    }

    @Test
    void shouldKeepTheCyclesFromTheReplayFloorASnapshotWasTakenAtAndRestartFromThem()
    {
        clock.update(TimeUnit.DAYS.toMillis(20_000));
        final long[] replayFloor = {Long.MAX_VALUE};
        final File nodeDir = new File(dir, "a");
        node = StorageNode.launch(context(nodeDir).epochClock(clock).rollCycle("FIVE_MINUTELY")
            .replayFloor(() -> replayFloor[0]));
        final long[] indices = new long[4];
        for (int i = 0; i < indices.length; i++)
        {
            put(node, "key-" + i, "value-" + i);
            indices[i] = node.lastWriteIndex();
            clock.advance(TimeUnit.MINUTES.toMillis(5));
        }
        // the replica above still needs the record at indices[1] replayed (an open vote): the snapshot replays from it
        replayFloor[0] = indices[1];
        snapshot(node);
        assertEquals(indices[1], node.latestSnapshot().replayFromIndex());
        assertEquals(indices[1], node.firstBinlogIndex(), "the snapshot deleted only the cycle before its replay floor");
        assertEquals(0, node.deleteBinlogCycles(Long.MAX_VALUE));

        node.close();
        node = StorageNode.launch(context(nodeDir).epochClock(clock).rollCycle("FIVE_MINUTELY"));
        assertEquals(indices[1], node.latestSnapshot().replayFromIndex());
        for (int i = 0; i < indices.length; i++)
        {
            assertEquals("value-" + i, get(node, "key-" + i));
        }
    }

    @Test
    void shouldReplayTheWholeBinlogWhenTheSnapshotIsDamaged() throws Exception
    {
        final File nodeDir = new File(dir, "a");
        node = StorageNode.launch(context(nodeDir));
        writeSample(node);
        snapshot(node);
        final File snapshotFile = node.latestSnapshot().file();
        node.close();
        try (RandomAccessFile file = new RandomAccessFile(snapshotFile, "rw"))
        {
            file.setLength(file.length() - 10);
        }
        final int[] errors = {0};
        node = StorageNode.launch(context(nodeDir).errorHandler(ex -> errors[0]++));
        assertEquals(1, errors[0], "the damaged snapshot is reported");
        assertNull(node.latestSnapshot());
        assertEquals("v2", get(node, "kv"));
        assertTrue(new File(nodeDir, "damaged").list().length > 0, "the damaged snapshot is kept aside");
    }

    @Test
    void shouldRefuseToStartWhenTheSnapshotIsDamagedAndTheBinlogNoLongerHoldsItsPast() throws Exception
    {
        clock.update(TimeUnit.DAYS.toMillis(20_000));
        final File nodeDir = new File(dir, "a");
        node = StorageNode.launch(context(nodeDir).epochClock(clock).rollCycle("FIVE_MINUTELY"));
        put(node, "k", "1");
        clock.advance(TimeUnit.MINUTES.toMillis(5));
        put(node, "k", "2");
        snapshot(node);
        final File snapshotFile = node.latestSnapshot().file();
        node.close();
        node = null;
        try (RandomAccessFile file = new RandomAccessFile(snapshotFile, "rw"))
        {
            file.setLength(file.length() - 10);
        }
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> StorageNode.launch(context(nodeDir).epochClock(clock).rollCycle("FIVE_MINUTELY").errorHandler(e -> { })));
        assertTrue(ex.getMessage().contains("install a snapshot"), ex.getMessage());
    }

    @Test
    void shouldRefuseASnapshotWhoseTablesDoNotAddUpAndChangeNothing()
    {
        final File lying = new File(dir, "lying.tsnap");
        try (SnapshotWriter writer = new SnapshotWriter(lying, 8192, 1, 1, 1, 9, 0))
        {
            writer.writeTable(bytes("t"), 0, 1, 3, new long[4], 5);
            writer.writeRow(bytes("r"), 0, 1, 3, bytes("v"), 0, 1);
            writer.finish();
        }
        other = StorageNode.launch(context(new File(dir, "b")));
        put(other, "mine", "stays");
        assertEquals(ResultCode.INVALID_RECORD, other.installSnapshot(lying));
        assertEquals("stays", get(other, "mine"));
    }

    static void snapshot(final StorageNode node)
    {
        assertTrue(node.startSnapshot());
        while (node.isSnapshotInProgress())
        {
            node.doWork();
        }
        assertNotNull(node.latestSnapshot());
    }

    private static void writeSample(final StorageNode node)
    {
        put(node, "kv", "v1");
        put(node, "kv", "v2");
        put(node, "deleted", "x");
        node.delete(0, 0, bytes("deleted"), 0, 7);
        putRow(node, "table", "b", "2");
        putRow(node, "table", "a", "1");
        if (node.context().metadataEnabled())
        {
            assertEquals(ResultCode.OK, node.setMetadata(bytes("meta-only"), 0, 9, 1, 77));
            assertEquals(ResultCode.OK, node.setMetadata(bytes("kv"), 0, 2, 0, 5));
        }
        node.put(9, 4, bytes("retried"), 0, 7, bytes("once"), 0, 4);
    }

    private static void assertSample(final StorageNode node)
    {
        assertEquals("v2", get(node, "kv"));
        assertEquals(2, node.version(bytes("kv"), 0, 2));
        assertNull(get(node, "deleted"));
        assertEquals(2, node.version(bytes("deleted"), 0, 7), "a tombstone keeps its version");
        assertEquals(List.of("a=1@2", "b=2@1"), rows(node, "table"));
        if (node.context().metadataEnabled())
        {
            assertEquals(77, node.metadata(bytes("meta-only"), 0, 9, 1));
            assertEquals(0, node.version(bytes("meta-only"), 0, 9));
            assertEquals(5, node.metadata(bytes("kv"), 0, 2, 0));
        }
        assertEquals(ResultCode.OK, node.put(9, 4, bytes("retried"), 0, 7, bytes("twice"), 0, 5));
        assertEquals("once", get(node, "retried"), "the retry was answered from the request table");
    }
}
