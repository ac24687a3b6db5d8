package dev.tern.engine.kv;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.node.KvNode;
import io.aeron.Aeron;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * A KVSvr group of replicas ({@link KvNode}s) inside this process, each with its own data directory and monitor file
 * ({@code <name>-kv-<i>}): the storage of {@code tern run}. Production groups run as {@code tern kv-node}
 * processes instead.
 */
public final class LocalKvGroup implements AutoCloseable
{
    private final ClusterConfig cluster;
    private final List<KvNode> replicas;
    private final List<Monitor> monitors;

    private LocalKvGroup(final ClusterConfig cluster, final List<KvNode> replicas, final List<Monitor> monitors)
    {
        this.cluster = cluster;
        this.replicas = replicas;
        this.monitors = monitors;
    }

    /**
     * Start every replica of a single group owning all slots. Closes what it started when one fails.
     *
     * @param aeron      a connected client.
     * @param endpoints  the replicas' UDP endpoints (host:port), an odd number.
     * @param dataDir    the group's directory: replica i keeps its data in {@code replica-<i>}.
     * @param monitorDir where the replicas' monitor files go.
     * @param name       the monitor files' name prefix.
     * @return the running group.
     */
    public static LocalKvGroup launch(final Aeron aeron, final List<String> endpoints, final File dataDir,
        final File monitorDir, final String name)
    {
        final ClusterConfig cluster = ClusterConfig.singleGroup(endpoints);
        final List<KvNode> replicas = new ArrayList<>();
        final List<Monitor> monitors = new ArrayList<>();
        try
        {
            for (int i = 0; i < endpoints.size(); i++)
            {
                final Monitor monitor = Monitor.launch(new Monitor.Context().dir(monitorDir).name(name + "-kv-" + i));
                monitors.add(monitor);
                replicas.add(KvNode.launch(new KvNode.Context()
                    .aeron(aeron)
                    .cluster(cluster)
                    .groupId(0)
                    .replicaIndex(i)
                    .dataDir(new File(dataDir, "replica-" + i))
                    .monitor(monitor)));
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(replicas);
            CloseHelper.quietCloseAll(monitors);
            throw ex;
        }
        writeClusterFile(cluster, new File(dataDir, CLUSTER_FILE));
        return new LocalKvGroup(cluster, List.copyOf(replicas), List.copyOf(monitors));
    }

    /** Name of the cluster file written in the group's directory, for {@code tern kv --cluster}. */
    public static final String CLUSTER_FILE = "cluster.properties";

    private static void writeClusterFile(final ClusterConfig cluster, final File file)
    {
        try
        {
            java.nio.file.Files.writeString(file.toPath(), cluster.toFileText());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot write cluster file " + file, ex);
        }
    }

    /** @return the group as a cluster of one group, for KV clients. */
    public ClusterConfig cluster()
    {
        return cluster;
    }

    /** @return the replicas, in index order. */
    public List<KvNode> replicas()
    {
        return replicas;
    }

    public void close()
    {
        CloseHelper.closeAll(replicas);
        CloseHelper.closeAll(monitors);
    }
}
