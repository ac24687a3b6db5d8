package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.tools.monitor.MonitorProtocol;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.TransportConfiguration;
import io.aeron.Aeron;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code tern monitor}: the monitoring center. It takes ID-Value reports from any number of agents over Aeron UDP,
 * checks every message before decoding it, stores every message durably ({@link SegmentStore}: restarts keep the
 * history), keeps recent points per ID and machine in memory, serves one web page of curves with a JSON API, and
 * evaluates alarm rules as reports arrive: an alarm is shown on the page, logged to stdout and
 * {@code <data-dir>/alarms.log}, and POSTed as JSON to a webhook; it clears when its condition ends.
 * <p>
 * It counts its own work (CENTER_* IDs) in its own monitor file.
 */
public final class MonitorCenter implements AutoCloseable
{
    /** Name of the alarm log in the data directory: one JSON event a line. */
    public static final String ALARM_LOG_NAME = "alarms.log";

    private final Context ctx;
    private final Monitor monitor;
    private final EmbeddedDriver driver;
    private final Subscription subscription;
    private final AgentRunner runner;
    private final AgentRunner webhookRunner;
    private final CenterHttpServer http;
    private final Writer alarmLog;
    private final long replayedMessages;

    private MonitorCenter(final Context ctx, final Monitor monitor, final EmbeddedDriver driver,
        final Subscription subscription, final AgentRunner runner, final AgentRunner webhookRunner,
        final CenterHttpServer http, final Writer alarmLog, final long replayedMessages)
    {
        this.ctx = ctx;
        this.monitor = monitor;
        this.driver = driver;
        this.subscription = subscription;
        this.runner = runner;
        this.webhookRunner = webhookRunner;
        this.http = http;
        this.alarmLog = alarmLog;
        this.replayedMessages = replayedMessages;
    }

