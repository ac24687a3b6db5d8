package dev.tern.tools.kv;

import dev.tern.codecs.monitor.MonitorFileReader;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvBlockingClient;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResult;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.replication.check.KvModel;
import dev.tern.storage.replication.check.LinearizabilityChecker;
import dev.tern.storage.replication.check.Operation;
import dev.tern.tools.TernTool;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.ChildJvm;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code tern kv-node} JVMs over UDP on 127.0.0.1 and concurrent clients recording a history: kill -9 one
 * replica, reads and writes go on; restart it, it catches up; kill a different one, no acknowledged write is lost;
 * the whole history is linearizable. Once as it is, once with Aeron's loss generators dropping packets in every
 * replica's media driver.
 */
@Timeout(300)
class KvReplicationProcessTest
{
    private static final int CLIENTS = 4;
    private static final String[] KV_KEYS = { "k0", "k1", "k2", "k3" };
    private static final String[] TABLE_KEYS = { "t0", "t1" };

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final ChildJvm[] nodes = new ChildJvm[3];
    private File clusterFile;
    private ClusterConfig cluster;
    private EmbeddedDriver driver;
    private final List<Thread> clients = new ArrayList<>();
    private final List<Operation> history = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong acknowledgedWrites = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private List<String> lossProperties = List.of();
    private int starts;

    @AfterEach
    void stop() throws InterruptedException
    {
        running.set(false);
        for (final Thread client : clients)
        {
            client.join(30_000);
        }
        CloseHelper.quietCloseAll(nodes);
        CloseHelper.quietClose(driver);
    }

    @Test
    void shouldStayLinearizableWhenReplicasAreKilledAndRestarted() throws Exception
    {
        runScenario(1);
    }

    @Test
    void shouldStayLinearizableWithPacketLossWhenReplicasAreKilledAndRestarted() throws Exception
    {
        lossProperties = List.of(
            "aeron.SendChannelEndpoint.supplier=io.aeron.driver.ext.DebugSendChannelEndpointSupplier",
            "aeron.ReceiveChannelEndpoint.supplier=io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier",
            "aeron.debug.receive.data.loss.rate=0.02",
            "aeron.debug.receive.data.loss.seed=20261124",
            "aeron.debug.receive.control.loss.rate=0.02",
            "aeron.debug.receive.control.loss.seed=7");
        runScenario(2);
    }

    private void runScenario(final long seed) throws Exception
    {
        final List<String> endpoints = List.of(FreePorts.endpoint(), FreePorts.endpoint(), FreePorts.endpoint());
        cluster = ClusterConfig.singleGroup(endpoints);
        clusterFile = new File(dir, "cluster.properties");
        Files.writeString(clusterFile.toPath(), cluster.toFileText());
        phase("starting nodes");
        for (int i = 0; i < 3; i++)
        {
            nodes[i] = startNode(i);
        }
        phase("nodes started");
        driver = TestMediaDriver.launch();
        for (int c = 0; c < CLIENTS; c++)
        {
            final int client = c;
            final Thread thread = new Thread(() -> runClient(client, seed * 1000 + client), "kv-client-" + c);
            thread.start();
            clients.add(thread);
        }

        awaitProgress(600, "writes and reads with every replica up");

        nodes[0].kill9();
        awaitProgress(600, "writes and reads with replica 0 killed");

        nodes[0] = startNode(0);
        phase("replica 0 restarted");
        Await.await(() -> caughtUp(0), Duration.ofSeconds(60), () -> "replica 0 to catch up after its restart");
        phase("replica 0 caught up");
        awaitProgress(300, "writes and reads after replica 0 caught up");

        nodes[1].kill9();
        awaitProgress(600, "writes and reads with replica 1 killed");

        running.set(false);
        for (final Thread client : clients)
        {
            client.join(60_000);
        }
        phase("clients stopped");
        nodes[1] = startNode(1);
        phase("replica 1 restarted");

        // a last read of every key, part of the history: nothing acknowledged may be missing
        try (KvBlockingClient client = new KvBlockingClient(KvClient.connect(new KvClient.Context()
            .aeron(driver.aeron())
            .cluster(cluster)
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(10)))))
        {
            for (final String key : KV_KEYS)
            {
                record(CLIENTS, key, new KvModel.Get(), () -> client.get(bytes(key)));
            }
            for (final String key : TABLE_KEYS)
            {
                record(CLIENTS, key, new KvModel.Scan("", null, 1000),
                    () -> client.scan(bytes(key), new byte[0], new byte[0], 1000));
            }
        }

