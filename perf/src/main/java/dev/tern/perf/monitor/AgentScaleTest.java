package dev.tern.perf.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import dev.tern.tools.TernTool;
import dev.tern.tools.monitor.center.AlarmEvent;
import dev.tern.tools.monitor.center.AlarmRule;
import dev.tern.tools.monitor.center.MonitorCenter;
import io.aeron.CommonContext;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Measures {@code tern agent} at scale: a writer with 100,000 declared IDs that all change every second, an agent
 * (a separate JVM, as in production) sampling every second, and a center. Prints the agent process's CPU (% of one
 * core, from the OS's accounting of its threads over the measured period), the sample-to-center delay (center
 * receive time of a report's last part minus its sample time), and the threshold-crossed-to-alarm-fired delay.
 * The writer and the center run in this JVM; only the agent's CPU is measured.
 * <p>
 * Run: {@code java <tern flags> -cp perf/target/tern-benchmarks.jar dev.tern.perf.monitor.AgentScaleTest
 * --ids 100000 --seconds 60}
 */
@Command(name = "AgentScaleTest", mixinStandardHelpOptions = true,
    description = "Measure the monitoring agent's CPU and delays with many IDs.")
public final class AgentScaleTest implements Callable<Integer>
{
    private static final int FIRST_ID = 100_000;
    private static final int ALARM_ID = MonitorId.DEMO_QUEUE_DEPTH.id();
    private static final long ALARM_HIGH = 1_000;

    @Option(names = "--ids", defaultValue = "100000", description = "Synthetic IDs declared and changed. Default: ${DEFAULT-VALUE}.")
    private int ids;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured period, s. Default: ${DEFAULT-VALUE}.")
    private int seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Seconds before measuring. Default: ${DEFAULT-VALUE}.")
    private int warmupSeconds;

    @Option(names = "--interval", defaultValue = "1000", description = "Agent sampling interval, ms. Default: ${DEFAULT-VALUE}.")
    private int intervalMs;

