package dev.tern.perf;

import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.perf.load.Connections;
import dev.tern.perf.load.EngineSession;
import dev.tern.perf.load.HtmlReport;
import dev.tern.perf.load.KvConnection;
import dev.tern.perf.load.KvTarget;
import dev.tern.perf.load.LoadRunner;
import dev.tern.perf.load.LoadSenderAgent;
import dev.tern.perf.load.LoadSetup;
import dev.tern.perf.load.Mix;
import dev.tern.perf.load.OpResult;
import dev.tern.perf.load.PercentilePlot;
import dev.tern.perf.load.RampSearch;
import dev.tern.perf.load.SessionSetup;
import dev.tern.perf.load.StepResult;
import dev.tern.perf.load.SummaryTable;
import dev.tern.perf.load.Workload;
import dev.tern.perf.load.Workloads;
import dev.tern.storage.client.KvClient;
import dev.tern.tools.TernVersion;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tern load}: an open-loop load generator over Aeron UDP. Sends a mix of workloads (KV reads and writes
 * straight to a KVSvr group; logins, contact lists, text and media sends and syncs through a running engine's
 * gateway, one session per simulated device) at a fixed rate, or ramps the rate to find the highest one meeting a
 * p99 target; records latency from each request's intended send time with HdrHistogram; writes a summary table, an
 * HdrHistogram log, a percentile plot (PNG) and an HTML page.
 */
@Command(
    name = "tern load",
    mixinStandardHelpOptions = true,
    versionProvider = TernVersion.class,
    sortOptions = false,
    usageHelpWidth = 120,
    description = {
        "Open-loop load over Aeron UDP at a fixed rate, or a ramp to the highest rate meeting a p99 target.",
        "Latency is measured from when each request should have been sent (coordinated omission corrected).",
        "Workloads: kv-get, kv-put (straight to a KVSvr group); login, contacts, send-text, send-media, sync",
        "(through a `tern run` gateway).",
    },
    footer = {
        "",
        "Examples:",
        "  tern load --in-process-kv --mix kv-put=50,kv-get=50 --rate 20000 --duration 30",
        "  tern load --cluster cluster.properties --mix kv-put --ramp --p99-target-us 1000 --at 0.25,0.5,0.75",
        "  tern load --gateway 127.0.0.1:7070 --mix login=10,contacts=90 --users 200 --rate 5000",
        "  tern load --gateway 127.0.0.1:7070 --mix send-text=5,send-media=1,sync=4 --users 100 --rate 1000",
        "",
        "Writes summary.txt, latency.hlog, percentiles.png and report.html into --out.",
    })
