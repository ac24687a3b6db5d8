package dev.tern.perf.load;

import dev.tern.engine.kv.LocalKvGroup;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.tools.TernTool;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The KVSvr cluster a KV load goes to: named by a cluster file, or started by the load itself, either as a
 * 3-replica group inside the load's process (on a media driver of its own, so the group's UDP traffic does not
 * share the load clients' driver thread) or as three replica processes. Closing stops what the load started and
 * deletes a data directory it created.
 */
public final class KvTarget implements AutoCloseable
{
    /** What {@code tern kv-node} prints once it serves. */
    public static final String READY = "serving on";
    private static final int REPLICAS = 3;
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final ClusterConfig cluster;
    private final String description;
    private final List<AutoCloseable> owned;
    private final File createdDir;

    private KvTarget(final ClusterConfig cluster, final String description, final List<AutoCloseable> owned,
        final File createdDir)
    {
        this.cluster = cluster;
        this.description = description;
        this.owned = owned;
        this.createdDir = createdDir;
    }

    /**
     * @param file a cluster file of running replicas.
     * @return the cluster it names.
     */
    public static KvTarget clusterFile(final File file)
    {
        final ClusterConfig cluster = ClusterConfig.load(file);
        return new KvTarget(cluster, "KVSvr cluster " + file + " (" + cluster.groupCount() + " group(s))",
            List.of(), null);
    }

