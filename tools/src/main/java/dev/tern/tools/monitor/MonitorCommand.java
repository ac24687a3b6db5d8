package dev.tern.tools.monitor;

import dev.tern.tools.Lifecycle;
import dev.tern.tools.monitor.center.CenterConfiguration;
import dev.tern.tools.monitor.center.MonitorCenter;
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
 * {@code tern monitor}: runs the monitoring center until Ctrl-C or SIGTERM.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
        "Monitoring center: takes ID-Value reports from agents over Aeron UDP, stores them durably, draws curves",
        "on one web page, evaluates alarm rules (logged, shown, POSTed to a webhook). Runs until Ctrl-C or SIGTERM.",
        "Options default to -Dtern.center.* properties, then to the values shown.",
        "",
        "Rules file, one rule a line ('#' comments):",
        "  rule NAME id=ID [machine=M] above|below THRESHOLD [over DURATION]",
        "  rule NAME id=ID [machine=M] rate_of_change >|< PERCENT%% over DURATION",
        "  rule NAME id=ID [machine=M] vs_day_ago|vs_week_ago >|< PERCENT%% [over DURATION]",
        "  durations: 500ms, 30s, 5m, 1h, 1d. Example: rule high_errors id=600 above 100 over 60s",
        "",
        "Example: bin/tern monitor --listen 0.0.0.0:40300 --http-port 8470 --rules rules.txt"
    })
public final class MonitorCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
        description = "Aeron UDP endpoint agents report to. Default: " + CenterConfiguration.LISTEN_DEFAULT + ".")
    private String listen;

    @Option(names = "--http-host", paramLabel = "ADDRESS",
        description = "Address the page binds. Default: " + CenterConfiguration.HTTP_HOST_DEFAULT + ".")
    private String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "Port of the page; 0 any free port. Default: " + CenterConfiguration.HTTP_PORT_DEFAULT + ".")
    private Integer httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the history and alarms.log live. Default: ~/.tern/monitor-center.")
    private File dataDir;

    @Option(names = "--rules", paramLabel = "FILE", description = "Alarm rules file. Default: none.")
    private File rules;

    @Option(names = "--webhook", paramLabel = "URL", description = "URL alarm events are POSTed to as JSON.")
    private String webhook;

    @Option(names = "--retention-hours", paramLabel = "HOURS",
        description = "Hours of history kept on disk. Default: " + CenterConfiguration.RETENTION_HOURS_DEFAULT + ".")
    private Integer retentionHours;

    @Option(names = "--fine-points", paramLabel = "N", description = "Points per series kept in memory at full " +
        "resolution. Default: " + CenterConfiguration.FINE_POINTS_DEFAULT + ".")
    private Integer finePoints;

    @Option(names = "--minute-buckets", paramLabel = "N", description = "Minutes per series kept in memory. " +
        "Default: " + CenterConfiguration.MINUTE_BUCKETS_DEFAULT + " (8 days).")
    private Integer minuteBuckets;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Directory of the center's embedded media driver. Default: Aeron's default dir + '-tern-center'.")
    private String aeronDir;

    @Option(names = "--exit-with-parent", hidden = true, description = "Stop when the parent process exits.")
    private boolean exitWithParent;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final MonitorCenter.Context ctx = new MonitorCenter.Context();
        if (null != listen)
        {
            ctx.listenEndpoint(listen);
        }
        if (null != httpHost)
        {
            ctx.httpHost(httpHost);
        }
        if (null != httpPort)
        {
            ctx.httpPort(httpPort);
        }
        if (null != dataDir)
        {
            ctx.dataDir(dataDir);
        }
        if (null != rules)
        {
            ctx.rulesFile(rules);
        }
        if (null != webhook)
        {
            ctx.webhook(webhook);
        }
        if (null != retentionHours)
        {
            ctx.retentionHours(retentionHours);
        }
        if (null != finePoints)
        {
            ctx.finePoints(finePoints);
        }
        if (null != minuteBuckets)
        {
            ctx.minuteBuckets(minuteBuckets);
        }
        if (null != aeronDir)
        {
            ctx.aeronDir(aeronDir);
        }

        final MonitorCenter center;
        try
        {
            center = MonitorCenter.launch(ctx);
        }
        catch (final IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println("tern monitor: " + ex.getMessage());
            return 2;
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            spec.commandLine().getErr().println("tern monitor: cannot start: " + ex.getMessage());
            return 1;
        }
        try (ShutdownSignalBarrier barrier = Lifecycle.barrier(exitWithParent); MonitorCenter running = center)
        {
            out.println("tern monitor: listening for agents on " + ctx.listenEndpoint() + "; " +
                running.replayedMessages() + " stored messages replayed from " + ctx.dataDir());
            out.println("tern monitor: " + ctx.rules().size() + " alarm rule(s)" +
                (null != ctx.webhook() ? ", webhook " + ctx.webhook() : ""));
            out.println("tern monitor: page on http://" + AgentCommand.displayHost(ctx.httpHost()) + ":" +
                running.httpPort() + "/");
            out.println("tern monitor: ready (Ctrl-C stops)");
            out.flush();
            barrier.await();
            out.println("tern monitor: stopping");
            out.flush();
        }
        return 0;
    }
}
