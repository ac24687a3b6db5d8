package dev.tern.perf.storage;

import dev.tern.storage.Durability;
import dev.tern.storage.ResultCode;
import dev.tern.storage.RowHandler;
import dev.tern.storage.StorageNode;
import dev.tern.storage.ValueView;
import dev.tern.storage.binlog.Binlog;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.binlog.BinlogRecordWriter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Single-threaded speed of the storage node (dev.tern.storage.StorageNode), and the raw Chronicle Queue append rate
 * of the same records in the same run, the ceiling for puts.
 * <ul>
 *   <li>{@code put}, {@code get}: 16-byte keys, 128-byte values, over {@code keys} keys loaded in setup
 *   (10 million by default), uniformly random.</li>
 *   <li>{@code rawAppend}: the very frame a put appends, written with Chronicle's appender and nothing else.</li>
 *   <li>{@code binlogAppend}: the same frame through the node's {@link Binlog} (Tern's layer over the queue).</li>
 *   <li>{@code tableAppend}: a row appended at the end of one of 1,000 inbox tables; {@code tableScan100}: 100 rows
 *   read in order from a random place of a 100,000-row table.</li>
 * </ul>
 * Each run writes GBs of binlog under {@code dir} (default: java.io.tmpdir) and deletes them in teardown; the
 * iterations are kept short for that reason.
 * <pre>
 *   java -jar perf/target/tern-benchmarks.jar 'dev.tern.perf.storage.StorageBenchmark'
 *   java -jar perf/target/tern-benchmarks.jar 'StorageBenchmark.(put|get|rawAppend)' -p keys=1000000
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx1g",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.announcer.disable=true",
    "-Dsbe.enable.precedence.checks=false"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StorageBenchmark
{
    static final int KEY_LENGTH = 16;
    static final int VALUE_LENGTH = 128;

    /**
     * A node loaded with {@code keys} Key-Value keys.
     */
    @State(Scope.Benchmark)
    public static class KeyValueState
    {
        @Param("10000000")
        public int keys;

        @Param("2147483648")
        public long cacheBytes;

        @Param("PROCESS")
        public Durability durability;

        @Param("")
        public String dir;

        File nodeDir;
        StorageNode node;
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
        final ValueView view = new ValueView();
        long seed = 42;

        @Setup(Level.Trial)
        public void setup() throws Exception
        {
            nodeDir = Files.createTempDirectory(baseDir(dir).toPath(), "tern-storage-bench").toFile();
            node = StorageNode.launch(context(nodeDir, keys, cacheBytes).durability(durability));
            for (int i = 0; i < keys; i++)
            {
                key(key, i);
                value.putLong(0, i);
                if (ResultCode.OK != node.put(0, 0, key, 0, KEY_LENGTH, value, 0, VALUE_LENGTH))
                {
                    throw new IllegalStateException("load failed at key " + i);
                }
            }
            node.flush();
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            node.close();
            deleteTree(nodeDir);
        }

        int nextKey()
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            return (int)((seed >>> 33) % keys);
        }
    }

    /**
     * A bare Chronicle Queue and a sealed frame as a put would append it.
     */
    @State(Scope.Benchmark)
    public static class RawQueueState
    {
        @Param("")
        public String dir;

        File queueDir;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        Bytes<?> frame;

        @Setup(Level.Trial)
        public void setup() throws Exception
        {
            queueDir = Files.createTempDirectory(baseDir(dir).toPath(), "tern-raw-queue-bench").toFile();
            queue = SingleChronicleQueueBuilder.binary(queueDir).rollCycle(RollCycles.FAST_HOURLY).build();
            appender = queue.createAppender();
            final UnsafeBuffer encoded = new UnsafeBuffer(new byte[1024]);
            final int length = new BinlogRecordWriter().encode(encoded, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0,
                System.nanoTime(), new UnsafeBuffer(new byte[KEY_LENGTH]), 0, KEY_LENGTH,
                new UnsafeBuffer(new byte[VALUE_LENGTH]), 0, VALUE_LENGTH);
            frame = Bytes.allocateDirect(length);
            for (int i = 0; i < length; i++)
            {
                frame.writeByte(encoded.getByte(i));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            appender.close();
            queue.close();
            frame.releaseLast();
            deleteTree(queueDir);
        }
    }

    /**
     * A storage node's binlog (Tern's layer over Chronicle Queue) and the same sealed frame as {@link RawQueueState}.
     */
    @State(Scope.Benchmark)
    public static class BinlogState
    {
        @Param("")
        public String dir;

        File binlogDir;
        Binlog binlog;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        int length;

        @Setup(Level.Trial)
        public void setup() throws Exception
        {
            binlogDir = Files.createTempDirectory(baseDir(dir).toPath(), "tern-binlog-bench").toFile();
            binlog = new Binlog(new File(binlogDir, "binlog"), new File(binlogDir, "damaged"), RollCycles.FAST_HOURLY,
                Durability.PROCESS, System::currentTimeMillis, 1024);
            length = new BinlogRecordWriter().encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0,
                System.nanoTime(), new UnsafeBuffer(new byte[KEY_LENGTH]), 0, KEY_LENGTH,
                new UnsafeBuffer(new byte[VALUE_LENGTH]), 0, VALUE_LENGTH);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            binlog.close();
            deleteTree(binlogDir);
        }
    }

    /**
     * Inbox tables: 1,000 tables taking appends, and one 100,000-row table to scan.
     */
    @State(Scope.Benchmark)
    public static class TableState
    {
        static final int TABLES = 1000;
        static final int SCANNED_ROWS = 100_000;

        @Param("")
        public String dir;

        File nodeDir;
        StorageNode node;
        final UnsafeBuffer table = new UnsafeBuffer(new byte[KEY_LENGTH]);
        final UnsafeBuffer rowKey = new UnsafeBuffer(new byte[8]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
        final UnsafeBuffer scanned = new UnsafeBuffer(new byte[KEY_LENGTH]);
        final long[] nextRow = new long[TABLES];
        long seed = 7;
        int nextTable;
        long sum;
        final RowHandler sumValues = (rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength, rowVersion) ->
        {
            sum += value.getLong(valueOffset);
            return true;
        };

        @Setup(Level.Trial)
        public void setup() throws Exception
        {
            nodeDir = Files.createTempDirectory(baseDir(dir).toPath(), "tern-table-bench").toFile();
            node = StorageNode.launch(context(nodeDir, TABLES + 1, 1L << 30).arenaBytes(4L << 30));
            key(scanned, -1);
            for (long row = 0; row < SCANNED_ROWS; row++)
            {
                rowKey.putLong(0, Long.reverseBytes(row));
                if (ResultCode.OK != node.appendRow(0, 0, scanned, 0, KEY_LENGTH, rowKey, 0, 8, value, 0, VALUE_LENGTH))
                {
                    throw new IllegalStateException("load failed at row " + row);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            node.close();
            deleteTree(nodeDir);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int put(final KeyValueState state)
    {
        key(state.key, state.nextKey());
        state.value.putLong(8, state.seed);
        return state.node.put(0, 0, state.key, 0, KEY_LENGTH, state.value, 0, VALUE_LENGTH);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void get(final KeyValueState state, final Blackhole blackhole)
    {
        key(state.key, state.nextKey());
        blackhole.consume(state.node.get(state.key, 0, KEY_LENGTH, state.view));
        blackhole.consume(state.view.buffer().getLong(0));
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void rawAppend(final RawQueueState state)
    {
        state.appender.writeBytes(state.frame);
    }

    /** The binlog's append of the frame {@link #rawAppend} writes: Tern's cost over the raw queue. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long binlogAppend(final BinlogState state)
    {
        return state.binlog.append(state.frame, 0, state.length);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int tableAppend(final TableState state)
    {
        final int table = state.nextTable;
        state.nextTable = table + 1 == TableState.TABLES ? 0 : table + 1;
        key(state.table, table);
        state.rowKey.putLong(0, Long.reverseBytes(state.nextRow[table]++));
        return state.node.appendRow(0, 0, state.table, 0, KEY_LENGTH, state.rowKey, 0, 8, state.value, 0, VALUE_LENGTH);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long tableScan100(final TableState state)
    {
        state.seed = state.seed * 6364136223846793005L + 1442695040888963407L;
        state.rowKey.putLong(0, Long.reverseBytes((state.seed >>> 33) % (TableState.SCANNED_ROWS - 100)));
        state.node.scan(state.scanned, 0, KEY_LENGTH, state.rowKey, 0, 8, state.rowKey, 0, 0, 100, state.sumValues);
        return state.node.lastScanCount() + state.sum;
    }

    /**
     * A group commit of 100 puts and one flush: with {@code -p durability=MACHINE} this is the cost of surviving a
     * machine crash (one msync per group); compare with PROCESS.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long groupCommit100(final KeyValueState state)
    {
        for (int i = 0; i < 100; i++)
        {
            key(state.key, state.nextKey());
            state.node.put(0, 0, state.key, 0, KEY_LENGTH, state.value, 0, VALUE_LENGTH);
        }
        return state.node.flush();
    }

    static StorageNode.Context context(final File dir, final long keys, final long cacheBytes)
    {
        return new StorageNode.Context()
            .dir(dir)
            .indexCapacity(keys + 16)
            .arenaBytes(Math.max(64L << 20, keys * 80))
            .cacheBytes(cacheBytes)
            .snapshotIntervalMs(0)
            .rollCycle("FAST_HOURLY");
    }

    /** A 16-byte key: 8 fixed bytes and the number, so keys are all distinct and all 16 bytes long. */
    static void key(final UnsafeBuffer key, final long number)
    {
        key.putLong(0, 0x7465726E2D6B6579L);
        key.putLong(8, number);
    }

    static File baseDir(final String dir)
    {
        return dir.isEmpty() ? new File(System.getProperty("java.io.tmpdir")) : new File(dir);
    }

    static void deleteTree(final File file)
    {
        IoUtil.delete(file, true);
    }
}
