package dev.tern.storage;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.binlog.BinlogRecordWriter;
import dev.tern.storage.binlog.BinlogReader;
import dev.tern.transport.test.Await;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.storage.StorageTesting.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class StorageNodeTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private StorageNode node;

    @AfterEach
    void after()
    {
        if (null != node)
        {
            node.close();
        }
    }

    @Test
    void shouldReadBackWhatWasPut()
    {
        node = StorageNode.launch(context(dir));
        assertEquals(ResultCode.OK, put(node, "k", "v1"));
        assertEquals(1, node.lastWriteVersion());
        assertEquals("v1", get(node, "k"));
        assertEquals(ResultCode.OK, put(node, "k", "v2"));
        assertEquals(2, node.lastWriteVersion());
        assertEquals("v2", get(node, "k"));
    }

    @Test
    void shouldRecoverValuesAfterRestart()
    {
        node = StorageNode.launch(context(dir));
        put(node, "a", "1");
        put(node, "b", "2");
        put(node, "a", "3");
        node.close();
        node = StorageNode.launch(context(dir));
        assertEquals("3", get(node, "a"));
        assertEquals("2", get(node, "b"));
        assertEquals(2, node.version(bytes("a"), 0, 1));
    }

    @Test
    void shouldKeepRowsInOrder()
    {
        node = StorageNode.launch(context(dir));
        putRow(node, "t", "b", "2");
        putRow(node, "t", "a", "1");
        appendRow(node, "t", "c", "3");
        assertEquals(List.of("a=1@2", "b=2@1", "c=3@3"), rows(node, "t"));
        node.close();
        node = StorageNode.launch(context(dir));
        assertEquals(List.of("a=1@2", "b=2@1", "c=3@3"), rows(node, "t"));
    }

    @Test
    void shouldRecoverFromSnapshot()
    {
        node = StorageNode.launch(context(dir));
        put(node, "a", "1");
        putRow(node, "t", "r", "x");
        assertTrue(node.startSnapshot());
        while (node.isSnapshotInProgress())
        {
            node.doWork();
        }
        put(node, "b", "2");
        node.close();
        node = StorageNode.launch(context(dir));
        assertNotNull(node.latestSnapshot());
        assertEquals("1", get(node, "a"));
        assertEquals("2", get(node, "b"));
        assertEquals(List.of("r=x@1"), rows(node, "t"));
    }

    @Test
    void shouldKeepTheVersionGrowingAcrossDeleteAndRecreate()
    {
        node = StorageNode.launch(context(dir));
        put(node, "k", "1");
        assertEquals(ResultCode.OK, node.delete(0, 0, bytes("k"), 0, 1));
        assertEquals(2, node.lastWriteVersion());
        assertNull(get(node, "k"));
        assertEquals(2, node.version(bytes("k"), 0, 1));
        assertEquals(ResultCode.OK, node.putIfAbsent(0, 0, bytes("k"), 0, 1, bytes("2"), 0, 1));
        assertEquals(3, node.lastWriteVersion());
    }

    @Test
    void shouldRejectAFailedCompareAndSetWithTheCurrentVersion()
    {
        node = StorageNode.launch(context(dir));
        put(node, "k", "1");
        assertEquals(ResultCode.VERSION_MISMATCH, node.putIfVersion(0, 0, bytes("k"), 0, 1, bytes("2"), 0, 1, 5));
        assertEquals(1, node.lastWriteVersion());
        assertEquals(-1, node.lastWriteIndex());
        assertEquals(ResultCode.OK, node.putIfVersion(0, 0, bytes("k"), 0, 1, bytes("2"), 0, 1, 1));
        assertEquals("2", get(node, "k"));
    }

    @Test
    void shouldRejectPutIfAbsentOnALiveValue()
    {
        node = StorageNode.launch(context(dir));
        put(node, "k", "1");
        assertEquals(ResultCode.ALREADY_EXISTS, node.putIfAbsent(0, 0, bytes("k"), 0, 1, bytes("2"), 0, 1));
        assertEquals("1", get(node, "k"));
    }

    @Test
    void shouldRefuseMixingKeyValueAndTableOperations()
    {
        node = StorageNode.launch(context(dir));
        put(node, "kv", "1");
        putRow(node, "table", "r", "1");
        assertEquals(ResultCode.WRONG_TYPE, putRow(node, "kv", "r", "1"));
        assertEquals(ResultCode.WRONG_TYPE, put(node, "table", "1"));
        assertEquals(ResultCode.WRONG_TYPE, node.get(bytes("table"), 0, 5, new ValueView()));
        assertEquals(ResultCode.WRONG_TYPE, node.delete(0, 0, bytes("table"), 0, 5));
        assertEquals(ResultCode.WRONG_TYPE, node.deleteTable(0, 0, bytes("kv"), 0, 2));
    }

    @Test
    void shouldRefuseAnAppendThatDoesNotSortLast()
    {
        node = StorageNode.launch(context(dir));
        appendRow(node, "inbox", "0002", "b");
        assertEquals(ResultCode.ROW_KEY_NOT_LAST, appendRow(node, "inbox", "0001", "a"));
        assertEquals(ResultCode.ROW_KEY_NOT_LAST, appendRow(node, "inbox", "0002", "a"));
        assertEquals(ResultCode.OK, appendRow(node, "inbox", "0003", "c"));
        assertEquals(List.of("0002=b@1", "0003=c@2"), rows(node, "inbox"));
    }

    @Test
    void shouldScanARangeWithALimit()
    {
        node = StorageNode.launch(context(dir));
        for (int i = 0; i < 200; i++)
        {
            appendRow(node, "inbox", String.format("%04d", i), "m" + i);
        }
        final List<String> rows = new ArrayList<>();
        final int result = node.scan(bytes("inbox"), 0, 5, bytes("0050"), 0, 4, bytes("0060"), 0, 4, 5,
            (rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength, rowVersion) ->
                rows.add(rowKey.getStringWithoutLengthAscii(rowKeyOffset, rowKeyLength)));
        assertEquals(ResultCode.OK, result);
        assertEquals(5, node.lastScanCount());
        assertEquals(List.of("0050", "0051", "0052", "0053", "0054"), rows);
        assertEquals(200, node.rowCount(bytes("inbox"), 0, 5));
    }

    @Test
    void shouldApplyADecidedBatchAtomically()
    {
        node = StorageNode.launch(context(dir));
        final TableBatch batch = new TableBatch()
            .put(bytes("a"), 0, 1, bytes("1"), 0, 1)
            .put(bytes("b"), 0, 1, bytes("2"), 0, 1)
            .delete(bytes("a"), 0, 1);
        assertEquals(ResultCode.OK, node.writeTable(0, 0, bytes("t"), 0, 1, batch, StorageNode.ANY_VERSION));
        assertEquals(List.of("b=2@1"), rows(node, "t"));
        assertEquals(ResultCode.NOT_FOUND, node.deleteRow(0, 0, bytes("t"), 0, 1, bytes("zz"), 0, 2));
        assertEquals(1, node.version(bytes("t"), 0, 1), "a batch that changes nothing does not bump the version");
    }

    @Test
    void shouldRefuseBadInputAndChangeNothing()
    {
        node = StorageNode.launch(context(dir));
        final long before = node.lastBinlogIndex();
        assertEquals(ResultCode.KEY_TOO_LARGE, node.put(0, 0, bytes(""), 0, 0, bytes("v"), 0, 1));
        assertEquals(ResultCode.KEY_TOO_LARGE, put(node, "x".repeat(1025), "v"));
        assertEquals(ResultCode.VALUE_TOO_LARGE, put(node, "k", "v".repeat(4097)));
        assertEquals(ResultCode.INVALID_BATCH, node.writeTable(0, 0, bytes("t"), 0, 1, new TableBatch(), -1));
        assertEquals(ResultCode.INVALID_BATCH, node.writeTable(0, 0, bytes("t"), 0, 1,
            new TableBatch().put(bytes("r"), 0, -1, bytes("v"), 0, 1), -1));
        assertEquals(ResultCode.KEY_TOO_LARGE, putRow(node, "t", "r".repeat(1025), "v"));
        assertEquals(ResultCode.INVALID_RECORD, node.apply(bytes("not a record at all, not at all"), 0, 31));
        assertEquals(before, node.lastBinlogIndex(), "nothing was appended");
        assertEquals(0, node.version(bytes("k"), 0, 1));
    }

    @Test
    void shouldAnswerARetriedRequestWithTheOriginalResultEvenAfterARestart()
    {
        node = StorageNode.launch(context(dir));
        assertEquals(ResultCode.OK, node.put(7, 1, bytes("k"), 0, 1, bytes("first"), 0, 5));
        put(node, "k", "other");
        assertEquals(ResultCode.OK, node.put(7, 1, bytes("k"), 0, 1, bytes("retry"), 0, 5));
        assertEquals(1, node.lastWriteVersion());
        assertEquals(-1, node.lastWriteIndex(), "a retry writes nothing");
        node.close();
        node = StorageNode.launch(context(dir));
        assertEquals(ResultCode.OK, node.put(7, 1, bytes("k"), 0, 1, bytes("retry"), 0, 5));
        assertEquals(1, node.lastWriteVersion());
        assertEquals("other", get(node, "k"));
        assertEquals(ResultCode.STALE_REQUEST, node.put(7, 0, bytes("k"), 0, 1, bytes("older"), 0, 5));
        assertEquals(ResultCode.REQUEST_UNSEEN, node.requestStatus(7, 2));
    }

    @Test
    void shouldRejectWritesThatDoNotFitAndChangeNothing()
    {
        node = StorageNode.launch(context(dir).indexCapacity(2));
        put(node, "a", "1");
        put(node, "b", "1");
        assertEquals(ResultCode.STORE_FULL, put(node, "c", "1"));
        assertEquals(ResultCode.OK, put(node, "a", "2"), "existing keys still take writes");
        assertNull(get(node, "c"));
        node.close();
        node = StorageNode.launch(context(dir).arenaBytes(64 * 1024));
        int result = ResultCode.OK;
        int rows = 0;
        while (ResultCode.OK == result)
        {
            result = appendRow(node, "t", String.format("%06d", rows), "v");
            rows += ResultCode.OK == result ? 1 : 0;
        }
        assertEquals(ResultCode.STORE_FULL, result);
        assertEquals(rows, node.rowCount(bytes("t"), 0, 1));
        node.close();
        node = StorageNode.launch(context(dir).arenaBytes(64 * 1024));
        assertEquals(rows, node.rowCount(bytes("t"), 0, 1), "what was accepted is recovered in the same memory");
    }

    @Test
    void shouldIgnoreADecidedRecordNotNewerThanTheKey()
    {
        node = StorageNode.launch(context(dir));
        final BinlogRecordWriter writer = new BinlogRecordWriter();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 5, 3, 2, 11, 1, 0,
            bytes("k"), 0, 1, bytes("decided"), 0, 7);
        assertEquals(ResultCode.OK, node.apply(frame, 0, length));
        final long index = node.lastWriteIndex();
        assertEquals(5, node.version(bytes("k"), 0, 1));
        assertEquals(ResultCode.STALE_VERSION, node.apply(frame, 0, length));
        assertEquals(index, node.lastBinlogIndex(), "the second apply appended nothing");
        assertEquals("decided", get(node, "k"));
        assertEquals(ResultCode.OK, node.requestStatus(11, 1), "the decided record's request is remembered");
        assertEquals(5, node.lastWriteVersion());
    }

    @Test
    void shouldHandReplicationRecordsToTheHandlerOnRecovery()
    {
        node = StorageNode.launch(context(dir));
        final BinlogRecordWriter writer = new BinlogRecordWriter();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int promise = writer.encode(frame, 0, 64, 3, 17, 2, 0, 0, 0, bytes("k"), 0, 1, bytes(""), 0, 0);
        assertEquals(ResultCode.OK, node.appendRecord(frame, 0, promise));
        final long promiseIndex = node.lastWriteIndex();
        final int storageType = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 2, 0, 0, 0,
            bytes("k"), 0, 1, bytes("v"), 0, 1);
        assertEquals(ResultCode.UNKNOWN_OPERATION, node.appendRecord(frame, 0, storageType));
        node.close();
        final List<String> seen = new ArrayList<>();
        node = StorageNode.launch(context(dir).replicationRecordHandler(
            (index, record) -> seen.add(index + ":" + record.type() + ":" + record.ballot())));
        assertEquals(List.of(promiseIndex + ":64:17"), seen);
        assertNull(get(node, "k"));
    }

    @Test
    void shouldRefuseMetadataWhenItIsDisabled()
    {
        node = StorageNode.launch(context(dir));
        assertEquals(ResultCode.METADATA_DISABLED, node.setMetadata(bytes("k"), 0, 1, 0, 1));
        assertEquals(0, node.metadata(bytes("k"), 0, 1, 0));
    }

    @Test
    void shouldKeepMetadataOnAKeyWithoutValue()
    {
        node = StorageNode.launch(context(dir).metadataEnabled(true));
        assertEquals(ResultCode.OK, node.setMetadata(bytes("k"), 0, 1, 1, 42));
        assertEquals(42, node.metadata(bytes("k"), 0, 1, 1));
        assertEquals(0, node.version(bytes("k"), 0, 1));
        assertNull(get(node, "k"));
        put(node, "k", "v");
        assertEquals(42, node.metadata(bytes("k"), 0, 1, 1), "writes leave the metadata alone");
    }

    @Test
    void shouldRefuseASecondNodeOnTheSameDirectory()
    {
        node = StorageNode.launch(context(dir));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> StorageNode.launch(context(dir)));
        assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
    }

    @Test
    void shouldServeValuesFromTheBinlogWhenNothingIsCached()
    {
        node = StorageNode.launch(context(dir).cacheBytes(0));
        put(node, "k", "from the binlog");
        putRow(node, "t", "r", "row from the binlog");
        assertEquals("from the binlog", get(node, "k"));
        assertEquals(List.of("r=row from the binlog@1"), rows(node, "t"));
    }

    @Test
    void shouldMakeWritesDurableOnFlush()
    {
        node = StorageNode.launch(context(dir).durability(Durability.MACHINE));
        put(node, "k", "v");
        final long index = node.lastWriteIndex();
        assertEquals(index, node.flush());
        assertEquals(index, node.durableIndex());
    }

    @Test
    void shouldReportItsCountersThroughTheMonitor()
    {
        try (Monitor monitor = Monitor.launch(
            new Monitor.Context().dir(new File(dir, "monitor")).name("storage-test")
                .heartbeatIntervalMs(0)))
        {
            node = StorageNode.launch(context(new File(dir, "node")).monitor(monitor));
            put(node, "k", "v");
            get(node, "k");
            get(node, "k");
            put(node, "x".repeat(2000), "v");
            node.doWork();
            node.close();
            node = null;
            assertEquals(1, monitor.get(MonitorId.STORAGE_WRITES.id()));
            assertEquals(1, monitor.get(MonitorId.STORAGE_WRITES_REJECTED.id()));
            assertEquals(1, monitor.get(MonitorId.STORAGE_CACHE_MISSES.id()), "the first read fills the cache");
            assertEquals(1, monitor.get(MonitorId.STORAGE_CACHE_HITS.id()));
            assertEquals(1, monitor.get(MonitorId.STORAGE_KEYS.id()));
            assertTrue(monitor.get(MonitorId.STORAGE_BINLOG_BYTES.id()) > 0);
        }
    }

    @Test
    void shouldSyncOnTheIntervalWhenOneIsSet()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        node = StorageNode.launch(context(dir).durability(Durability.MACHINE).syncIntervalMs(50).epochClock(clock));
        node.flush();
        clock.advance(100);
        node.doWork();
        final long before = node.durableIndex();
        put(node, "k", "v");
        final long index = node.lastWriteIndex();
        assertEquals(before, node.flush(), "not due yet: the write is not durable");
        clock.advance(50);
        node.doWork();
        assertEquals(index, node.durableIndex(), "the duty cycle synced when the interval came");
    }

    @Test
    void shouldServeFromAnAgentThreadOtherThanTheOneThatLaunchedIt() throws Exception
    {
        node = StorageNode.launch(context(dir));
        put(node, "before", "1");
        final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
            new Agent()
            {
                private int step;

                public int doWork()
                {
                    if (step < 100)
                    {
                        put(node, "key-" + step, "value-" + step);
                        step++;
                    }
                    return node.doWork();
                }

                public String roleName()
                {
                    return "test-owner";
                }
            });
        final List<Long> indices = new ArrayList<>();
        try (BinlogReader reader = node.newBinlogReader())
        {
            reader.toStart();
            AgentRunner.startOnThread(runner);
            Await.await(() ->
            {
                reader.read((index, record) -> indices.add(index), 1000);
                return indices.size() >= 102;
            }, "the reader on this thread to see the agent's writes");
        }
        finally
        {
            runner.close();
        }
        assertEquals("value-99", get(node, "key-99"));
    }
}
