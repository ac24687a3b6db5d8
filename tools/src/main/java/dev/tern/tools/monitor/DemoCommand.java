package dev.tern.tools.monitor;

import dev.tern.tools.TernTool;
import dev.tern.transport.TransportConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code tern demo}: the quick start. Starts a monitoring center, an agent and a demo process whose counters move,
 * as three child JVMs with this JVM's classpath and flags, prints where to look, and stops all three on Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Quick start of ID-Value monitoring: starts a monitoring center, an agent and a demo process whose",
        "counters move (three separate JVMs), prints where to look, and stops all three on Ctrl-C.",
        "",
        "Example: bin/tern demo"
    })
public final class DemoCommand implements Callable<Integer>
{
    static final String READY = "ready";
    static final String DEMO_RULES =
        "# Rules of the demo (see 'bin/tern monitor --help' for the format).\n" +
        "# The demo's queue depth swings between about 10 and 90 once a minute: this fires and clears each minute.\n" +
        "rule demo_queue_deep id=1002 above 80 over 5s\n" +
        "# More than 13,000 demo requests in 10 s: fires on the crests of the request waves.\n" +
        "rule demo_busy id=1000 above 13000 over 10s\n";

    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the demo keeps the center's history, monitor files and logs. Default: <tmp>/tern-demo-<user>.")
    private File dataDir;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
        description = "Port of the center's page; 0 any free port. Default: ${DEFAULT-VALUE}.")
    private int httpPort;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
        description = "Port of the agent's /metrics; 0 any free port. Default: ${DEFAULT-VALUE}.")
    private int metricsPort;

    @Option(names = "--listen-port", paramLabel = "PORT", defaultValue = "0",
        description = "UDP port the center listens on; 0 any free port. Default: ${DEFAULT-VALUE}.")
    private int listenPort;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
        description = "The agent's sampling interval, ms. Default: ${DEFAULT-VALUE}.")
    private int intervalMs;

    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final File dir = null != dataDir ? dataDir :
            new File(System.getProperty("java.io.tmpdir"), "tern-demo-" + System.getProperty("user.name", "user"));
        final File monitorDir = new File(dir, "monitor");
        final File logs = new File(dir, "logs");
        Files.createDirectories(monitorDir.toPath());
        Files.createDirectories(logs.toPath());
        final File rules = new File(dir, "demo.rules");
        Files.writeString(rules.toPath(), DEMO_RULES, StandardCharsets.UTF_8);

        final int page = 0 != httpPort ? httpPort : freeTcpPort();
        final int metrics = 0 != metricsPort ? metricsPort : freeTcpPort();
        final String listen = "127.0.0.1:" + (0 != listenPort ? listenPort : freeUdpPort());
        final String aeronBase = TransportConfiguration.aeronDir() + "-demo-" + ProcessHandle.current().pid();

        final List<Child> children = new ArrayList<>();
        final AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            stopping.set(true);
            stopAll(children);
        }));
        out.println("tern demo: starting a monitoring center, an agent and a demo process (logs in " + logs + ")");
        out.flush();
        try
        {
            children.add(Child.start("center", TernTool.class.getName(), logs, List.of("monitor",
                "--listen", listen, "--http-host", "127.0.0.1", "--http-port", Integer.toString(page),
                "--data-dir", new File(dir, "center").getPath(), "--rules", rules.getPath(),
                "--aeron-dir", aeronBase + "-center", "--exit-with-parent"),
                List.of("-Dtern.monitor.dir=" + monitorDir.getPath())));
            children.add(Child.start("agent", TernTool.class.getName(), logs, List.of("agent",
                "--dir", monitorDir.getPath(), "--center", listen, "--interval", Integer.toString(intervalMs),
                "--http-host", "127.0.0.1", "--http-port", Integer.toString(metrics),
                "--aeron-dir", aeronBase + "-agent", "--exit-with-parent"), List.of()));
            children.add(Child.start("demo", DemoProcess.class.getName(), logs,
                List.of("--dir", monitorDir.getPath(), "--exit-with-parent"), List.of()));
            for (final Child child : children)
            {
                child.awaitReady(TimeUnit.SECONDS.toNanos(60));
            }
        }
        catch (final IllegalStateException ex)
        {
            spec.commandLine().getErr().println("tern demo: " + ex.getMessage());
            stopAll(children);
            return 1;
        }

        out.println();
        out.println("Tern monitoring demo is running. Look at:");
        out.println("  the monitoring page   http://127.0.0.1:" + page + "/?id=1000   (pick any ID on the left)");
        out.println("  Prometheus metrics    http://127.0.0.1:" + metrics + "/metrics");
        out.println("  the counters          bin/tern counters --dir " + monitorDir + " --watch");
        out.println("  alarm rules           " + rules + "   (alarm log: " + new File(dir, "center/alarms.log") + ")");
        out.println("Ctrl-C stops all three.");
        out.flush();

        while (true)
        {
            for (final Child child : children)
            {
                if (!child.process.isAlive() && !stopping.get())
                {
                    spec.commandLine().getErr().println("tern demo: the " + child.name + " process exited (" +
                        child.process.exitValue() + "); see " + child.log + "; stopping the others");
                    stopAll(children);
                    return 1;
                }
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
    }

    private static void stopAll(final List<Child> children)
    {
        for (final Child child : children)
        {
            child.process.destroy();
        }
        for (final Child child : children)
        {
            try
            {
                if (!child.process.waitFor(15, TimeUnit.SECONDS))
                {
                    child.process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                child.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    /** A child JVM with this JVM's classpath and flags, its output in a log file. */
    private static final class Child
    {
        final String name;
        final Process process;
        final File log;

        private Child(final String name, final Process process, final File log)
        {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        static Child start(final String name, final String mainClass, final File logs, final List<String> args,
            final List<String> extraFlags)
        {
            final List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(extraFlags);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.addAll(args);
            final File log = new File(logs, name + ".log");
            try
            {
                final Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log))
                    .start();
                return new Child(name, process, log);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot start the " + name + " process: " + ex.getMessage(), ex);
            }
        }

        void awaitReady(final long timeoutNs)
        {
            final long deadlineNs = System.nanoTime() + timeoutNs;
            while (true)
            {
                final String output = output();
                if (output.contains(READY))
                {
                    return;
                }
                if (!process.isAlive() || System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("the " + name + " process " + (process.isAlive() ?
                        "did not get ready in time" : "exited") + "; its output (" + log + "):\n" + output);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }

        private String output()
        {
            try
            {
                return log.exists() ? Files.readString(log.toPath(), StandardCharsets.UTF_8) : "";
            }
            catch (final IOException ex)
            {
                return "";
            }
        }
    }
}
