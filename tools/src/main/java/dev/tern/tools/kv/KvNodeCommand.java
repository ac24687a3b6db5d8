package dev.tern.tools.kv;

import dev.tern.storage.Durability;
import dev.tern.storage.StorageNode;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.node.KvNode;
import dev.tern.tools.Lifecycle;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.TransportConfiguration;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tern kv-node}: one KVSvr replica in this process, with its own media driver, until SIGTERM or Ctrl-C.
 */
@Command(
    name = "kv-node",
    mixinStandardHelpOptions = true,
    description = {
        "Run one KVSvr replica: a storage node on a Chronicle Queue binlog, the quorum protocol over Aeron UDP.",
        "Example (a group of three on one machine, one command each):",
        "  bin/tern kv-node --cluster cluster.properties --replica 0 --data-dir data/r0",
        "  bin/tern kv-node --cluster cluster.properties --replica 1 --data-dir data/r1",
        "  bin/tern kv-node --cluster cluster.properties --replica 2 --data-dir data/r2",
        "with cluster.properties:",
        "  group.0.replicas=127.0.0.1:21001,127.0.0.1:21002,127.0.0.1:21003",
        "  group.0.slots=0-16383",
    })
public final class KvNodeCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--cluster", required = true, description = "Cluster file: groups, their replicas, slots.")
    private File cluster;

    @Option(names = "--group", defaultValue = "0", description = "This replica's group (default ${DEFAULT-VALUE}).")
    private int group;

    @Option(names = "--replica", required = true, description = "This replica's index in its group (0-based).")
    private int replica;

    @Option(names = "--data-dir", required = true, description = "This replica's directory: binlog and snapshots.")
    private File dataDir;

    @Option(names = "--aeron-dir", description = "Directory of this process's media driver (default: Aeron's " +
        "default with a -kv-g<group>-r<replica> suffix).")
    private String aeronDir;

    @Option(names = "--durability", defaultValue = "process",
        description = "process (survive kill -9; default) or machine (msync each group commit: survive power loss).")
    private String durability;

    @Option(names = "--idle", defaultValue = "backoff",
        description = "Idle strategy of the replica thread: backoff (default), sleep, yield, busy (dedicated cores).")
    private String idle;

    @Option(names = "--index-capacity", description = "Keys the node can hold (default 1,000,000).")
    private Long indexCapacity;

    @Option(names = "--arena-bytes", description = "Native memory for keys, tables and rows (default 256 MiB).")
    private Long arenaBytes;

    @Option(names = "--cache-bytes", description = "Native memory for the value cache (default 256 MiB).")
    private Long cacheBytes;

    @Option(names = "--snapshot-interval-ms", description = "Take a snapshot this often (default 10 minutes).")
    private Long snapshotIntervalMs;

    @Option(names = "--exit-with-parent", description = "Also stop when the parent process exits (for test harnesses).")
    private boolean exitWithParent;

    public Integer call()
    {
        final ClusterConfig clusterConfig = ClusterConfig.load(cluster);
        final StorageNode.Context storage = new StorageNode.Context()
            .durability(Durability.valueOf(durability.toUpperCase(Locale.ROOT)));
        if (null != indexCapacity)
        {
            storage.indexCapacity(indexCapacity);
        }
        if (null != arenaBytes)
        {
            storage.arenaBytes(arenaBytes);
        }
        if (null != cacheBytes)
        {
            storage.cacheBytes(cacheBytes);
        }
        if (null != snapshotIntervalMs)
        {
            storage.snapshotIntervalMs(snapshotIntervalMs);
        }
        final String driverDir = null != aeronDir ? aeronDir :
            TransportConfiguration.aeronDir() + "-kv-g" + group + "-r" + replica;
        try (ShutdownSignalBarrier barrier = Lifecycle.barrier(exitWithParent);
            EmbeddedDriver driver = EmbeddedDriver.launch(new EmbeddedDriver.Context().aeronDir(driverDir));
            KvNode node = KvNode.launch(new KvNode.Context()
                .aeron(driver.aeron())
                .cluster(clusterConfig)
                .groupId(group)
                .replicaIndex(replica)
                .dataDir(dataDir)
                .idleStrategy(idle)
                .storageContext(storage)))
        {
            spec.commandLine().getOut().println("kv-node group " + group + " replica " + replica + " serving on " +
                node.endpoint() + ", data " + dataDir.getAbsolutePath() + ", media driver " + driverDir);
            spec.commandLine().getOut().flush();
            barrier.await();
            spec.commandLine().getOut().println("kv-node stopping");
        }
        return 0;
    }
}
