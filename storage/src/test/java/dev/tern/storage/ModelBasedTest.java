package dev.tern.storage;

import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.binlog.BinlogRecordWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.stream.LongStream;

import static dev.tern.storage.StorageTesting.bytes;
import static dev.tern.storage.StorageTesting.length;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of every operation against the store and against a trivial in-memory model, compared after every
 * step: results, versions, and the whole visible state. Restarts (close and reopen), snapshots taken while writes
 * go on, restarts in the middle of a snapshot, tiny caches that force reads back from the binlog and snapshots, and
 * retried requests are mixed in. A failure names the seed and the step; rerun that seed to reproduce it.
 */
@Timeout(300)
class ModelBasedTest
{
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5"};
    private static final String[] ROW_KEYS = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"};
    private static final byte NONE = 0;
    private static final byte VALUE = 1;
    private static final byte TOMBSTONE = 2;
    private static final byte TABLE = 3;
    private static final int STEPS = 400;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final Map<String, ModelKey> model = new HashMap<>();
    private final long[] lastSequence = new long[4];
    private final IntSupplier[] lastCall = new IntSupplier[4];
    private final int[] lastResult = new int[4];
    private final long[] lastVersion = new long[4];
    private final BinlogRecordWriter recordWriter = new BinlogRecordWriter();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64 * 1024]);
    private final TableBatch batch = new TableBatch();
    private Random random;
    private StorageNode node;
    private long cacheBytes;
    private String trace = "";

    static LongStream seeds()
    {
        return LongStream.rangeClosed(1, 12);
    }

    static LongStream manySeeds()
    {
        return LongStream.rangeClosed(100, 300);
    }

    @AfterEach
    void after()
    {
        if (null != node)
        {
            node.close();
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldBehaveLikeTheModel(final long seed)
    {
        run(seed);
    }

    @Tag("slow")
    @ParameterizedTest
    @MethodSource("manySeeds")
    void shouldBehaveLikeTheModelOverManySeeds(final long seed)
    {
        run(seed);
    }

    private void run(final long seed)
    {
        random = new Random(seed);
        cacheBytes = new long[]{0, 256 * 1024, 2 * 1024 * 1024}[(int)(seed % 3)];
        open();
        for (int step = 0; step < STEPS; step++)
        {
            try
            {
                step();
                node.doWork();
                compareAll();
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + " step " + step + " after " + trace + ": " + ex.getMessage(), ex);
            }
        }
    }

    private void open()
    {
        node = StorageNode.launch(StorageTesting.context(dir)
            .cacheBytes(cacheBytes)
            .snapshotBytesPerCycle(4096));
        Arrays.fill(lastCall, null);
    }

    private void step()
    {
        final int dice = random.nextInt(1000);
        final String key = KEYS[random.nextInt(KEYS.length)];
        final int client = random.nextInt(4);
        if (dice < 15)
        {
            trace = "restart";
            node.close();
            open();
        }
        else if (dice < 30)
        {
            trace = "snapshot start";
            node.startSnapshot();
        }
        else if (dice < 38)
        {
            trace = "snapshot to the end, then restart";
            node.startSnapshot();
            while (node.isSnapshotInProgress())
            {
                node.doWork();
            }
            node.close();
            open();
        }
        else if (dice < 80 && null != lastCall[client])
        {
            trace = "retry of client " + client;
            final int result = lastCall[client].getAsInt();
            assertEquals(ResultCode.describe(lastResult[client]), ResultCode.describe(result), "retried result");
            assertEquals(lastVersion[client], node.lastWriteVersion(), "retried version");
        }
        else if (dice < 90 && null != lastCall[client] && lastSequence[client] > 1)
        {
            trace = "stale request of client " + client;
            final long sequence = lastSequence[client] - 1;
            assertEquals(ResultCode.describe(ResultCode.STALE_REQUEST), ResultCode.describe(
                node.put(client, sequence, bytes(key), 0, length(key), bytes("x"), 0, 1)));
        }
        else if (dice < 400)
        {
            final String value = value();
            final int mode = random.nextInt(3);
            final long expected = expectedVersion(key);
            trace = "put mode " + mode + " " + key + "=" + value.length() + "b expected " + expected;
            call(client, () -> 0 == mode ? node.put(client, lastSequence[client], bytes(key), 0, length(key), bytes(value), 0, length(value)) :
                1 == mode ? node.putIfAbsent(client, lastSequence[client], bytes(key), 0, length(key), bytes(value), 0, length(value)) :
                node.putIfVersion(client, lastSequence[client], bytes(key), 0, length(key), bytes(value), 0, length(value), expected),
                () -> modelPut(key, value, mode, expected));
        }
        else if (dice < 500)
        {
            final long expected = random.nextBoolean() ? StorageNode.ANY_VERSION : expectedVersion(key);
            trace = "delete " + key + " expected " + expected;
            call(client, () -> node.deleteIfVersion(client, lastSequence[client], bytes(key), 0, length(key), expected),
                () -> modelDelete(key, expected));
        }
        else if (dice < 800)
        {
            final List<String[]> ops = batchOps();
            final long expected = random.nextInt(4) == 0 ? expectedVersion(key) : StorageNode.ANY_VERSION;
            trace = "table " + key + " " + describe(ops) + " expected " + expected;
            call(client, () -> node.writeTable(client, lastSequence[client], bytes(key), 0, length(key), fill(ops), expected),
                () -> modelTable(key, ops, expected));
        }
        else if (dice < 830)
        {
            trace = "delete table " + key;
            call(client, () -> node.deleteTable(client, lastSequence[client], bytes(key), 0, length(key)),
                () -> modelTombstone(key, TABLE));
        }
        else if (dice < 930)
        {
            applyRandomRecord(key);
        }
        else if (dice < 960)
        {
            trace = "invalid input";
            final String tooLong = "x".repeat(StorageConfiguration.MAX_KEY_LENGTH + 1);
            assertEquals(ResultCode.KEY_TOO_LARGE, node.put(0, 0, bytes(tooLong), 0, length(tooLong), bytes("v"), 0, 1));
            final String bigValue = "v".repeat(5000);
            assertEquals(ResultCode.VALUE_TOO_LARGE, node.put(0, 0, bytes(key), 0, length(key), bytes(bigValue), 0,
                length(bigValue)));
            assertEquals(ResultCode.INVALID_RECORD, node.apply(bytes("garbage garbage garbage garbage garbage garbage " +
                "garbage garbage garbage garbage"), 0, 100));
        }
        else
        {
            final String from = random.nextBoolean() ? "" : ROW_KEYS[random.nextInt(ROW_KEYS.length)];
            final String to = random.nextBoolean() ? "" : ROW_KEYS[random.nextInt(ROW_KEYS.length)];
            final int limit = 1 + random.nextInt(5);
            trace = "scan " + key + " [" + from + ", " + to + ") limit " + limit;
            assertEquals(modelScan(key, from, to, limit), scan(key, from, to, limit), "bounded scan");
        }
    }

    private void call(final int client, final IntSupplier store, final IntSupplier modelOp)
    {
        lastSequence[client]++;
        final int expected = modelOp.getAsInt();
        final long expectedVersion = modelVersionAfter;
        final int result = store.getAsInt();
        assertEquals(ResultCode.describe(expected), ResultCode.describe(result), "result");
        assertEquals(expectedVersion, node.lastWriteVersion(), "lastWriteVersion");
        if (client > 0)
        {
            lastCall[client] = store;
            lastResult[client] = result;
            lastVersion[client] = node.lastWriteVersion();
        }
    }

    private void applyRandomRecord(final String key)
    {
        final ModelKey current = model.get(key);
        final long currentVersion = null == current ? 0 : current.version;
        final long version = Math.max(1, currentVersion + new int[]{-1, 0, 1, 1, 2, 5}[random.nextInt(6)]);
        final int type = new int[]{BinlogRecord.KV_PUT, BinlogRecord.KV_DELETE, BinlogRecord.TABLE_OPS,
            BinlogRecord.TABLE_DELETE}[random.nextInt(4)];
        final int frameLength;
        final List<String[]> ops = new ArrayList<>();
        if (BinlogRecord.TABLE_OPS == type)
        {
            ops.add(new String[]{"put", ROW_KEYS[random.nextInt(ROW_KEYS.length)], value()});
            if (random.nextBoolean())
            {
                ops.add(new String[]{"delete", ROW_KEYS[random.nextInt(ROW_KEYS.length)], ""});
            }
            frameLength = recordWriter.encodeTableOps(frame, 0, version, 7, 2, 0, 0, 1, bytes(key), 0, length(key),
                fill(ops));
        }
        else
        {
            final String value = BinlogRecord.KV_PUT == type ? value() : "";
            ops.add(new String[]{"value", "", value});
            frameLength = recordWriter.encode(frame, 0, type, version, 7, 2, 0, 0, 1, bytes(key), 0, length(key),
                bytes(value), 0, length(value));
        }
        trace = "apply type " + type + " " + key + " v" + version + " " + describe(ops);
        final int expected;
        if (version <= currentVersion)
        {
            expected = ResultCode.STALE_VERSION;
            modelVersionAfter = currentVersion;
        }
        else
        {
            expected = ResultCode.OK;
            modelVersionAfter = version;
            final ModelKey k = model.computeIfAbsent(key, ignore -> new ModelKey());
            k.version = version;
            if (BinlogRecord.KV_PUT == type)
            {
                k.kind = VALUE;
                k.value = ops.get(0)[2];
                k.rows.clear();
            }
            else if (BinlogRecord.TABLE_OPS == type)
            {
                if (TABLE != k.kind)
                {
                    k.rows.clear();
                    k.kind = TABLE;
                }
                applyModelRows(k, ops, version);
            }
            else
            {
                k.kind = TOMBSTONE;
                k.rows.clear();
            }
        }
        assertEquals(ResultCode.describe(expected), ResultCode.describe(node.apply(frame, 0, frameLength)), "apply result");
        assertEquals(modelVersionAfter, node.lastWriteVersion(), "apply version");
    }

    // ------------------------------------------------------------------ the model

    private long modelVersionAfter;

    private int modelPut(final String key, final String value, final int mode, final long expected)
    {
        final ModelKey k = model.computeIfAbsent(key, ignore -> new ModelKey());
        modelVersionAfter = k.version;
        if (TABLE == k.kind)
        {
            return ResultCode.WRONG_TYPE;
        }
        if (1 == mode && VALUE == k.kind)
        {
            return ResultCode.ALREADY_EXISTS;
        }
        if (2 == mode && expected != k.version)
        {
            return ResultCode.VERSION_MISMATCH;
        }
        k.version++;
        k.kind = VALUE;
        k.value = value;
        modelVersionAfter = k.version;
        return ResultCode.OK;
    }

    private int modelDelete(final String key, final long expected)
    {
        final ModelKey k = model.computeIfAbsent(key, ignore -> new ModelKey());
        modelVersionAfter = k.version;
        if (TABLE == k.kind)
        {
            return ResultCode.WRONG_TYPE;
        }
        if (VALUE != k.kind)
        {
            return ResultCode.NOT_FOUND;
        }
        if (StorageNode.ANY_VERSION != expected && expected != k.version)
        {
            return ResultCode.VERSION_MISMATCH;
        }
        return modelTombstone(key, VALUE);
    }

    private int modelTombstone(final String key, final byte expectedKind)
    {
        final ModelKey k = model.computeIfAbsent(key, ignore -> new ModelKey());
        modelVersionAfter = k.version;
        if (expectedKind != k.kind)
        {
            return VALUE == k.kind || TABLE == k.kind ? ResultCode.WRONG_TYPE : ResultCode.NOT_FOUND;
        }
        k.version++;
        k.kind = TOMBSTONE;
        k.value = null;
        k.rows.clear();
        modelVersionAfter = k.version;
        return ResultCode.OK;
    }

    private int modelTable(final String key, final List<String[]> ops, final long expected)
    {
        final ModelKey k = model.computeIfAbsent(key, ignore -> new ModelKey());
        modelVersionAfter = k.version;
        if (VALUE == k.kind)
        {
            return ResultCode.WRONG_TYPE;
        }
        if (StorageNode.ANY_VERSION != expected && expected != k.version)
        {
            return ResultCode.VERSION_MISMATCH;
        }
        final String last = TABLE == k.kind && !k.rows.isEmpty() ? k.rows.lastKey() : null;
        boolean changes = false;
        String previousMax = null;
        for (final String[] op : ops)
        {
            if ("delete".equals(op[0]))
            {
                changes |= TABLE == k.kind && k.rows.containsKey(op[1]);
            }
            else
            {
                changes = true;
                if ("append".equals(op[0]) &&
                    (null != last && op[1].compareTo(last) <= 0 || null != previousMax && op[1].compareTo(previousMax) <= 0))
                {
                    return ResultCode.ROW_KEY_NOT_LAST;
                }
            }
            if (null == previousMax || op[1].compareTo(previousMax) > 0)
            {
                previousMax = op[1];
            }
        }
        if (!changes)
        {
            return ResultCode.NOT_FOUND;
        }
        k.version++;
        if (TABLE != k.kind)
        {
            k.rows.clear();
            k.kind = TABLE;
        }
        applyModelRows(k, ops, k.version);
        modelVersionAfter = k.version;
        return ResultCode.OK;
    }

    private static void applyModelRows(final ModelKey k, final List<String[]> ops, final long version)
    {
        for (final String[] op : ops)
        {
            if ("delete".equals(op[0]))
            {
                k.rows.remove(op[1]);
            }
            else
            {
                k.rows.put(op[1], op[2] + "@" + version);
            }
        }
    }

    private List<String> modelScan(final String key, final String from, final String to, final int limit)
    {
        final ModelKey k = model.get(key);
        final List<String> result = new ArrayList<>();
        if (null == k || TABLE != k.kind)
        {
            result.add(null != k && VALUE == k.kind ? "WRONG_TYPE" : "NOT_FOUND");
            return result;
        }
        for (final Map.Entry<String, String> row : k.rows.entrySet())
        {
            if (result.size() == limit || !to.isEmpty() && row.getKey().compareTo(to) >= 0)
            {
                break;
            }
            if (row.getKey().compareTo(from) >= 0)
            {
                result.add(row.getKey() + "=" + row.getValue());
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ comparing

    private void compareAll()
    {
        final ValueView view = new ValueView();
        for (final String key : KEYS)
        {
            final ModelKey k = model.get(key);
            final long version = null == k ? 0 : k.version;
            assertEquals(version, node.version(bytes(key), 0, length(key)), "version of " + key);
            final int result = node.get(bytes(key), 0, length(key), view);
            if (null != k && VALUE == k.kind)
            {
                assertEquals("OK", ResultCode.describe(result), "get " + key);
                assertEquals(k.value, StorageTesting.string(view), "value of " + key);
                assertEquals(version, view.version(), "version of the value of " + key);
            }
            else
            {
                assertEquals(null != k && TABLE == k.kind ? "WRONG_TYPE" : "NOT_FOUND", ResultCode.describe(result), "get " + key);
            }
            assertEquals(modelScan(key, "", "", Integer.MAX_VALUE), scan(key, "", "", Integer.MAX_VALUE), "rows of " + key);
            final String rowKey = ROW_KEYS[random.nextInt(ROW_KEYS.length)];
            final int rowResult = node.getRow(bytes(key), 0, length(key), bytes(rowKey), 0, length(rowKey), view);
            final String expectedRow = null != k && TABLE == k.kind ? k.rows.get(rowKey) : null;
            if (null != expectedRow)
            {
                assertEquals("OK", ResultCode.describe(rowResult), "getRow " + key + "/" + rowKey);
                assertEquals(expectedRow, StorageTesting.string(view) + "@" + view.version(), "row " + key + "/" + rowKey);
            }
            else
            {
                assertEquals(null != k && VALUE == k.kind ? "WRONG_TYPE" : "NOT_FOUND", ResultCode.describe(rowResult),
                    "getRow " + key + "/" + rowKey);
            }
        }
    }

    private List<String> scan(final String key, final String from, final String to, final int limit)
    {
        final List<String> rows = new ArrayList<>();
        final int result = node.scan(bytes(key), 0, length(key), bytes(from), 0, length(from), bytes(to), 0, length(to),
            limit, (rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength, rowVersion) ->
            {
                rows.add(rowKey.getStringWithoutLengthAscii(rowKeyOffset, rowKeyLength) + "=" +
                    value.getStringWithoutLengthAscii(valueOffset, valueLength) + "@" + rowVersion);
                return true;
            });
        if (ResultCode.OK != result)
        {
            rows.add(ResultCode.describe(result));
        }
        else if (node.lastScanCount() != rows.size())
        {
            fail("scan counted " + node.lastScanCount() + " but delivered " + rows.size());
        }
        return rows;
    }

    // ------------------------------------------------------------------ generators

    private String value()
    {
        final int length = random.nextInt(10) == 0 ? 200 + random.nextInt(3000) : random.nextInt(40);
        final StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            value.append((char)('a' + random.nextInt(26)));
        }
        return value.toString();
    }

    private long expectedVersion(final String key)
    {
        final ModelKey k = model.get(key);
        final long version = null == k ? 0 : k.version;
        return random.nextInt(3) == 0 ? version + random.nextInt(3) - 1 : version;
    }

    private List<String[]> batchOps()
    {
        final List<String[]> ops = new ArrayList<>();
        final int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++)
        {
            final int op = random.nextInt(4);
            ops.add(new String[]{0 == op || 1 == op ? "put" : 2 == op ? "delete" : "append",
                ROW_KEYS[random.nextInt(ROW_KEYS.length)], 2 == op ? "" : value()});
        }
        return ops;
    }

    private TableBatch fill(final List<String[]> ops)
    {
        batch.reset();
        for (final String[] op : ops)
        {
            switch (op[0])
            {
                case "put":
                    batch.put(bytes(op[1]), 0, length(op[1]), bytes(op[2]), 0, length(op[2]));
                    break;
                case "delete":
                    batch.delete(bytes(op[1]), 0, length(op[1]));
                    break;
                default:
                    batch.append(bytes(op[1]), 0, length(op[1]), bytes(op[2]), 0, length(op[2]));
            }
        }
        return batch;
    }

    private static String describe(final List<String[]> ops)
    {
        final StringBuilder text = new StringBuilder("[");
        for (final String[] op : ops)
        {
            text.append(op[0]).append(' ').append(op[1]).append(' ').append(op[2].length()).append("b; ");
        }
        return text.append(']').toString();
    }

    private static final class ModelKey
    {
        long version;
        byte kind = NONE;
        String value;
        final TreeMap<String, String> rows = new TreeMap<>();
    }
}