        final List<Operation> all = new ArrayList<>(history);
        final long unknown = all.stream().filter(Operation::isUnknown).count();
        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(all, KvModel.INSTANCE, 50_000_000);
        System.out.printf("kv processes (seed %d, loss %s): %d operations, %d acknowledged writes, %d unknown, %s%n",
            seed, !lossProperties.isEmpty(), all.size(), acknowledgedWrites.get(), unknown, result.describe());
        assertTrue(result.linearizable(), result.describe());
        assertTrue(acknowledgedWrites.get() > 100, "writes were acknowledged: " + acknowledgedWrites.get());
        for (final Operation op : all)
        {
            if (op.client() == CLIENTS)
            {
                assertTrue(!op.isUnknown(), "the final reads answered: " + op);
            }
        }
    }

    private ChildJvm startNode(final int index)
    {
        final ChildJvm.Builder builder = ChildJvm.builder(TernTool.class)
            .arg("kv-node", "--cluster", clusterFile.getPath(), "--replica", Integer.toString(index),
                "--data-dir", new File(dir, "node-" + index).getPath(),
                "--aeron-dir", new File(dir, "aeron-" + index).getPath(),
                "--index-capacity", "65536", "--arena-bytes", Long.toString(64L << 20),
                "--cache-bytes", Long.toString(8L << 20), "--exit-with-parent")
            .property("tern.monitor.dir", new File(dir, "monitor").getPath())
            .property("org.slf4j.simpleLogger.log.net.openhft", "warn")
            .output(new File(dir, "node-" + index + "-" + (++starts) + ".log"));
        for (final String property : lossProperties)
        {
            final int equals = property.indexOf('=');
            builder.property(property.substring(0, equals), property.substring(equals + 1));
        }
        final ChildJvm node = builder.start();
        node.awaitOutput("serving on", Duration.ofSeconds(60));
        return node;
    }

    private boolean caughtUp(final int index)
    {
        final File file = new File(new File(dir, "monitor"), "kv-g0-r" + index + ".tern-monitor");
        final MonitorFileReader reader = MonitorFileReader.open(file);
        if (null == reader)
        {
            return false;
        }
        try (reader)
        {
            if (reader.pid() != nodes[index].pid() || MonitorFileReader.Liveness.ALIVE != reader.liveness())
            {
                return false;
            }
            final long[] lag = { -1 };
            final long[] received = { 0 };
            reader.forEach((id, kind, unit, name, value) ->
            {
                if (id == MonitorId.KV_CATCH_UP_LAG.id())
                {
                    lag[0] = value;
                }
                else if (id == MonitorId.KV_RECORDS_RECEIVED.id())
                {
                    received[0] = value;
                }
            });
            return lag[0] == 0 && received[0] > 0;
        }
    }

    private final long startNs = System.nanoTime();

    private void phase(final String what)
    {
        System.out.printf("%8.1f s  %s (ops %d)%n", (System.nanoTime() - startNs) / 1e9, what, completed.get());
    }

    private void awaitProgress(final long operations, final String what)
    {
        phase("start: " + what);
        final long target = completed.get() + operations;
        final long acknowledgedBefore = acknowledgedWrites.get();
        Await.await(() -> completed.get() >= target && acknowledgedWrites.get() > acknowledgedBefore,
            Duration.ofSeconds(90), () -> what + " (" + completed.get() + " of " + target + " operations done)");
        phase("done: " + what);
    }

    private void runClient(final int index, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        try (KvBlockingClient client = new KvBlockingClient(KvClient.connect(new KvClient.Context()
            .aeron(driver.aeron())
            .cluster(cluster)
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(3)))))
        {
            int sequence = 0;
            while (running.get())
            {
                sequence++;
                final String value = "c" + index + "." + sequence;
                if (random.nextInt(3) == 0)
                {
                    final String key = TABLE_KEYS[random.nextInt(TABLE_KEYS.length)];
                    final String row = "r" + random.nextInt(5);
                    switch (random.nextInt(4))
                    {
                        case 0 -> record(index, key, new KvModel.RowPut(row, value),
                            () -> client.rowPut(bytes(key), bytes(row), bytes(value)));
                        case 1 -> record(index, key, new KvModel.RowDelete(row),
                            () -> client.rowDelete(bytes(key), bytes(row)));
                        case 2 -> record(index, key, new KvModel.RowGet(row),
                            () -> client.rowGet(bytes(key), bytes(row)));
                        default -> record(index, key, new KvModel.Scan("r1", null, 3),
                            () -> client.scan(bytes(key), bytes("r1"), new byte[0], 3));
                    }
                }
                else
                {
                    final String key = KV_KEYS[random.nextInt(KV_KEYS.length)];
                    switch (random.nextInt(6))
                    {
                        case 0, 1 -> record(index, key, new KvModel.Get(), () -> client.get(bytes(key)));
                        case 2 -> record(index, key, new KvModel.Put(value),
                            () -> client.put(bytes(key), bytes(value)));
                        case 3 ->
                        {
                            final long expected = random.nextInt(8);
                            record(index, key, new KvModel.PutIfVersion(expected, value),
                                () -> client.putIfVersion(bytes(key), expected, bytes(value)));
                        }
                        case 4 -> record(index, key, new KvModel.PutIfAbsent(value),
                            () -> client.putIfAbsent(bytes(key), bytes(value)));
                        default -> record(index, key, new KvModel.Delete(), () -> client.delete(bytes(key)));
                    }
                }
            }
        }
    }

    private interface Call
    {
        KvResult call();
    }

    private void record(final int client, final String key, final KvModel.Op op, final Call call)
    {
        final long callNs = System.nanoTime();
        final KvResult result = call.call();
        final long returnNs = System.nanoTime();
        final KvModel.Result output = toModel(op, result);
        history.add(new Operation(client, key, op, output, callNs, returnNs));
        completed.incrementAndGet();
        if (null != output && op.isWrite() && ResultCode.OK == output.code())
        {
            acknowledgedWrites.incrementAndGet();
        }
    }

    private static KvModel.Result toModel(final KvModel.Op op, final KvResult result)
    {
        if (ResultCode.isOutcomeUnknown(result.result()))
        {
            return null;
        }
        if (ResultCode.OK != result.result())
        {
            return KvModel.Result.of(result.result(), result.version());
        }
        if (op instanceof KvModel.Get)
        {
            return new KvModel.Result(ResultCode.OK, result.version(), text(result.value()), List.of(), false);
        }
        if (op instanceof KvModel.RowGet || op instanceof KvModel.Scan)
        {
            final List<KvModel.RowOut> rows = new ArrayList<>();
            for (final KvResult.Row row : result.rows())
            {
                rows.add(new KvModel.RowOut(text(row.key()), text(row.value()), row.version()));
            }
            return new KvModel.Result(ResultCode.OK, result.version(), null, rows,
                op instanceof KvModel.Scan && result.more());
        }
        return KvModel.Result.of(ResultCode.OK, result.version());
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
