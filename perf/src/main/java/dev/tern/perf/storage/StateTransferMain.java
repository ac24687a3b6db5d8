package dev.tern.perf.storage;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.perf.codec.Messages;
import dev.tern.perf.load.KvTarget;
import dev.tern.storage.StorageNode;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.node.KvNode;
import dev.tern.storage.replication.Replica;
import dev.tern.storage.replication.ReplicaStats;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How fast a replica that was away too long installs its peers' state (docs/kvsvr-protocol.md section 9), in a
 * 3-replica group inside this process over UDP on 127.0.0.1 with real Chronicle stores:
 * <ol>
 *   <li>stop replica 2 and write N keys (16-byte keys, 128-byte values, 64 in flight);</li>
 *   <li>write on until both other replicas have deleted every binlog cycle that holds them (1-second cycles, 300 ms
 *   retention for a silent peer), so only a state transfer can bring them;</li>
 *   <li>restart replica 2 and time it from start until both peers hear it holds their streams and no transfer is
 *   left: report keys installed per second and MB of key and value per second.</li>
 * </ol>
 * Usage: {@code java -cp perf/target/tern-benchmarks.jar <JVM flags> dev.tern.perf.storage.StateTransferMain [keys]}
 * (100,000 keys by default).
 */
public final class StateTransferMain
{
    private static final int REPLICAS = 3;
    private static final int WINDOW = 64;
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(10);
    private static final String ROLL_CYCLE = "TEST_SECONDLY";

    private final File dir;
    private final int keys;
    private final EmbeddedDriver driver;
    private final ClusterConfig cluster;
    private final KvNode[] nodes = new KvNode[REPLICAS];
    private final Monitor[] monitors = new Monitor[REPLICAS];
    private final KvWindow requests;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[Messages.KEY_LENGTH]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[Messages.VALUE_LENGTH]);

    private StateTransferMain(final File dir, final int keys)
    {
        this.dir = dir;
        this.keys = keys;
        driver = EmbeddedDriver.launch(new EmbeddedDriver.Context().aeronDir(CommonContext.generateRandomDirName()));
        cluster = ClusterConfig.singleGroup(KvTarget.freeEndpoints(REPLICAS));
        for (int i = 0; i < REPLICAS; i++)
        {
            monitors[i] = Monitor.launch(new Monitor.Context().dir(new File(dir, "monitor")).name("kv-" + i));
            startNode(i);
        }
        requests = new KvWindow(KvClient.connect(new KvClient.Context().aeron(driver.aeron()).cluster(cluster)), WINDOW);
    }

    public static void main(final String[] args) throws Exception
    {
        final int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final File dir = Files.createTempDirectory("tern-state-transfer").toFile();
        final StateTransferMain run = new StateTransferMain(dir, keys);
        try
        {
            run.run();
        }
        finally
        {
            run.close();
            IoUtil.delete(dir, true);
        }
    }

    private void run()
    {
        requests.putAll(key, value, 0, 1);
        nodes[2].close();
        nodes[2] = null;
        long start = System.nanoTime();
        requests.putAll(key, value, 1, keys);
        System.out.printf("wrote %,d keys with replica 2 away in %.2f s%n", keys, seconds(start));

        start = System.nanoTime();
        for (int author = 0; author < 2; author++)
        {
            final File binlog = new File(nodeDir(author), "binlog");
            final String[] atStop = cycles(binlog);
            final String lastAtStop = atStop[atStop.length - 1];
            await(() ->
            {
                requests.putAll(key, value, 0, WINDOW);
                final String[] now = cycles(binlog);
                return now.length > 0 && now[0].compareTo(lastAtStop) > 0;
            }, () -> binlog + " to delete the cycles that hold the keys: " + Arrays.toString(cycles(binlog)));
        }
        System.out.printf("replicas 0 and 1 deleted the cycles that hold them after %.2f s more of writes%n",
            seconds(start));

        start = System.nanoTime();
        startNode(2);
        final KvNode restarted = nodes[2];
        await(() -> restarted.stats().streamResets > 0 && nodes[0].peerStreamLag(2) == 0 &&
            nodes[1].peerStreamLag(2) == 0 && restarted.stateTransfersActive() == 0 && restarted.catchUpLag() == 0,
            () -> "replica 2 to install its peers' state: " + restarted.stats() + "; replica 0: " + nodes[0].stats() +
            "; replica 1: " + nodes[1].stats());
        final double transferSeconds = seconds(start);
        final ReplicaStats stats = restarted.stats();
        final long served = nodes[0].stats().stateChunksServed + nodes[1].stats().stateChunksServed;
        final double megabytes = stats.stateTransferKeys * (double)(Messages.KEY_LENGTH + Messages.VALUE_LENGTH) /
            (1024 * 1024);
        System.out.printf("replica 2 restarted, was reset %d times and installed %,d keys (%,d skipped; transfers " +
            "%d completed of %d started, %,d chunks served) in %.2f s: %,.0f keys/s, %.1f MB/s of keys and values%n",
            stats.streamResets, stats.stateTransferKeys, stats.stateTransferKeysSkipped, stats.stateTransfersCompleted,
            stats.stateTransfersStarted, served, transferSeconds, stats.stateTransferKeys / transferSeconds,
            megabytes / transferSeconds);
        if (requests.failed > 0)
        {
            System.out.printf("%,d writes failed%n", requests.failed);
        }
    }

    private void startNode(final int index)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(1 << 16, keys * 2));
        nodes[index] = KvNode.launch(new KvNode.Context()
            .aeron(driver.aeron())
            .cluster(cluster)
            .groupId(0)
            .replicaIndex(index)
            .dataDir(nodeDir(index))
            .monitor(monitors[index])
            .replicaContext(new Replica.Context().retentionPeerTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300)))
            .storageContext(new StorageNode.Context().rollCycle(ROLL_CYCLE).snapshotIntervalMs(200)
                .indexCapacity(capacity).arenaBytes(keys * 64L + (64L << 20)).cacheBytes(keys * 200L + (8L << 20))));
    }

    private File nodeDir(final int index)
    {
        return new File(dir, "node-" + index);
    }

    private static String[] cycles(final File binlog)
    {
        final String[] cycles = binlog.list((d, name) -> name.endsWith(".cq4"));
        final String[] sorted = null == cycles ? new String[0] : cycles;
        Arrays.sort(sorted);
        return sorted;
    }

    private void await(final BooleanSupplier condition, final Supplier<String> what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("timed out waiting for " + what.get());
            }
            requests.idle.idle(requests.client.poll());
        }
        requests.idle.reset();
    }

    private static double seconds(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1e9;
    }

    private void close()
    {
        CloseHelper.quietClose(requests.client);
        CloseHelper.quietCloseAll(nodes);
        CloseHelper.quietCloseAll(monitors);
        CloseHelper.quietClose(driver);
    }
}