    /**
     * Start a center: its monitor file, the stored history (replayed), media driver (unless an Aeron client is
     * given), subscription, duty-cycle thread, webhook thread and HTTP server. Closes what it opened when start-up
     * fails.
     *
     * @param ctx the settings; concluded here (rules are parsed then).
     * @return the running center.
     */
    public static MonitorCenter launch(final Context ctx)
    {
        ctx.conclude();
        Monitor monitor = null;
        SegmentStore segments = null;
        Writer alarmLog = null;
        EmbeddedDriver driver = null;
        Subscription subscription = null;
        AgentRunner runner = null;
        AgentRunner webhookRunner = null;
        CenterHttpServer http = null;
        try
        {
            monitor = Monitor.launch(new Monitor.Context().dir(ctx.monitorDir).name(ctx.monitorName)
                .epochClock(ctx.epochClock));
            monitor.declare(MonitorId.CENTER_REPORTS, MonitorId.CENTER_VALUES, MonitorId.CENTER_MALFORMED,
                MonitorId.CENTER_AGENTS, MonitorId.CENTER_ALARMS_ACTIVE, MonitorId.CENTER_ALARMS_FIRED,
                MonitorId.CENTER_WEBHOOK_FAILURES, MonitorId.CENTER_PAGE_REQUESTS, MonitorId.CENTER_LATE_VALUES,
                MonitorId.CENTER_WEBHOOK_DROPPED, MonitorId.CENTER_STORE_TRUNCATED, MonitorId.CENTER_REPORT_DELAY_MS,
                MonitorId.CENTER_STORE_BYTES);

            Files.createDirectories(ctx.dataDir.toPath());
            segments = new SegmentStore(new File(ctx.dataDir, "segments"), ctx.retentionHours * 3_600_000L);
            alarmLog = new OutputStreamWriter(new FileOutputStream(new File(ctx.dataDir, ALARM_LOG_NAME), true),
                StandardCharsets.UTF_8);
            final CenterState state = new CenterState(new SeriesStore(ctx.finePoints, ctx.minuteBuckets),
                new AlarmEvaluator(ctx.rules));

            WebhookNotifier notifier = null;
            if (null != ctx.webhook)
            {
                notifier = new WebhookNotifier(URI.create(ctx.webhook), ctx.epochClock);
                webhookRunner = new AgentRunner(new SleepingMillisIdleStrategy(10), monitor.errorHandler(), null,
                    notifier);
            }

            Aeron aeron = ctx.aeron;
            if (null == aeron)
            {
                driver = MonitorProtocol.launchDriver(ctx.aeronDir, monitor.errorHandler(), "center");
                aeron = driver.aeron();
            }

            subscription = aeron.addSubscription(MonitorProtocol.channel(ctx.listenEndpoint),
                MonitorProtocol.REPORT_STREAM_ID);
            final CenterAgent agent = new CenterAgent(ctx.epochClock, state, segments, subscription, notifier, alarmLog,
                ctx.out, monitor, ctx.alarmListener, ctx.reportListener);
            final long replayed = agent.replay();

            runner = new AgentRunner(IdleStrategies.of(ctx.idleStrategy), monitor.errorHandler(), null, agent);
            http = new CenterHttpServer(ctx.httpHost, ctx.httpPort, state, ctx.epochClock, monitor);
            AgentRunner.startOnThread(runner);
            if (null != webhookRunner)
            {
                AgentRunner.startOnThread(webhookRunner);
            }
            return new MonitorCenter(ctx, monitor, driver, subscription, runner, webhookRunner, http, alarmLog,
                replayed);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(http, webhookRunner, runner, subscription, driver, segments, alarmLog, monitor);
            throw new UncheckedIOException("cannot start the center in " + ctx.dataDir + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(http, webhookRunner, runner, subscription, driver, segments, alarmLog, monitor);
            throw ex;
        }
    }

    /** @return the port of the page's HTTP server. */
    public int httpPort()
    {
        return http.port();
    }

    /** @return messages replayed from the store on start. */
    public long replayedMessages()
    {
        return replayedMessages;
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    /** @return the center's own monitor. */
    public Monitor monitor()
    {
        return monitor;
    }

    /** Stop the HTTP server and the threads (the store is flushed and closed), then the subscription, driver, file. */
    public void close()
    {
        CloseHelper.closeAll(http, webhookRunner, runner, subscription, driver, alarmLog, monitor);
    }

    /**
     * Settings of a {@link MonitorCenter}, defaults from {@link CenterConfiguration}.
     */
    public static final class Context
    {
        private String listenEndpoint = CenterConfiguration.listen();
        private String httpHost = CenterConfiguration.httpHost();
        private int httpPort = CenterConfiguration.httpPort();
        private File dataDir = CenterConfiguration.dataDir();
        private File rulesFile = CenterConfiguration.rules();
        private String webhook = CenterConfiguration.webhook();
        private int retentionHours = CenterConfiguration.retentionHours();
        private int finePoints = CenterConfiguration.finePoints();
        private int minuteBuckets = CenterConfiguration.minuteBuckets();
        private String aeronDir = CenterConfiguration.aeronDir();
        private String monitorName = CenterConfiguration.monitorName();
        private String idleStrategy = TransportConfiguration.idleStrategy();
        private File monitorDir;
        private Aeron aeron;
        private EpochClock epochClock;
        private PrintStream out;
        private Consumer<AlarmEvent> alarmListener;
        private ReportListener reportListener;
        private List<AlarmRule> rules;

        /**
         * Validate the settings, read the rules file and fill in what was not given.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field, or the rules file's line.
         */
        public Context conclude()
        {
            MonitorProtocol.validateEndpoint("listen", listenEndpoint);
            if (httpPort < 0 || httpPort > 65535)
            {
                throw new IllegalArgumentException("httpPort=" + httpPort + " must be in [0, 65535] (0: any)");
            }
            if (null == dataDir)
            {
                throw new IllegalArgumentException("dataDir must be set");
            }
            if (retentionHours < 1)
            {
                throw new IllegalArgumentException("retentionHours=" + retentionHours + " must be at least 1");
            }
            if (finePoints < 16 || finePoints > 10_000_000)
            {
                throw new IllegalArgumentException("finePoints=" + finePoints + " must be in [16, 10000000]");
            }
            if (minuteBuckets < 16 || minuteBuckets > 10_000_000)
            {
                throw new IllegalArgumentException("minuteBuckets=" + minuteBuckets + " must be in [16, 10000000]");
            }
            if (null != webhook)
            {
                try
                {
                    final URI uri = new URI(webhook);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || null == uri.getHost())
                    {
                        throw new IllegalArgumentException("webhook=" + webhook + " must be an http:// or https:// URL");
                    }
                }
                catch (final URISyntaxException ex)
                {
                    throw new IllegalArgumentException("webhook=" + webhook + " is not a URL: " + ex.getMessage(), ex);
                }
            }
            IdleStrategies.of(idleStrategy);
            if (null == rules)
            {
                rules = null != rulesFile ? AlarmRule.parseFile(rulesFile.toPath()) : List.of();
            }
            if (null == monitorDir)
            {
                monitorDir = MonitorConfiguration.dir();
            }
            if (null == epochClock)
            {
                epochClock = SystemEpochClock.INSTANCE;
            }
            if (null == out)
            {
                out = System.out;
            }
            return this;
        }

        /** @param listenEndpoint the host:port agents send to. */
        public Context listenEndpoint(final String listenEndpoint)
        {
            this.listenEndpoint = listenEndpoint;
            return this;
        }

        public String listenEndpoint()
        {
            return listenEndpoint;
        }

        public Context httpHost(final String httpHost)
        {
            this.httpHost = httpHost;
            return this;
        }

        public String httpHost()
        {
            return httpHost;
        }

        /** @param httpPort the page's port; 0 any free port. */
        public Context httpPort(final int httpPort)
        {
            this.httpPort = httpPort;
            return this;
        }

        public int httpPort()
        {
            return httpPort;
        }

        /** @param dataDir where the history and the alarm log live. */
        public Context dataDir(final File dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        public File dataDir()
        {
            return dataDir;
        }

        /** @param rulesFile the alarm rules file, or null for none. */
        public Context rulesFile(final File rulesFile)
        {
            this.rulesFile = rulesFile;
            return this;
        }

        public File rulesFile()
        {
            return rulesFile;
        }

        /** @param webhook the URL alarm events are POSTed to, or null for none. */
        public Context webhook(final String webhook)
        {
            this.webhook = webhook;
            return this;
        }

        public String webhook()
        {
            return webhook;
        }

        public Context retentionHours(final int retentionHours)
        {
            this.retentionHours = retentionHours;
            return this;
        }

        public int retentionHours()
        {
            return retentionHours;
        }

        public Context finePoints(final int finePoints)
        {
            this.finePoints = finePoints;
            return this;
        }

        public int finePoints()
        {
            return finePoints;
        }

        public Context minuteBuckets(final int minuteBuckets)
        {
            this.minuteBuckets = minuteBuckets;
            return this;
        }

        public int minuteBuckets()
        {
            return minuteBuckets;
        }

        /** @param aeronDir the embedded media driver's directory; not used when {@link #aeron(Aeron)} is given. */
        public Context aeronDir(final String aeronDir)
        {
            this.aeronDir = aeronDir;
            return this;
        }

        public String aeronDir()
        {
            return aeronDir;
        }

        /** @param monitorDir where the center's own monitor file goes. */
        public Context monitorDir(final File monitorDir)
        {
            this.monitorDir = monitorDir;
            return this;
        }

        public Context monitorName(final String monitorName)
        {
            this.monitorName = monitorName;
            return this;
        }

        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /** @param aeron a connected client to use instead of an embedded driver; the caller closes it. */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        /** @param out where alarm lines are printed; stdout by default. */
        public Context out(final PrintStream out)
        {
            this.out = out;
            return this;
        }

        /** @param alarmListener also receives every alarm event, on the center's thread; must not block. */
        public Context alarmListener(final Consumer<AlarmEvent> alarmListener)
        {
            this.alarmListener = alarmListener;
            return this;
        }

        /** @param reportListener receives every complete report, on the center's thread; must not block. */
        public Context reportListener(final ReportListener reportListener)
        {
            this.reportListener = reportListener;
            return this;
        }

        /** @param rules the alarm rules, instead of reading {@link #rulesFile(File)}. */
        public Context rules(final List<AlarmRule> rules)
        {
            this.rules = rules;
            return this;
        }

        public List<AlarmRule> rules()
        {
            return rules;
        }
    }
}
