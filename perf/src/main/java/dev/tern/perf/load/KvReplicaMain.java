package dev.tern.perf.load;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.node.KvNode;
import dev.tern.tools.TernVersion;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * One KVSvr replica in a process of its own, for {@code tern load --kv-nodes}: its own media driver and a
 * {@link KvNode}, until the process is asked to stop (SIGTERM). Prints {@link KvTarget#READY} once it serves.
 * ({@code tern kv-node} is the operator's command for the same; {@code --kv-node-command} runs it instead.)
 */
@Command(name = "kv-replica", mixinStandardHelpOptions = true, versionProvider = TernVersion.class,
    description = "Run one KVSvr replica in this process until SIGTERM (used by tern load --kv-nodes).")
public final class KvReplicaMain implements Callable<Integer>
{
    @Option(names = "--cluster", required = true, paramLabel = "FILE", description = "The cluster file.")
    private File clusterFile;

    @Option(names = "--group", defaultValue = "0", description = "The replica's group. Default: ${DEFAULT-VALUE}.")
    private int group;

    @Option(names = "--replica", required = true, description = "The replica's index in its group.")
    private int replica;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The replica's data directory.")
    private File dir;

    @Option(names = "--monitor-dir", paramLabel = "DIR",
        description = "Where the replica's monitor file (load-kv-<replica>) goes. Default: tern.monitor.dir.")
    private File monitorDir;

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new KvReplicaMain()).execute(args));
    }

    public Integer call() throws InterruptedException
    {
        final ClusterConfig cluster = ClusterConfig.load(clusterFile);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Monitor.Context monitorContext = new Monitor.Context().name("load-kv-" + replica);
        final Monitor monitor = Monitor.launch(null == monitorDir ? monitorContext : monitorContext.dir(monitorDir));
        EmbeddedDriver driver = null;
        final KvNode node;
        try
        {
            driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
                .aeronDir(CommonContext.generateRandomDirName()));
            node = KvNode.launch(new KvNode.Context()
                .aeron(driver.aeron())
                .cluster(cluster)
                .groupId(group)
                .replicaIndex(replica)
                .dataDir(dir)
                .monitor(monitor));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(driver, monitor);
            throw ex;
        }
        final EmbeddedDriver started = driver;
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            CloseHelper.quietCloseAll(node, started, monitor);
            stopped.countDown();
        }, "kv-replica-stop"));
        System.out.println(KvTarget.READY + ": group " + group + " replica " + replica + " at " + node.endpoint());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