public final class LoadMain implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--mix", defaultValue = "kv-put=50,kv-get=50", paramLabel = "NAME[=WEIGHT],...",
        description = "Workloads and their integer weights, of kv-get, kv-put, login, contacts, send-text " +
            "(32 bytes to a user that has the sender as a contact), send-media (an image by reference, 256-byte " +
            "thumbnail, the same recipients), sync (from the device's sync key, at most 100 messages). " +
            "Default: ${DEFAULT-VALUE}.")
    private String mixSpec;

    @Option(names = "--rate", defaultValue = "10000", description = "Requests per second offered, all workloads " +
        "together (without --ramp). Default: ${DEFAULT-VALUE}.")
    private double rate;

    @Option(names = "--duration", defaultValue = "30", description = "Measured seconds. Default: ${DEFAULT-VALUE}.")
    private double durationSeconds;

    @Option(names = "--warmup", defaultValue = "5",
        description = "Unmeasured seconds at the rate first. Default: ${DEFAULT-VALUE}.")
    private double warmupSeconds;

    @Option(names = "--prime", defaultValue = "5", description = "Seconds of load at --prime-rate before " +
        "anything else, unreported: a cold system (JIT, connections) meets the first step warm. 0: none. " +
        "Default: ${DEFAULT-VALUE}.")
    private double primeSeconds;

    @Option(names = "--prime-rate", defaultValue = "2000",
        description = "Requests per second of the priming. Default: ${DEFAULT-VALUE}.")
    private double primeRate;

    @Option(names = "--senders", defaultValue = "1", description = "Sender threads splitting the rate, each with " +
        "its own clients; add one when the summary says the generator fell behind. Default: ${DEFAULT-VALUE}.")
    private int senders;

    @ArgGroup(exclusive = true)
    private KvSource kvSource;

    /** Where KV workloads go: exactly one of these. */
    static final class KvSource
    {
        @Option(names = "--cluster", paramLabel = "FILE", description = "A cluster file of running KVSvr replicas.")
        File clusterFile;

        @Option(names = "--in-process-kv",
            description = "Start a 3-replica KVSvr group inside this process (quick local runs).")
        boolean inProcess;

        @Option(names = "--kv-nodes", description = "Start a 3-replica KVSvr group as three processes on 127.0.0.1.")
        boolean processes;
    }

    @Option(names = "--kv-node-command", paramLabel = "COMMAND", description = "With --kv-nodes: the command " +
        "starting one replica, placeholders {cluster} {group} {replica} {dir} {monitor}. " +
        "Default: a JVM like this one running tern kv-node.")
    private String kvNodeCommand;

    @Option(names = "--kv-node-ready", defaultValue = KvTarget.READY, paramLabel = "TEXT",
        description = "With --kv-nodes: what a replica prints once it serves. Default: ${DEFAULT-VALUE}.")
    private String kvNodeReady;

    @Option(names = "--kv-data-dir", paramLabel = "DIR", description = "With --in-process-kv or --kv-nodes: the " +
        "group's data directory, kept afterwards. Default: a temporary directory, deleted.")
    private File kvDataDir;

    @Option(names = "--monitor-dir", paramLabel = "DIR", description = "With --in-process-kv or --kv-nodes: where " +
        "the replicas' monitor files (kv-g0-r<i>) go; tern counters reads them. Default: the monitor directory " +
        "(tern.monitor.dir).")
    private File monitorDir;

    @Option(names = "--keys", defaultValue = "10000",
        description = "KV key space: keys are chosen uniformly from this many. Default: ${DEFAULT-VALUE}.")
    private long keys;

    @Option(names = "--key-size", defaultValue = "16", description = "KV key bytes (8-1024). Default: ${DEFAULT-VALUE}.")
    private int keySize;

    @Option(names = "--value-size", defaultValue = "128",
        description = "KV value bytes (0-65536). Default: ${DEFAULT-VALUE}.")
    private int valueSize;

    @Option(names = "--preload", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "With kv-get: write every key once before the load so reads find values. Default: true.")
    private boolean preload;

    @Option(names = "--gateway", defaultValue = "127.0.0.1:7070", paramLabel = "HOST:PORT",
        description = "The engine's gateway, for the engine workloads. Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--users", defaultValue = "100",
        description = "Simulated users, registered fresh for the run. Default: ${DEFAULT-VALUE}.")
    private int users;

    @Option(names = "--devices", defaultValue = "1",
        description = "Devices per user, each its own connection and session. Default: ${DEFAULT-VALUE}.")
    private int devices;

    @Option(names = "--contacts", defaultValue = "10", description = "Contacts per user: user u adds u+1..u+N, so " +
        "it takes messages from them; send-text and send-media need >= 1. Default: ${DEFAULT-VALUE}.")
    private int contacts;

    @Option(names = "--max-in-flight", defaultValue = "1024",
        description = "Cap on requests in flight per client (as a service caps its KV client); beyond it sends wait " +
            "and are counted as refusals, their latency still counted from their intended time. Default: " +
            "${DEFAULT-VALUE}.")
    private int maxInFlight;

    @Option(names = "--timeout-ms", defaultValue = "5000",
        description = "A request unanswered this long is an error (TIMEOUT). Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Option(names = "--kv-response-endpoint", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
        description = "Where KV clients receive answers; the host must be reachable from the replicas. " +
            "Default: ${DEFAULT-VALUE}.")
    private String kvResponseEndpoint;

    @Option(names = "--ramp", description = "Ramp the rate up to find the highest rate meeting the targets.")
    private boolean ramp;

    @Option(names = "--ramp-from", defaultValue = "1000", description = "First ramp rate, /s. Default: ${DEFAULT-VALUE}.")
    private double rampFrom;

    @Option(names = "--ramp-factor", defaultValue = "1.5",
        description = "Each ramp step's rate is this times the last. Default: ${DEFAULT-VALUE}.")
    private double rampFactor;

    @Option(names = "--ramp-to", defaultValue = "10000000",
        description = "Highest ramp rate, /s. Default: ${DEFAULT-VALUE}.")
    private double rampTo;

    @Option(names = "--ramp-refine", defaultValue = "3",
        description = "Bisection steps after the first failed step. Default: ${DEFAULT-VALUE}.")
    private int rampRefine;

    @Option(names = "--p99-target-us", defaultValue = "0",
        description = "A ramp step fails when its p99 is above this, us; 0: no latency target. " +
            "Default: ${DEFAULT-VALUE}.")
    private double p99TargetUs;

    @Option(names = "--min-achieved", defaultValue = "0.95", description = "A ramp step fails when it achieved " +
        "less than this share of the offered rate. Default: ${DEFAULT-VALUE}.")
    private double minAchieved;

    @Option(names = "--step-duration", defaultValue = "10",
        description = "Measured seconds of each ramp step. Default: ${DEFAULT-VALUE}.")
    private double stepSeconds;

    @Option(names = "--step-warmup", defaultValue = "2",
        description = "Unmeasured seconds before each ramp step. Default: ${DEFAULT-VALUE}.")
    private double stepWarmupSeconds;

    @Option(names = "--at", split = ",", paramLabel = "FRACTION",
        description = "After the ramp, measure at these fractions of the best rate, with --warmup and --duration, " +
            "e.g. 0.25,0.5,0.75.")
    private List<Double> atFractions = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "Where the summary, log, plot and page go. Default: load-results/<date-time>.")
    private File outDir;

    @Option(names = "--plot-width", defaultValue = "1000", description = "Plot width, px. Default: ${DEFAULT-VALUE}.")
    private int plotWidth;

    @Option(names = "--plot-height", defaultValue = "600", description = "Plot height, px. Default: ${DEFAULT-VALUE}.")
    private int plotHeight;

    @Option(names = "--interval", defaultValue = "1",
        description = "Seconds between progress lines and logged interval histograms. Default: ${DEFAULT-VALUE}.")
    private double intervalSeconds;

    @Option(names = "--idle", defaultValue = "backoff", description = "Senders' idle strategy: backoff (parks at " +
        "most --max-park-us), yield, busy (only with a core to spare). Default: ${DEFAULT-VALUE}.")
    private String idleStrategy;

    @Option(names = "--max-park-us", defaultValue = "50", description = "Longest park of an idle backoff sender: " +
        "bounds how late it sends and reads answers. Default: ${DEFAULT-VALUE}.")
    private long maxParkUs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the key choice. Default: ${DEFAULT-VALUE}.")
    private long seed;

    private final PrintStream out;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * @param out where the summary and progress go.
     */
    public LoadMain(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        // the plot is drawn off-screen: no display needed, none wanted
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(System.out, args));
    }

    /**
     * Run {@code tern load} in this process.
     *
     * @param out  where the summary and progress go.
     * @param args the command line.
     * @return the exit code: 0 done, 1 failed, 2 bad usage.
     */
    public static int execute(final PrintStream out, final String... args)
    {
        final LoadMain command = new LoadMain(out);
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setExecutionExceptionHandler((ex, line, parsed) ->
        {
            line.getErr().println("tern load: " + (null == ex.getMessage() ? ex.toString() : ex.getMessage()));
            if (!(ex instanceof IllegalStateException || ex instanceof IllegalArgumentException ||
                ex instanceof UncheckedIOException))
            {
                ex.printStackTrace(line.getErr());
            }
            return 1;
        });
        return commandLine.execute(args);
    }

    public Integer call()
    {
        validate();
        final Mix mix;
        try
        {
            mix = Mix.parse(mixSpec);
            for (final String name : mix.names())
            {
                Workloads.create(name);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--mix: " + ex.getMessage(), ex);
        }
        final Set<Workload.Kind> kinds = EnumSet.noneOf(Workload.Kind.class);
        for (final String name : mix.names())
        {
            kinds.add(Workloads.create(name).kind());
        }
        if (kinds.contains(Workload.Kind.KV) && null == kvSource)
        {
            throw new ParameterException(spec.commandLine(),
                "KV workloads need --cluster FILE, --in-process-kv or --kv-nodes");
        }
        check(!kinds.contains(Workload.Kind.SESSION) || (long)users * devices >= senders,
            "engine workloads need at least one session per sender: --users x --devices >= --senders");
        for (final String name : mix.names())
        {
            check(!Workloads.create(name).sendsToContacts() || (contacts >= 1 && users >= 2),
                name + " sends only to users that added the sender as a contact: it needs --contacts >= 1 and " +
                "--users >= 2");
        }
        final File dir = null != outDir ? outDir : new File("load-results",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));

        final Thread cleanup = new Thread(this::closeAll, "tern-load-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            Files.createDirectories(dir.toPath());
            return run(mix, kinds, dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            closeAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private int run(final Mix mix, final Set<Workload.Kind> kinds, final File dir) throws IOException
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final EmbeddedDriver driver = own(EmbeddedDriver.launch(new EmbeddedDriver.Context()
            .aeronDir(CommonContext.generateRandomDirName())));
        final List<String> settings = new ArrayList<>();
        settings.add("tern load " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        settings.add("mix " + mix + ", " + senders + " sender(s), started " + LocalDateTime.now().withNano(0));

        KvTarget kv = null;
        if (kinds.contains(Workload.Kind.KV))
        {
            final File monitors = null != monitorDir ? monitorDir : MonitorConfiguration.dir();
            kv = own(kvSource.inProcess ? KvTarget.inProcess(kvDataDir, monitors) :
                kvSource.processes ? KvTarget.processes(kvDataDir, monitors, kvNodeCommand, kvNodeReady) :
                KvTarget.clusterFile(kvSource.clusterFile));
            settings.add("KV: " + kv.description() + "; " + keys + " keys of " + keySize + " bytes, values of " +
                valueSize + " bytes");
            out.println("KV target: " + kv.description());
        }
        final List<EngineSession> sessions = new ArrayList<>();
        if (kinds.contains(Workload.Kind.SESSION))
        {
            sessions.addAll(SessionSetup.connect(driver.aeron(), gateway, users, devices, contacts, maxInFlight,
                timeoutNs, out));
            settings.add("engine: gateway " + gateway + ", " + users + " users x " + devices + " devices, " +
                contacts + " contacts each");
        }

        final List<LoadSenderAgent> agents = new ArrayList<>();
        final List<Connections> allConnections = new ArrayList<>();
        // the runner's senders close their connections; until the runner exists (or if it fails) they close here
        own(() -> CloseHelper.quietCloseAll(allConnections));
        own(() -> CloseHelper.quietCloseAll(sessions));
        final List<Workload[]> workloads = new ArrayList<>();
        for (int i = 0; i < senders; i++)
        {
            final List<EngineSession> share = new ArrayList<>();
            for (int s = i; s < sessions.size(); s += senders)
            {
                share.add(sessions.get(s));
            }
            KvConnection kvConnection = null;
            if (null != kv)
            {
                kvConnection = new KvConnection(KvClient.connect(new KvClient.Context()
                    .aeron(driver.aeron())
                    .cluster(kv.cluster())
                    .responseEndpoint(kvResponseEndpoint)
                    .maxInFlight(maxInFlight)
                    .requestTimeoutNs(timeoutNs)
                    .attemptTimeoutNs(Math.min(timeoutNs, TimeUnit.MILLISECONDS.toNanos(200)))),
                    keys, keySize, valueSize, seed + i);
            }
            final Connections connections = new Connections(kvConnection, share);
            allConnections.add(connections);
            if (null != kvConnection)
            {
                kvConnection.awaitServing(TimeUnit.SECONDS.toNanos(30));
            }
            final Workload[] instances = new Workload[mix.size()];
            for (int op = 0; op < instances.length; op++)
            {
                instances[op] = Workloads.create(mix.names().get(op));
            }
            workloads.add(instances);
            agents.add(new LoadSenderAgent(i, SystemNanoClock.INSTANCE, instances, mix.copy(), connections));
        }

        final LoadSetup setup = new LoadSetup(allConnections.get(0), keys, preload, out);
        for (final Workload workload : workloads.get(0))
        {
            workload.prepare(setup);
        }

        final File logFile = new File(dir, "latency.hlog");
        final HistogramLogWriter log = new HistogramLogWriter(logFile);
        own(log::close);
        log.outputComment("tern load: interval histograms of latency in ns, tagged <step>/<workload>");
        log.outputLogFormatVersion();
        final long startMs = System.currentTimeMillis();
        log.outputStartTime(startMs);
        log.setBaseTime(startMs);
        log.outputLegend();

        final LoadRunner runner = own(LoadRunner.launch(new LoadRunner.Context()
            .senders(agents)
            .mix(mix)
            .idleStrategy(idleStrategy)
            .maxParkNs(TimeUnit.MICROSECONDS.toNanos(maxParkUs))
            .intervalNs((long)(intervalSeconds * 1e9))
            .drainTimeoutNs(timeoutNs + TimeUnit.SECONDS.toNanos(1))
            .log(log)
            .progress(out)));

        if (primeSeconds > 0)
        {
            out.printf("priming: %.0f/s for %.1f s, not reported%n", primeRate, primeSeconds);
            final StepResult prime = runner.runStep("prime", primeRate, 0, seconds(primeSeconds));
            out.printf("  primed: %d answered, %d errors%n", prime.all().ok(), prime.all().errorCount());
        }
        final List<StepResult> measured = new ArrayList<>();
        final List<StepResult> rampSteps = new ArrayList<>();
        final List<List<String>> rampRows = new ArrayList<>();
        String rampNote = null;
        if (ramp)
        {
            final RampSearch search = new RampSearch(rampFrom, rampFactor, rampTo, rampRefine,
                (long)(p99TargetUs * 1000), minAchieved);
            int number = 0;
            while (!search.isDone())
            {
                final double stepRate = search.nextRate();
                final String label = "ramp " + ++number + " at " + Math.round(stepRate) + "/s";
                out.println(label + ":");
                final StepResult step = runner.runStep(label, stepRate, seconds(stepWarmupSeconds),
                    seconds(stepSeconds));
                final String verdict = search.record(step.all().achievedPerSecond(),
                    step.all().latency().getValueAtPercentile(99));
                rampSteps.add(step);
                rampRows.add(SummaryTable.rampRow(step, verdict));
                out.println("  " + (null == verdict ? "met the target" : "failed: " + verdict));
            }
            final double best = search.bestRate();
            rampNote = (best > 0 ? "highest rate meeting the target: " + Math.round(best) + "/s" :
                "no rate met the target") + " (" + targetText() + "); " + search.stopReason();
            out.println(rampNote);
            if (best > 0)
            {
                for (final double fraction : atFractions)
                {
                    final double stepRate = Math.max(1, Math.round(best * fraction));
                    final String label = Math.round(fraction * 100) + "% of " + Math.round(best) + "/s";
                    out.println(label + ":");
                    measured.add(runner.runStep(label, stepRate, seconds(warmupSeconds), seconds(durationSeconds)));
                }
            }
        }
        else
        {
            final String label = Math.round(rate) + "/s";
            out.println(label + ":");
            measured.add(runner.runStep(label, rate, seconds(warmupSeconds), seconds(durationSeconds)));
        }
        log.close();

        report(dir, settings, rampSteps, rampRows, rampNote, measured);
        return 0;
    }

    private void report(final File dir, final List<String> settings, final List<StepResult> rampSteps,
        final List<List<String>> rampRows, final String rampNote, final List<StepResult> measured) throws IOException
    {
        final StringBuilder summary = new StringBuilder();
        settings.forEach(line -> summary.append(line).append('\n'));
        summary.append('\n');
        if (!rampRows.isEmpty())
        {
            summary.append(SummaryTable.render(SummaryTable.RAMP_HEADERS, rampRows)).append(rampNote).append("\n\n");
        }
        if (!measured.isEmpty())
        {
            summary.append(SummaryTable.text(measured));
        }
        final String text = summary.toString();
        Files.writeString(new File(dir, "summary.txt").toPath(), text, StandardCharsets.UTF_8);

        final List<StepResult> plotted = !measured.isEmpty() ? measured : rampSteps;
        final List<PercentilePlot.Curve> curves = new ArrayList<>();
        if (1 == plotted.size())
        {
            for (final OpResult op : plotted.get(0).ops())
            {
                curves.add(new PercentilePlot.Curve(op.name(), op.latency()));
            }
            if (plotted.get(0).ops().size() > 1)
            {
                curves.add(new PercentilePlot.Curve("all", plotted.get(0).all().latency()));
            }
        }
        else
        {
            for (final StepResult step : plotted)
            {
                curves.add(new PercentilePlot.Curve(step.label(), step.all().latency()));
            }
        }
        final String title = "tern load: latency by percentile (" + (1 == plotted.size() ?
            plotted.get(0).label() : plotted.size() + " steps") + ")";
        final byte[] png = PercentilePlot.png(title, curves, plotWidth, plotHeight);
        Files.write(new File(dir, "percentiles.png").toPath(), png);
        Files.writeString(new File(dir, "report.html").toPath(),
            HtmlReport.html("tern load", settings, rampRows, rampNote, measured, png, "latency.hlog"),
            StandardCharsets.UTF_8);

        out.println();
        out.print(text);
        out.println("Wrote " + new File(dir, "summary.txt") + ", latency.hlog, percentiles.png, report.html");
    }

    private String targetText()
    {
        return (p99TargetUs > 0 ? "p99 <= " + SummaryTable.formatNs((long)(p99TargetUs * 1000)) + " and " : "") +
            "achieved >= " + Math.round(minAchieved * 100) + "% of offered";
    }

    private static long seconds(final double seconds)
    {
        return (long)(seconds * 1e9);
    }

    private <T extends AutoCloseable> T own(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }

    private synchronized void closeAll()
    {
        final List<AutoCloseable> all = new ArrayList<>(closeables);
        closeables.clear();
        CloseHelper.quietCloseAll(all);
    }

    private void validate()
    {
        check(rate > 0, "--rate must be > 0");
        check(durationSeconds > 0, "--duration must be > 0");
        check(warmupSeconds >= 0, "--warmup must be >= 0");
        check(primeSeconds >= 0 && primeRate > 0, "--prime must be >= 0, --prime-rate > 0");
        check(senders >= 1 && senders <= 64, "--senders must be 1-64");
        check(keys >= 1, "--keys must be >= 1");
        check(keySize >= 8 && keySize <= 1024, "--key-size must be 8-1024");
        check(valueSize >= 0 && valueSize <= 65536, "--value-size must be 0-65536");
        check(users >= 1 && devices >= 1 && contacts >= 0, "--users and --devices must be >= 1, --contacts >= 0");
        check(maxInFlight >= 1, "--max-in-flight must be >= 1");
        check(timeoutMs >= 1, "--timeout-ms must be >= 1");
        check(stepSeconds > 0 && stepWarmupSeconds >= 0, "--step-duration must be > 0, --step-warmup >= 0");
        check(intervalSeconds >= 0.01, "--interval must be >= 0.01");
        check(maxParkUs >= 1 && maxParkUs <= 10_000, "--max-park-us must be 1-10000");
        check(plotWidth >= 320 && plotHeight >= 240, "--plot-width must be >= 320, --plot-height >= 240");
        check(atFractions.isEmpty() || ramp, "--at needs --ramp");
        for (final double fraction : atFractions)
        {
            check(fraction > 0 && fraction <= 1, "--at fractions must be in (0, 1]");
        }
        if (ramp)
        {
            try
            {
                new RampSearch(rampFrom, rampFactor, rampTo, rampRefine, (long)(p99TargetUs * 1000), minAchieved);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ParameterException(spec.commandLine(), "--ramp-*: " + ex.getMessage(), ex);
            }
        }
        check(null == kvNodeCommand || null != kvSource && kvSource.processes, "--kv-node-command needs --kv-nodes");
    }

    private void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
