package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.tools.monitor.center.MonitorCenter;
import io.aeron.Publication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static dev.tern.transport.test.Await.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Writer, agent and center in one JVM over real UDP: values flow to the center's series, alarms fire and clear
 * through the webhook, the history survives a center restart, malformed messages are dropped and counted, and
 * reports wait in the agent's buffer while the center is down.
 */
@Timeout(60)
class MonitorPipelineTest
{
    private static final int REQUESTS = MonitorId.DEMO_REQUESTS.id();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private MonitorPipeline pipeline;

    @BeforeEach
    void setUp()
    {
        pipeline = new MonitorPipeline(dir);
    }

    @AfterEach
    void tearDown()
    {
        pipeline.close();
    }

    /** Start writer, center and agent; add to the writer's counter until the center shows three positive rates. */
    private void startAllAndAwaitRequestsAtTheCenter()
    {
        final Monitor writer = pipeline.startWriter();
        pipeline.startCenter(null);
        pipeline.startAgent(300);
        await(() ->
        {
            writer.add(REQUESTS, 10);
            return pipeline.sumOf(REQUESTS).stream().filter(v -> v > 0).count() >= 3;
        }, WAIT, () -> "rates of " + REQUESTS + " at the center: " + pipeline.sumOf(REQUESTS));
    }

    @Test
    void shouldStoreReportedValuesAsSeriesPerMachineAndSummed()
    {
        startAllAndAwaitRequestsAtTheCenter();

        final String ids = TestHttp.getOrNull(pipeline.centerUrl() + "/api/ids?q=demo.requests");
        assertTrue(ids.contains("{\"id\":1000,\"name\":\"demo.requests\",\"kind\":\"counter\",\"unit\":\"requests\"," +
            "\"machines\":[\"test-box\"]}"), ids);
        final String series = TestHttp.getOrNull(pipeline.centerUrl() + "/api/series?id=1000&machine=test-box");
        assertTrue(series.contains("\"machine\":\"test-box\""), series);
        assertEquals(400, TestHttp.status(pipeline.centerUrl() + "/api/series?id=x"));
        assertEquals(404, TestHttp.status(pipeline.centerUrl() + "/api/series?id=424242"));
    }

    @Test
    void shouldFireAnAlarmWhenACounterCrossesItsThresholdClearItAfterAndPostBoth() throws Exception
    {
        try (TestHttp.WebhookReceiver webhook = new TestHttp.WebhookReceiver())
        {
            final Monitor writer = pipeline.startWriter();
            final MonitorCenter center = pipeline.startCenter(webhook.url(), "rule busy id=1000 above 50");
            pipeline.startAgent(300);

            await(() ->
            {
                writer.add(REQUESTS, 100);
                return !webhook.bodies().isEmpty();
            }, WAIT, () -> "the fire event; center printed: " + pipeline.centerOutput());
            await(() -> webhook.bodies().size() >= 2, WAIT,
                () -> "the clear event once the counter stopped; got " + webhook.bodies());

            final List<String> bodies = webhook.bodies();
            assertEquals(2, bodies.size(), bodies.toString());
            final String fire = bodies.get(0);
            final String clear = bodies.get(1);
            for (final String part : List.of("\"rule\":\"busy\"", "\"id\":1000", "\"name\":\"demo.requests\"",
                "\"machine\":\"all\"", "\"condition\":\"above 50\"", "\"threshold\":50", "\"sampleTimeMs\":"))
            {
                assertTrue(fire.contains(part), fire);
                assertTrue(clear.contains(part), clear);
            }
            assertTrue(fire.startsWith("{\"event\":\"fire\""), fire);
            assertTrue(clear.startsWith("{\"event\":\"clear\""), clear);
            assertTrue(clear.contains("\"value\":0,"), clear);

            final List<String> log = Files.readAllLines(new File(pipeline.dataDir(), MonitorCenter.ALARM_LOG_NAME).toPath());
            assertEquals(bodies, log);
            final String alarms = TestHttp.getOrNull(pipeline.centerUrl() + "/api/alarms");
            assertTrue(alarms.contains("\"rule\":\"busy\"") && alarms.contains("\"active\":false"), alarms);
            assertEquals(1, center.monitor().get(MonitorId.CENTER_ALARMS_FIRED.id()));
        }
    }

