package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.MonitorFileLayout;
import dev.tern.codecs.monitor.MonitorFileReader;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.tools.TernTool;
import dev.tern.transport.test.ChildJvm;
import dev.tern.transport.test.FreePorts;
import io.aeron.CommonContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tern.transport.test.Await.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A writer JVM, an agent JVM and a center JVM, as operators run them: values written in the writer reach the
 * center's stored series and the agent's /metrics; a kill -9 of the writer in the middle of its updates leaves its
 * file readable and the agent running; a restarted writer is picked up and its new values flow.
 */
@Timeout(120)
class MonitorProcessesTest
{
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern WRITER_REQUESTS =
        Pattern.compile("tern_demo_requests_total\\{process=\"writer\",machine=\"box-7\"} (\\d+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final List<ChildJvm> children = new ArrayList<>();
    private File monitorDir;
    private String centerUrl;
    private String metricsUrl;

    @BeforeEach
    void setUp()
    {
        monitorDir = new File(dir, "monitor");
        final String listen = FreePorts.endpoint();
        final int pagePort = FreePorts.next();
        final int metricsPort = FreePorts.next();
        centerUrl = "http://127.0.0.1:" + pagePort;
        metricsUrl = "http://127.0.0.1:" + metricsPort + "/metrics";

        start(ChildJvm.builder(TernTool.class).arg("monitor", "--listen", listen, "--http-host", "127.0.0.1",
            "--http-port", Integer.toString(pagePort), "--data-dir", new File(dir, "center").getPath(),
            "--aeron-dir", CommonContext.generateRandomDirName())
            .property("tern.monitor.dir", monitorDir.getPath())
            .property("tern.idle.strategy", "sleep")
            .output(new File(dir, "center.log")), "tern monitor: ready");
        start(ChildJvm.builder(TernTool.class).arg("agent", "--dir", monitorDir.getPath(), "--center", listen,
            "--interval", "200", "--machine", "box-7", "--http-host", "127.0.0.1",
            "--http-port", Integer.toString(metricsPort), "--aeron-dir", CommonContext.generateRandomDirName())
            .property("tern.idle.strategy", "sleep")
            .output(new File(dir, "agent.log")), "tern agent: ready");
    }

    @AfterEach
    void tearDown()
    {
        for (final ChildJvm child : children)
        {
            child.close();
        }
    }

    private ChildJvm start(final ChildJvm.Builder builder, final String ready)
    {
        final ChildJvm child = builder.heap("128m").start();
        children.add(child);
        child.awaitOutput(ready, START);
        return child;
    }

    private ChildJvm startWriter(final String logName)
    {
        return start(ChildJvm.builder(TestWriter.class).arg(monitorDir.getPath(), "writer")
            .output(new File(dir, logName)), "writer ready");
    }

    private long writerRequestsAtAgent()
    {
        final String metrics = TestHttp.getOrNull(metricsUrl);
        if (null == metrics)
        {
            return -1;
        }
        final Matcher matcher = WRITER_REQUESTS.matcher(metrics);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private List<Double> requestRatesAtCenter(final long fromMs)
    {
        final String json = TestHttp.getOrNull(centerUrl + "/api/series?id=" + MonitorId.DEMO_REQUESTS.id() +
            "&machine=box-7&points=5000&from=" + fromMs + "&to=" + (System.currentTimeMillis() + 1000));
        return null == json ? List.of() : TestHttp.numbers(json, "sum");
    }

    @Test
    void shouldCarryValuesFromAWriterProcessToTheCenterSurviveItsKillAndPickUpItsRestart()
    {
        final long firstStartMs = System.currentTimeMillis();
        final ChildJvm firstWriter = startWriter("writer-1.log");

        await(() -> requestRatesAtCenter(firstStartMs).stream().filter(rate -> rate > 0).count() >= 3, WAIT,
            () -> "request rates in the center's series: " + requestRatesAtCenter(firstStartMs));
        await(() -> writerRequestsAtAgent() > 0, WAIT, () -> "the writer's counter on /metrics: " +
            TestHttp.getOrNull(metricsUrl));

        firstWriter.kill9();

        final File writerFile = new File(monitorDir, "writer" + MonitorFileLayout.FILE_SUFFIX);
        try (MonitorFileReader reader = MonitorFileReader.open(writerFile))
        {
            assertNotNull(reader, "the killed writer's file is still a valid monitor file");
            assertEquals(MonitorFileReader.Liveness.DEAD, reader.liveness());
            final long[] requests = {-1};
            reader.forEach((id, kind, unit, name, value) ->
            {
                if (id == MonitorId.DEMO_REQUESTS.id())
                {
                    requests[0] = value;
                }
            });
            assertTrue(requests[0] > 0, "the counter written before the kill is readable");
        }
        await(() -> writerRequestsAtAgent() == -1 && null != TestHttp.getOrNull(metricsUrl), WAIT,
            () -> "the agent still serving, without the dead writer");
        assertTrue(children.get(1).isAlive(), "the agent survived");

        final long restartMs = System.currentTimeMillis();
        startWriter("writer-2.log");

        await(() -> requestRatesAtCenter(restartMs).stream().filter(rate -> rate > 0).count() >= 3, WAIT,
            () -> "the restarted writer's rates at the center: " + requestRatesAtCenter(restartMs));
        await(() -> writerRequestsAtAgent() > 0, WAIT, () -> "the restarted writer on /metrics");
        try (MonitorFileReader agentFile = MonitorFileReader.open(new File(monitorDir, "tern-agent" +
            MonitorFileLayout.FILE_SUFFIX)))
        {
            assertNotNull(agentFile);
            final long[] replaced = {0};
            agentFile.forEach((id, kind, unit, name, value) ->
            {
                if (id == MonitorId.AGENT_FILES_REPLACED.id())
                {
                    replaced[0] = value;
                }
            });
            assertEquals(1, replaced[0], "the agent saw the file replaced once");
        }
        assertTrue(children.get(0).isAlive() && children.get(1).isAlive(), "center and agent kept running");
    }
}
