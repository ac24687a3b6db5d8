package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.tools.monitor.Http;
import dev.tern.tools.monitor.MonitorProtocol;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.Aeron;
import io.aeron.Publication;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.File;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code tern agent}: the per-machine monitoring agent. Every interval it samples every monitor file in the
 * monitor directory, sums per ID across the machine (counters as per-interval deltas, gauges as values), and sends
 * the sample to the monitoring center as IdValueReport messages over Aeron UDP, with IdDeclaration messages that
 * name new IDs (and all IDs periodically, so that a restarted center relearns them). While the center is away,
 * reports wait in a bounded buffer, oldest dropped first and counted. It also serves the current values in the
 * Prometheus text format on {@code GET /metrics}.
 * <p>
 * It counts its own work (AGENT_* IDs) in its own monitor file, which it samples like any other.
 */
public final class MonitorAgent implements AutoCloseable
{
    private final Context ctx;
    private final Monitor monitor;
    private final EmbeddedDriver driver;
    private final Publication publication;
    private final AgentRunner runner;
    private final Http.Server http;

    private MonitorAgent(final Context ctx, final Monitor monitor, final EmbeddedDriver driver,
        final Publication publication, final AgentRunner runner, final Http.Server http)
    {
        this.ctx = ctx;
        this.monitor = monitor;
        this.driver = driver;
        this.publication = publication;
        this.runner = runner;
        this.http = http;
    }

