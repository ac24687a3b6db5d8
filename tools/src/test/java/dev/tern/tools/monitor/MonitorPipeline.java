package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.tools.monitor.agent.MonitorAgent;
import dev.tern.tools.monitor.center.AlarmRule;
import dev.tern.tools.monitor.center.MonitorCenter;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A writer, an agent and a center in the test's JVM over one test media driver and real UDP on 127.0.0.1: the
 * in-process fixture of the monitoring tests. Processes as separate JVMs are tested with ChildJvm.
 */
public final class MonitorPipeline implements AutoCloseable
{
    public static final String MACHINE = "test-box";
    public static final int AGENT_INTERVAL_MS = 100;

    private final File dir;
    private final EmbeddedDriver driver = TestMediaDriver.launch();
    private final String centerEndpoint = FreePorts.endpoint();
    private final ByteArrayOutputStream centerOutput = new ByteArrayOutputStream();
    private Monitor writer;
    private MonitorAgent agent;
    private MonitorCenter center;

    /**
     * @param dir a temporary directory; monitor files go to {@code dir/monitor}, the center's data to {@code dir/center}.
     */
    public MonitorPipeline(final File dir)
    {
        this.dir = dir;
    }

    public File monitorDir()
    {
        return new File(dir, "monitor");
    }

    public File dataDir()
    {
        return new File(dir, "center");
    }

    /** @return a writer process's monitor (in this JVM) with the DEMO_* IDs declared. */
    public Monitor startWriter()
    {
        writer = Monitor.launch(new Monitor.Context().dir(monitorDir()).name("writer").heartbeatIntervalMs(0));
        writer.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH, MonitorId.DEMO_LATENCY_MAX_US);
        return writer;
    }

    /** @return a started agent sampling every {@link #AGENT_INTERVAL_MS}. */
    public MonitorAgent startAgent(final int bufferReports)
    {
        agent = MonitorAgent.launch(new MonitorAgent.Context()
            .aeron(driver.aeron())
            .monitorDir(monitorDir())
            .intervalMs(AGENT_INTERVAL_MS)
            .declareIntervalMs(1000)
            .centerEndpoint(centerEndpoint)
            .machine(MACHINE)
            .httpHost("127.0.0.1")
            .httpPort(0)
            .bufferReports(bufferReports));
        return agent;
    }

    /** @return a started center with these rules (lines of a rules file) and webhook (or null). */
    public MonitorCenter startCenter(final String webhook, final String... rules)
    {
        center = MonitorCenter.launch(new MonitorCenter.Context()
            .aeron(driver.aeron())
            .listenEndpoint(centerEndpoint)
            .httpHost("127.0.0.1")
            .httpPort(0)
            .dataDir(dataDir())
            .monitorDir(monitorDir())
            .rules(AlarmRule.parse(List.of(rules), "test rules"))
            .webhook(webhook)
            .out(new PrintStream(centerOutput, true, StandardCharsets.UTF_8))
            .idleStrategy("sleep"));
        return center;
    }

    public void stopCenter()
    {
        CloseHelper.close(center);
        center = null;
    }

    public void stopAgent()
    {
        CloseHelper.close(agent);
        agent = null;
    }

    /** @return the center's page and API root, e.g. {@code http://127.0.0.1:1234}. */
    public String centerUrl()
    {
        return "http://127.0.0.1:" + center.httpPort();
    }

    public String metricsUrl()
    {
        return "http://127.0.0.1:" + agent.httpPort() + "/metrics";
    }

    public String centerEndpoint()
    {
        return centerEndpoint;
    }

    public EmbeddedDriver driver()
    {
        return driver;
    }

    public MonitorAgent agent()
    {
        return agent;
    }

    public MonitorCenter center()
    {
        return center;
    }

    /** @return what the center printed (alarm lines). */
    public String centerOutput()
    {
        return centerOutput.toString(StandardCharsets.UTF_8);
    }

    /** @return the summed values of an ID's series over the last minutes, nulls skipped. */
    public List<Double> sumOf(final int id)
    {
        final String json = TestHttp.getOrNull(centerUrl() + "/api/series?id=" + id + "&points=5000");
        return null == json ? List.of() : TestHttp.numbers(json, "sum");
    }

    public void close()
    {
        CloseHelper.closeAll(center, agent, writer, driver);
    }
}