    @Test
    void shouldKeepTheHistoryAcrossACenterRestart()
    {
        startAllAndAwaitRequestsAtTheCenter();
        pipeline.stopAgent();
        final List<Double> before = pipeline.sumOf(REQUESTS);
        pipeline.stopCenter();

        final MonitorCenter restarted = pipeline.startCenter(null);

        assertTrue(restarted.replayedMessages() > 0);
        assertEquals(before, pipeline.sumOf(REQUESTS));
    }

    @Test
    void shouldDropAndCountMalformedMessagesAndKeepTakingReports()
    {
        final Monitor writer = pipeline.startWriter();
        final MonitorCenter center = pipeline.startCenter(null);
        final Publication rogue = pipeline.driver().aeron().addPublication(
            MonitorProtocol.channel(pipeline.centerEndpoint()), MonitorProtocol.REPORT_STREAM_ID);
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[64]);
        garbage.putStringWithoutLengthAscii(0, "not an SBE message, just some bytes ......");
        await(rogue::isConnected, WAIT, () -> "rogue publication connected");

        await(() ->
        {
            rogue.offer(garbage, 0, 64);
            return center.monitor().get(MonitorId.CENTER_MALFORMED.id()) >= 3;
        }, WAIT, () -> "malformed messages counted");

        pipeline.startAgent(300);
        await(() ->
        {
            writer.add(REQUESTS, 10);
            return pipeline.sumOf(REQUESTS).stream().anyMatch(v -> v > 0);
        }, WAIT, () -> "valid reports still stored");
        rogue.close();
    }

    @Test
    void shouldHoldReportsWhileTheCenterIsDownDropTheOldestAndDeliverTheRestWhenItComesBack()
    {
        pipeline.startWriter();
        final long agentStartMs = System.currentTimeMillis();
        final Monitor agentMonitor = pipeline.startAgent(5).monitor();
        await(() -> agentMonitor.get(MonitorId.AGENT_REPORTS_DROPPED.id()) >= 3, WAIT,
            () -> "reports dropped from the full buffer");
        assertEquals(5, agentMonitor.get(MonitorId.AGENT_REPORTS_BUFFERED.id()));
        final long centerStartMs = System.currentTimeMillis();

        pipeline.startCenter(null);

        final String sampledWhileDown = pipeline.centerUrl() + "/api/series?id=" + MonitorId.AGENT_SAMPLES.id() +
            "&from=" + agentStartMs + "&to=" + (centerStartMs - 1) + "&points=5000";
        await(() ->
        {
            final String json = TestHttp.getOrNull(sampledWhileDown);
            return null != json && TestHttp.numbers(json, "sum").size() >= 3;
        }, WAIT, () -> "reports sampled while the center was down: " + TestHttp.getOrNull(sampledWhileDown));
        assertTrue(TestHttp.numbers(TestHttp.getOrNull(sampledWhileDown), "sum").size() <= 5,
            "at most the buffer's 5 newest reports survive");
    }

    @Test
    void shouldServeEveryProcessesValuesInPrometheusFormat()
    {
        final Monitor writer = pipeline.startWriter();
        writer.add(REQUESTS, 41);
        writer.set(MonitorId.DEMO_QUEUE_DEPTH, 7);
        pipeline.startAgent(300);

        final String metrics = TestHttp.getOrNull(pipeline.metricsUrl());

        assertNotNull(metrics);
        assertTrue(metrics.contains("# TYPE tern_demo_requests_total counter\n" +
            "tern_demo_requests_total{process=\"writer\",machine=\"test-box\"} 41\n"), metrics);
        assertTrue(metrics.contains("tern_demo_queue_depth{process=\"writer\",machine=\"test-box\"} 7\n"), metrics);
        assertTrue(metrics.contains("tern_agent_samples_total{process=\"tern-agent\",machine=\"test-box\"}"), metrics);
        assertEquals(404, TestHttp.status("http://127.0.0.1:" + pipeline.agent().httpPort() + "/other"));
    }
}
