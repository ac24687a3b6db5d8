package dev.tern.tools.monitor;

import dev.tern.tools.Lifecycle;
import dev.tern.tools.monitor.agent.AgentConfiguration;
import dev.tern.tools.monitor.agent.MonitorAgent;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * {@code tern agent}: runs the per-machine monitoring agent until Ctrl-C or SIGTERM.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
        "Per-machine monitoring agent: samples every Tern monitor file every interval, reports ID-Values to the",
        "monitoring center over Aeron UDP, and serves the current values for Prometheus on GET /metrics.",
        "Runs until Ctrl-C or SIGTERM. Options default to -Dtern.agent.* properties, then to the values shown.",
        "",
        "Example: bin/tern agent --center monitor-host:40300 --http-port 9464"
    })
public final class AgentCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Monitor directory to sample. Default: -Dtern.monitor.dir, else /dev/shm/tern-<user>/monitor.")
    private File dir;

    @Option(names = "--interval", paramLabel = "MS",
        description = "Sampling interval, ms. Default: " + AgentConfiguration.INTERVAL_MS_DEFAULT + ".")
    private Integer intervalMs;

    @Option(names = "--center", paramLabel = "HOST:PORT",
        description = "The monitoring center's Aeron UDP endpoint. Default: " + AgentConfiguration.CENTER_DEFAULT + ".")
    private String center;

    @Option(names = "--machine", paramLabel = "NAME", description = "Machine name reported. Default: the host name.")
    private String machine;

    @Option(names = "--http-host", paramLabel = "ADDRESS",
        description = "Address /metrics binds. Default: " + AgentConfiguration.HTTP_HOST_DEFAULT + ".")
    private String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "Port of /metrics; 0 any free port, -1 off. Default: " + AgentConfiguration.HTTP_PORT_DEFAULT + ".")
    private Integer httpPort;

    @Option(names = "--buffer-reports", paramLabel = "N", description = "Most reports held while the center is " +
        "away; the oldest is dropped first. Default: " + AgentConfiguration.BUFFER_REPORTS_DEFAULT + ".")
    private Integer bufferReports;

    @Option(names = "--buffer-bytes", paramLabel = "BYTES",
        description = "Most bytes held while the center is away. Default: " + AgentConfiguration.BUFFER_BYTES_DEFAULT + ".")
    private Integer bufferBytes;

    @Option(names = "--declare-interval", paramLabel = "MS", description = "How often all IDs are declared again " +
        "so a restarted center relearns names, ms. Default: " + AgentConfiguration.DECLARE_INTERVAL_MS_DEFAULT + ".")
    private Long declareIntervalMs;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Directory of the agent's embedded media driver. Default: Aeron's default dir + '-tern-agent'.")
    private String aeronDir;

    @Option(names = "--exit-with-parent", hidden = true, description = "Stop when the parent process exits.")
    private boolean exitWithParent;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final MonitorAgent.Context ctx = new MonitorAgent.Context();
        if (null != dir)
        {
            ctx.monitorDir(dir);
        }
        if (null != intervalMs)
        {
            ctx.intervalMs(intervalMs);
        }
        if (null != center)
        {
            ctx.centerEndpoint(center);
        }
        if (null != machine)
        {
            ctx.machine(machine);
        }
        if (null != httpHost)
        {
            ctx.httpHost(httpHost);
        }
        if (null != httpPort)
        {
            ctx.httpPort(httpPort);
        }
        if (null != bufferReports)
        {
            ctx.bufferReports(bufferReports);
        }
        if (null != bufferBytes)
        {
            ctx.bufferBytes(bufferBytes);
        }
        if (null != declareIntervalMs)
        {
            ctx.declareIntervalMs(declareIntervalMs);
        }
        if (null != aeronDir)
        {
            ctx.aeronDir(aeronDir);
        }

        final MonitorAgent agent;
        try
        {
            agent = MonitorAgent.launch(ctx);
        }
        catch (final IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println("tern agent: " + ex.getMessage());
            return 2;
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            spec.commandLine().getErr().println("tern agent: cannot start: " + ex.getMessage());
            return 1;
        }
        try (ShutdownSignalBarrier barrier = Lifecycle.barrier(exitWithParent); MonitorAgent running = agent)
        {
            out.println("tern agent: sampling " + ctx.monitorDir() + " every " + ctx.intervalMs() + " ms as machine '" +
                ctx.machine() + "', reporting to " + ctx.centerEndpoint());
            if (running.httpPort() >= 0)
            {
                out.println("tern agent: Prometheus metrics on http://" + displayHost(ctx.httpHost()) + ":" +
                    running.httpPort() + "/metrics");
            }
            out.println("tern agent: ready (Ctrl-C stops)");
            out.flush();
            barrier.await();
            out.println("tern agent: stopping");
            out.flush();
        }
        return 0;
    }

    static String displayHost(final String host)
    {
        return "0.0.0.0".equals(host) ? "localhost" : host;
    }
}