    /**
     * Start an agent: its monitor file, media driver (unless an Aeron client is given), publication to the center,
     * duty-cycle thread and HTTP server. Closes what it opened when start-up fails.
     *
     * @param ctx the settings; concluded here.
     * @return the running agent.
     */
    public static MonitorAgent launch(final Context ctx)
    {
        ctx.conclude();
        Monitor monitor = null;
        EmbeddedDriver driver = null;
        Publication publication = null;
        AgentRunner runner = null;
        Http.Server http = null;
        try
        {
            monitor = Monitor.launch(new Monitor.Context().dir(ctx.monitorDir).name(ctx.monitorName)
                .host(ctx.machine).epochClock(ctx.epochClock));
            monitor.declare(MonitorId.AGENT_SAMPLES, MonitorId.AGENT_SAMPLE_NANOS, MonitorId.AGENT_FILES,
                MonitorId.AGENT_IDS, MonitorId.AGENT_REPORTS_SENT, MonitorId.AGENT_REPORTS_BUFFERED,
                MonitorId.AGENT_REPORTS_DROPPED, MonitorId.AGENT_BACK_PRESSURE, MonitorId.AGENT_FILES_REPLACED,
                MonitorId.AGENT_SCRAPES, MonitorId.AGENT_FILES_INVALID, MonitorId.AGENT_DECLARATIONS_SENT);

            Aeron aeron = ctx.aeron;
            if (null == aeron)
            {
                driver = MonitorProtocol.launchDriver(ctx.aeronDir, monitor.errorHandler(), "agent");
                aeron = driver.aeron();
            }
            publication = aeron.addPublication(MonitorProtocol.channel(ctx.centerEndpoint),
                MonitorProtocol.REPORT_STREAM_ID);

            final IdTable table = new IdTable();
            final ReportPublisher publisher = new ReportPublisher(publication);
            final SamplingAgent samplingAgent = new SamplingAgent(
                ctx.intervalMs,
                ctx.declareIntervalMs,
                ctx.machine,
                ctx.epochClock,
                new FileSampler(ctx.monitorDir, ctx.intervalMs, table, monitor.errorHandler()),
                table,
                new ReportEncoder(ctx.sessionId, ctx.machine, publisher.maxMessageLength()),
                new ReportBuffer(ctx.bufferReports, ctx.bufferBytes),
                publisher,
                monitor);
            runner = new AgentRunner(new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(ctx.idleMaxParkMs)), monitor.errorHandler(), null, samplingAgent);

            if (ctx.httpPort >= 0)
            {
                http = Http.start(ctx.httpHost, ctx.httpPort, 1, "tern-agent-http");
                http.server().createContext("/", exchange ->
                {
                    if (Http.rejectUnlessGet(exchange))
                    {
                        return;
                    }
                    if (!"/metrics".equals(exchange.getRequestURI().getPath()))
                    {
                        Http.respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n");
                        return;
                    }
                    final SamplingAgent.ScrapeRequest request = samplingAgent.requestScrape();
                    if (null == request)
                    {
                        Http.respond(exchange, 503, "text/plain; charset=utf-8", "too many scrapes pending\n");
                        return;
                    }
                    try
                    {
                        Http.respond(exchange, 200, PrometheusFormat.CONTENT_TYPE, request.body.get(5, TimeUnit.SECONDS));
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        Http.respond(exchange, 503, "text/plain; charset=utf-8", "interrupted\n");
                    }
                    catch (final ExecutionException | TimeoutException ex)
                    {
                        Http.respond(exchange, 503, "text/plain; charset=utf-8", "agent busy: " + ex + "\n");
                    }
                });
            }

            AgentRunner.startOnThread(runner);
            return new MonitorAgent(ctx, monitor, driver, publication, runner, http);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(http, runner, publication, driver, monitor);
            throw ex;
        }
    }

    /** @return the port of the {@code /metrics} server, or -1 when it is off. */
    public int httpPort()
    {
        return null != http ? http.port() : -1;
    }

    /** @return true when the center is connected. */
    public boolean isCenterConnected()
    {
        return publication.isConnected();
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    /** @return the agent's own monitor. */
    public Monitor monitor()
    {
        return monitor;
    }

    /** Stop the HTTP server and the duty cycle, then close the publication, driver and monitor file. */
    public void close()
    {
        CloseHelper.closeAll(http, runner, publication, driver, monitor);
    }

    /**
     * Settings of a {@link MonitorAgent}, defaults from {@link AgentConfiguration}.
     */
    public static final class Context
    {
        private File monitorDir;
        private int intervalMs = AgentConfiguration.intervalMs();
        private String centerEndpoint = AgentConfiguration.center();
        private String machine = AgentConfiguration.machine();
        private String httpHost = AgentConfiguration.httpHost();
        private int httpPort = AgentConfiguration.httpPort();
        private int bufferReports = AgentConfiguration.bufferReports();
        private int bufferBytes = AgentConfiguration.bufferBytes();
        private long declareIntervalMs = AgentConfiguration.declareIntervalMs();
        private String aeronDir = AgentConfiguration.aeronDir();
        private String monitorName = AgentConfiguration.monitorName();
        private int idleMaxParkMs = AgentConfiguration.idleMaxParkMs();
        private Aeron aeron;
        private EpochClock epochClock;
        private long sessionId;

        /**
         * Validate the settings and fill in what was not given.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == monitorDir)
            {
                monitorDir = MonitorConfiguration.dir();
            }
            if (intervalMs < 10 || intervalMs > 3_600_000)
            {
                throw new IllegalArgumentException("intervalMs=" + intervalMs + " must be in [10, 3600000]");
            }
            MonitorProtocol.validateEndpoint("center", centerEndpoint);
            if (null == machine || machine.isEmpty() || machine.length() > MonitorProtocol.MAX_MACHINE_LENGTH ||
                !MonitorProtocol.isPrintableAscii(machine))
            {
                throw new IllegalArgumentException("machine=" + machine + " must be 1-" +
                    MonitorProtocol.MAX_MACHINE_LENGTH + " printable ASCII characters without spaces");
            }
            if (httpPort < -1 || httpPort > 65535)
            {
                throw new IllegalArgumentException("httpPort=" + httpPort + " must be in [-1, 65535] (-1: off, 0: any)");
            }
            if (bufferReports < 1)
            {
                throw new IllegalArgumentException("bufferReports=" + bufferReports + " must be at least 1");
            }
            if (bufferBytes < 64 * 1024 || bufferBytes > 1 << 30)
            {
                throw new IllegalArgumentException("bufferBytes=" + bufferBytes + " must be in [65536, 1073741824]");
            }
            if (declareIntervalMs < intervalMs)
            {
                throw new IllegalArgumentException("declareIntervalMs=" + declareIntervalMs +
                    " must be at least intervalMs=" + intervalMs);
            }
            if (idleMaxParkMs < 1 || idleMaxParkMs > 1000)
            {
                throw new IllegalArgumentException("idleMaxParkMs=" + idleMaxParkMs + " must be in [1, 1000]");
            }
            if (null == epochClock)
            {
                epochClock = SystemEpochClock.INSTANCE;
            }
            while (0 == sessionId)
            {
                sessionId = new SecureRandom().nextLong();
            }
            return this;
        }

        /** @param monitorDir the directory of the monitor files to sample. */
        public Context monitorDir(final File monitorDir)
        {
            this.monitorDir = monitorDir;
            return this;
        }

        public File monitorDir()
        {
            return monitorDir;
        }

        /** @param intervalMs the sampling interval, ms. */
        public Context intervalMs(final int intervalMs)
        {
            this.intervalMs = intervalMs;
            return this;
        }

        public int intervalMs()
        {
            return intervalMs;
        }

        /** @param centerEndpoint the center's host:port. */
        public Context centerEndpoint(final String centerEndpoint)
        {
            this.centerEndpoint = centerEndpoint;
            return this;
        }

        public String centerEndpoint()
        {
            return centerEndpoint;
        }

        /** @param machine the machine name reported, printable ASCII. */
        public Context machine(final String machine)
        {
            this.machine = machine;
            return this;
        }

        public String machine()
        {
            return machine;
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

        /** @param httpPort the /metrics port; 0 any free port, -1 off. */
        public Context httpPort(final int httpPort)
        {
            this.httpPort = httpPort;
            return this;
        }

        public int httpPort()
        {
            return httpPort;
        }

        public Context bufferReports(final int bufferReports)
        {
            this.bufferReports = bufferReports;
            return this;
        }

        public int bufferReports()
        {
            return bufferReports;
        }

        public Context bufferBytes(final int bufferBytes)
        {
            this.bufferBytes = bufferBytes;
            return this;
        }

        public int bufferBytes()
        {
            return bufferBytes;
        }

        public Context declareIntervalMs(final long declareIntervalMs)
        {
            this.declareIntervalMs = declareIntervalMs;
            return this;
        }

        public long declareIntervalMs()
        {
            return declareIntervalMs;
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

        /** @param monitorName the name of the agent's own monitor file. */
        public Context monitorName(final String monitorName)
        {
            this.monitorName = monitorName;
            return this;
        }

        public String monitorName()
        {
            return monitorName;
        }

        /** @param idleMaxParkMs the longest park of the duty cycle when idle, ms. */
        public Context idleMaxParkMs(final int idleMaxParkMs)
        {
            this.idleMaxParkMs = idleMaxParkMs;
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

        /** @param sessionId the session id reports carry; random by default. */
        public Context sessionId(final long sessionId)
        {
            this.sessionId = sessionId;
            return this;
        }
    }
}
