package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.IdValueReportDecoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderDecoder;
import dev.tern.tools.monitor.MonitorProtocol;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import io.aeron.Publication;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent's duty cycle stepped by the test with its own clock; no center listens, so reports stay buffered and
 * can be read back.
 */
@Timeout(30)
class SamplingAgentTest
{
    private static final long INTERVAL_MS = 1000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final ReportBuffer buffer = new ReportBuffer(100, 1 << 20);
    private EmbeddedDriver driver;
    private Publication publication;
    private Monitor monitor;
    private SamplingAgent agent;

    @BeforeEach
    void setUp()
    {
        driver = TestMediaDriver.launch();
        publication = driver.aeron().addPublication(MonitorProtocol.channel(FreePorts.endpoint()),
            MonitorProtocol.REPORT_STREAM_ID);
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("tern-agent").heartbeatIntervalMs(0));
        monitor.declare(MonitorId.AGENT_SAMPLES);
        final IdTable table = new IdTable();
        final ReportPublisher publisher = new ReportPublisher(publication);
        agent = new SamplingAgent(INTERVAL_MS, 60_000, "box", clock,
            new FileSampler(dir, INTERVAL_MS, table, monitor.errorHandler()), table,
            new ReportEncoder(1, "box", publisher.maxMessageLength()), buffer, publisher, monitor);
        clock.update(10_300);
        agent.onStart();
    }

    @AfterEach
    void tearDown()
    {
        agent.onClose();
        CloseHelper.closeAll(monitor, publication, driver);
    }

    private List<long[]> bufferedReports()
    {
        final List<long[]> reports = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final IdValueReportDecoder report = new IdValueReportDecoder();
        while (buffer.hasMessage())
        {
            header.wrap(buffer.buffer(), buffer.messageOffset());
            if (header.templateId() == IdValueReportDecoder.TEMPLATE_ID)
            {
                report.wrap(buffer.buffer(), buffer.messageOffset() + MessageHeaderDecoder.ENCODED_LENGTH,
                    header.blockLength(), header.version());
                reports.add(new long[]{ report.sampleTimeMs(), report.intervalMs() });
            }
            buffer.pop();
        }
        return reports;
    }

    @Test
    void shouldSampleOnIntervalBoundariesStampedWithTheBoundary()
    {
        clock.update(10_900);
        agent.doWork();
        assertEquals(0, monitor.get(MonitorId.AGENT_SAMPLES.id()));
        clock.update(11_004);
        agent.doWork();
        clock.update(12_010);
        agent.doWork();

        assertEquals(2, monitor.get(MonitorId.AGENT_SAMPLES.id()));
        final List<long[]> reports = bufferedReports();
        assertEquals(2, reports.size());
        assertArrayEquals(new long[]{ 11_000, 700 }, reports.get(0), "the first covers the time since the start");
        assertArrayEquals(new long[]{ 12_000, 1000 }, reports.get(1));
    }

    @Test
    void shouldKeepSamplingWhenTheWallClockStepsBack()
    {
        clock.update(11_000);
        agent.doWork();
        clock.update(5_500);
        agent.doWork();
        clock.update(6_000);
        agent.doWork();

        assertEquals(3, monitor.get(MonitorId.AGENT_SAMPLES.id()));
        final List<long[]> reports = bufferedReports();
        assertArrayEquals(new long[]{ 5_000, 1000 }, reports.get(1), "a positive interval after the step back");
        assertArrayEquals(new long[]{ 6_000, 1000 }, reports.get(2));
    }

    @Test
    void shouldTakeOneSampleAfterAPauseLongerThanTheInterval()
    {
        clock.update(11_000);
        agent.doWork();
        clock.update(15_500);
        agent.doWork();

        final List<long[]> reports = bufferedReports();
        assertEquals(2, reports.size());
        assertArrayEquals(new long[]{ 15_000, 4000 }, reports.get(1), "one report covering the whole pause");
    }
}