    @Option(names = "--alarm-period", defaultValue = "6", description = "Seconds between threshold crossings. " +
        "Default: ${DEFAULT-VALUE}.")
    private int alarmPeriodSeconds;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new AgentScaleTest()).execute(args));
    }

    public Integer call() throws Exception
    {
        final Path dir = Files.createTempDirectory("tern-agent-scale");
        final File monitorDir = new File(dir.toFile(), "monitor");
        final Histogram reportDelayMs = new SynchronizedHistogram(3_600_000, 3);
        final Histogram alarmDelayMs = new SynchronizedHistogram(3_600_000, 3);
        final AtomicLong crossedAtMs = new AtomicLong();
        final AtomicBoolean measuring = new AtomicBoolean();
        final AtomicLong reports = new AtomicLong();
        final String listen = "127.0.0.1:" + freeUdpPort();

        System.out.printf("AgentScaleTest: %,d IDs changing every second, agent interval %d ms, %d s warm-up, %d s " +
            "measured; data in %s%n", ids, intervalMs, warmupSeconds, seconds, dir);
        try (Monitor writer = startWriter(monitorDir);
            MonitorCenter center = MonitorCenter.launch(new MonitorCenter.Context()
                .listenEndpoint(listen)
                .httpHost("127.0.0.1")
                .httpPort(0)
                .dataDir(new File(dir.toFile(), "center"))
                .monitorDir(monitorDir)
                .monitorName("scale-center")
                .aeronDir(CommonContext.generateRandomDirName())
                .rules(AlarmRule.parse(List.of("rule scale_alarm id=" + ALARM_ID + " above " + ALARM_HIGH / 2),
                    "AgentScaleTest"))
                .out(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                .reportListener((machine, sampleTimeMs, receivedMs) ->
                {
                    if (measuring.get() && "scale-box".equals(machine))
                    {
                        reportDelayMs.recordValue(Math.max(0, receivedMs - sampleTimeMs));
                        reports.incrementAndGet();
                    }
                })
                .alarmListener(event ->
                {
                    if (measuring.get() && event.type() == AlarmEvent.Type.FIRE)
                    {
                        alarmDelayMs.recordValue(Math.max(0, event.timeMs() - crossedAtMs.get()));
                    }
                })))
        {
            System.out.println("center page on http://127.0.0.1:" + center.httpPort() + "/ while it runs");
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread changer = new Thread(() -> changeValues(writer, running, crossedAtMs), "scale-writer");
            changer.start();
            final Process agent = startAgent(monitorDir, listen, new File(dir.toFile(), "agent.log"));
            try
            {
                awaitLog(new File(dir.toFile(), "agent.log"), "tern agent: ready", agent);
                park(TimeUnit.SECONDS.toNanos(warmupSeconds));
                measuring.set(true);
                final long cpuStartNs = cpuNs(agent);
                final long wallStartNs = System.nanoTime();
                park(TimeUnit.SECONDS.toNanos(seconds));
                final long cpuNs = cpuNs(agent) - cpuStartNs;
                final long wallNs = System.nanoTime() - wallStartNs;
                measuring.set(false);

                System.out.printf("agent CPU: %.2f %% of one core (%.0f ms of CPU in %.1f s), RSS %s%n",
                    100.0 * cpuNs / wallNs, cpuNs / 1e6, wallNs / 1e9, rss(agent.pid()));
                System.out.printf("sample-to-center delay over %d reports: p50 %d ms, p99 %d ms, max %d ms%n",
                    reports.get(), reportDelayMs.getValueAtPercentile(50), reportDelayMs.getValueAtPercentile(99),
                    reportDelayMs.getMaxValue());
                System.out.printf("threshold crossed to alarm fired over %d crossings: p50 %d ms, max %d ms " +
                    "(goal: at most 2 intervals = %d ms)%n", alarmDelayMs.getTotalCount(),
                    alarmDelayMs.getValueAtPercentile(50), alarmDelayMs.getMaxValue(), 2 * intervalMs);
            }
            finally
            {
                running.set(false);
                changer.join();
                agent.destroy();
                if (!agent.waitFor(20, TimeUnit.SECONDS))
                {
                    agent.destroyForcibly();
                }
            }
        }
        finally
        {
            deleteRecursively(dir);
        }
        return 0;
    }

    private Monitor startWriter(final File monitorDir)
    {
        final Monitor writer = Monitor.launch(new Monitor.Context().dir(monitorDir).name("scale-writer")
            .maxCounters(ids + 64).heartbeatIntervalMs(1000));
        writer.declare(MonitorId.DEMO_QUEUE_DEPTH);
        for (int i = 0; i < ids; i++)
        {
            writer.declare(FIRST_ID + i, "scale.id_" + i, i % 4 == 0 ? MonitorKind.GAUGE : MonitorKind.COUNTER, "units");
        }
        return writer;
    }

    /** Every ID changes once a second, in 100 slices; the alarm ID crosses its threshold every alarm period. */
    private void changeValues(final Monitor writer, final AtomicBoolean running, final AtomicLong crossedAtMs)
    {
        final int slices = 100;
        final long sliceNs = TimeUnit.SECONDS.toNanos(1) / slices;
        long nextAlarmToggleMs = System.currentTimeMillis() + alarmPeriodSeconds * 1000L;
        boolean high = false;
        for (long round = 0; running.get(); round++)
        {
            final int slice = (int)(round % slices);
            for (int i = slice; i < ids; i += slices)
            {
                writer.add(FIRST_ID + i, 1 + (i & 7));
            }
            final long nowMs = System.currentTimeMillis();
            if (nowMs >= nextAlarmToggleMs)
            {
                high = !high;
                if (high)
                {
                    crossedAtMs.set(nowMs);
                }
                writer.set(ALARM_ID, high ? ALARM_HIGH : 0);
                nextAlarmToggleMs = nowMs + alarmPeriodSeconds * 500L;
            }
            LockSupport.parkNanos(sliceNs);
        }
    }

    private Process startAgent(final File monitorDir, final String listen, final File log) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TernTool.class.getName(), "agent",
            "--dir", monitorDir.getPath(), "--center", listen, "--interval", Integer.toString(intervalMs),
            "--machine", "scale-box", "--http-port", "-1", "--aeron-dir", CommonContext.generateRandomDirName()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitLog(final File log, final String text, final Process process) throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(log.exists() && Files.readString(log.toPath()).contains(text)))
        {
            if (!process.isAlive() || System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("agent did not start: " +
                    (log.exists() ? Files.readString(log.toPath()) : "no output"));
            }
            park(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static long cpuNs(final Process process)
    {
        return process.info().totalCpuDuration().map(Duration::toNanos)
            .orElseThrow(() -> new IllegalStateException("the OS does not report the agent's CPU time"));
    }

    private static String rss(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return line.substring("VmRSS:".length()).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        return "unknown";
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            return socket.getLocalPort();
        }
    }

    private static void park(final long nanos)
    {
        final long deadlineNs = System.nanoTime() + nanos;
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(left);
        }
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