    /**
     * Start a 3-replica group inside this process, on 127.0.0.1 UDP ports that are free now.
     *
     * @param dataDir    the group's data; null for a temporary directory deleted on close.
     * @param monitorDir where the replicas' monitor files go (so {@code tern counters} shows them).
     * @return the running group.
     */
    public static KvTarget inProcess(final File dataDir, final File monitorDir)
    {
        final File dir = null == dataDir ? temporaryDir() : dataDir;
        final List<AutoCloseable> owned = new ArrayList<>();
        try
        {
            final EmbeddedDriver driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
                .aeronDir(CommonContext.generateRandomDirName()));
            owned.add(driver);
            final LocalKvGroup group = LocalKvGroup.launch(driver.aeron(), freeEndpoints(REPLICAS), dir, monitorDir,
                "load");
            owned.add(0, group);
            return new KvTarget(group.cluster(), "in-process 3-replica group " + group.cluster().replicas(0) +
                ", data in " + dir, owned, null == dataDir ? dir : null);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(owned);
            if (null == dataDir)
            {
                IoUtil.delete(dir, true);
            }
            throw ex;
        }
    }

    /**
     * Start a 3-replica group as three processes on 127.0.0.1, each running {@code command} with its placeholders
     * replaced: {@code {cluster}} (a cluster file written into the data directory), {@code {group}} (0),
     * {@code {replica}} (0-2), {@code {dir}} (the replica's data directory), {@code {monitor}} (the monitor
     * directory). Each must print {@code readyText} once it serves; its output goes to {@code replica-<i>.log} in
     * the data directory.
     *
     * @param dataDir    the group's data; null for a temporary directory deleted on close.
     * @param monitorDir where the replicas' monitor files go.
     * @param command    the command line, split at spaces; null for {@code tern kv-node} in a JVM like this one.
     * @param readyText  what a replica prints once it serves ({@link #READY} for {@code tern kv-node}).
     * @return the running group.
     */
    public static KvTarget processes(final File dataDir, final File monitorDir, final String command,
        final String readyText)
    {
        final File dir = null == dataDir ? temporaryDir() : dataDir;
        final List<AutoCloseable> owned = new ArrayList<>();
        try
        {
            final ClusterConfig cluster = ClusterConfig.singleGroup(freeEndpoints(REPLICAS));
            final File clusterFile = new File(dir, "cluster.properties");
            Files.createDirectories(dir.toPath());
            Files.writeString(clusterFile.toPath(), cluster.toFileText(), StandardCharsets.UTF_8);
            final List<Process> processes = new ArrayList<>();
            final List<File> logs = new ArrayList<>();
            for (int replica = 0; replica < REPLICAS; replica++)
            {
                final File replicaDir = new File(dir, "replica-" + replica);
                final File log = new File(dir, "replica-" + replica + ".log");
                final List<String> line = replicaCommand(command, clusterFile, replica, replicaDir, monitorDir);
                final Process process = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(log).start();
                processes.add(process);
                logs.add(log);
                owned.add(0, () -> stop(process));
            }
            awaitReady(processes, logs, readyText);
            return new KvTarget(cluster, "3 replica processes " + cluster.replicas(0) + ", data and logs in " + dir,
                owned, null == dataDir ? dir : null);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(owned);
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(owned);
            if (null == dataDir)
            {
                IoUtil.delete(dir, true);
            }
            throw ex;
        }
    }

    static List<String> replicaCommand(final String command, final File clusterFile, final int replica,
        final File replicaDir, final File monitorDir)
    {
        final List<String> line = new ArrayList<>();
        if (null == command)
        {
            line.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                // the JVM flags Tern needs (exports, opens, properties) and heap settings, never agents or debuggers
                if (argument.startsWith("--add-") || argument.startsWith("-D") || argument.startsWith("-Xm") ||
                    argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc") ||
                    argument.startsWith("-XX:+Use"))
                {
                    line.add(argument);
                }
            }
            line.add("-Dtern.monitor.dir={monitor}");
            line.add("-cp");
            line.add(System.getProperty("java.class.path"));
            line.add(TernTool.class.getName());
            line.add("kv-node");
            line.add("--cluster={cluster}");
            line.add("--group={group}");
            line.add("--replica={replica}");
            line.add("--data-dir={dir}");
            line.add("--aeron-dir={dir}/aeron");
            line.add("--exit-with-parent");
        }
        else
        {
            for (final String part : command.trim().split("\\s+"))
            {
                line.add(part);
            }
        }
        line.replaceAll(part -> part
            .replace("{cluster}", clusterFile.getAbsolutePath())
            .replace("{group}", "0")
            .replace("{replica}", Integer.toString(replica))
            .replace("{dir}", replicaDir.getAbsolutePath())
            .replace("{monitor}", monitorDir.getAbsolutePath()));
        return line;
    }

    private static void awaitReady(final List<Process> processes, final List<File> logs, final String readyText)
        throws IOException
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT_NS;
        for (int i = 0; i < processes.size(); i++)
        {
            while (!(logs.get(i).exists() && Files.readString(logs.get(i).toPath()).contains(readyText)))
            {
                if (!processes.get(i).isAlive() || System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("replica " + i + " did not start; its output (" + logs.get(i) +
                        "):\n" + (logs.get(i).exists() ? Files.readString(logs.get(i).toPath()) : ""));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static void stop(final Process process) throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** @return the cluster, for KV clients. */
    public ClusterConfig cluster()
    {
        return cluster;
    }

    /** @return what this target is, for the report. */
    public String description()
    {
        return description;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(owned);
        if (null != createdDir)
        {
            IoUtil.delete(createdDir, true);
        }
    }

    /**
     * @param count endpoints wanted.
     * @return that many distinct 127.0.0.1 endpoints whose UDP ports are free now.
     */
    public static List<String> freeEndpoints(final int count)
    {
        final List<DatagramSocket> sockets = new ArrayList<>();
        final List<String> endpoints = new ArrayList<>();
        try
        {
            // hold them all open at once so no two are the same port
            for (int i = 0; i < count; i++)
            {
                final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), 0));
                sockets.add(socket);
                endpoints.add("127.0.0.1:" + socket.getLocalPort());
            }
            return endpoints;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("no free UDP port on 127.0.0.1", ex);
        }
        finally
        {
            sockets.forEach(DatagramSocket::close);
        }
    }

    private static File temporaryDir()
    {
        try
        {
            return Files.createTempDirectory("tern-load-kv").toFile();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
