package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorFileLayout;
import dev.tern.codecs.monitor.MonitorId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class FileSamplerTest
{
    private static final int REQUESTS = MonitorId.DEMO_REQUESTS.id();
    private static final int DEPTH = MonitorId.DEMO_QUEUE_DEPTH.id();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final List<Monitor> monitors = new ArrayList<>();
    private final IdTable table = new IdTable();
    private FileSampler sampler;
    private long nowMs = 1_000_000;

    @BeforeEach
    void setUp()
    {
        sampler = new FileSampler(dir, 1000, table, errors::add);
        sample();
    }

    @AfterEach
    void tearDown()
    {
        sampler.close();
        monitors.forEach(Monitor::close);
    }

    private Monitor writer(final String name)
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(dir).name(name).heartbeatIntervalMs(0));
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH);
        monitors.add(monitor);
        return monitor;
    }

    private Map<Integer, Long> sample()
    {
        nowMs += 1000;
        sampler.sample(nowMs);
        final Map<Integer, Long> values = new HashMap<>();
        for (int i = 0; i < table.sampledCount(); i++)
        {
            final int slot = table.sampledSlot(i);
            values.put(table.id(slot), table.value(slot));
        }
        return values;
    }

    @Test
    void shouldStartANewFileFromZeroSoItsFirstDeltaIsItsValue()
    {
        writer("svc").add(REQUESTS, 7);

        assertEquals(7L, sample().get(REQUESTS));
    }

    @Test
    void shouldReportCountersAsDeltasAndGaugesAsValues()
    {
        final Monitor monitor = writer("svc");
        monitor.add(REQUESTS, 10);
        monitor.set(DEPTH, 4);
        sample();
        monitor.add(REQUESTS, 3);

        final Map<Integer, Long> values = sample();

        assertEquals(3L, values.get(REQUESTS));
        assertEquals(4L, values.get(DEPTH));
    }

    @Test
    void shouldTakeTheLastDeltaOfAReplacedFileThenStartItsSuccessorFromZero()
    {
        final Monitor first = writer("svc");
        first.add(REQUESTS, 10);
        assertEquals(10L, sample().get(REQUESTS));
        first.add(REQUESTS, 5);
        first.close();
        final Monitor second = writer("svc");
        second.add(REQUESTS, 3);

        assertEquals(8L, sample().get(REQUESTS), "last delta 5 of the old file plus first value 3 of the new one");
        assertEquals(1, sampler.filesReplaced());
        second.add(REQUESTS, 1);
        assertEquals(1L, sample().get(REQUESTS));
    }

    @Test
    void shouldTakeAFileReplacedByASmallerOneAsReplacedNotTruncated()
    {
        final Monitor first = writer("svc");
        first.add(REQUESTS, 10);
        sample();
        first.close();
        final Monitor smaller = Monitor.launch(new Monitor.Context().dir(dir).name("svc").maxCounters(64)
            .heartbeatIntervalMs(0));
        monitors.add(smaller);
        smaller.declare(MonitorId.DEMO_REQUESTS);
        smaller.add(REQUESTS, 4);

        assertEquals(4L, sample().get(REQUESTS));
        assertEquals(1, sampler.filesReplaced());
        assertEquals(0, sampler.invalidFiles());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void shouldStopSummingTheGaugesOfAClosedFile()
    {
        final Monitor stopping = writer("stopping");
        final Monitor running = writer("running");
        stopping.set(DEPTH, 100);
        running.set(DEPTH, 1);
        assertEquals(101L, sample().get(DEPTH));
        stopping.close();

        assertEquals(1L, sample().get(DEPTH));
    }

    @Test
    void shouldSumAnIdAcrossTheMachinesFiles()
    {
        writer("a").add(REQUESTS, 2);
        writer("b").add(REQUESTS, 5);

        assertEquals(7L, sample().get(REQUESTS));
    }

    @Test
    void shouldBaselineFilesFoundByTheFirstScanSoAnAgentRestartReportsNoLifetimeTotals()
    {
        final Monitor old = Monitor.launch(new Monitor.Context().dir(dir).name("old").heartbeatIntervalMs(0)
            .epochClock(() -> 1));
        monitors.add(old);
        old.declare(MonitorId.DEMO_REQUESTS);
        old.add(REQUESTS, 1_000_000);
        final FileSampler restarted = new FileSampler(dir, 1000, table, errors::add);
        try
        {
            restarted.sample(nowMs += 1000);
            assertEquals(0L, valueOf(REQUESTS));
            old.add(REQUESTS, 4);
            restarted.sample(nowMs += 1000);
            assertEquals(4L, valueOf(REQUESTS));
        }
        finally
        {
            restarted.close();
        }
    }

    @Test
    void shouldSkipAndCountAFileThatIsNotAMonitorFile() throws Exception
    {
        Files.write(new File(dir, "junk" + MonitorFileLayout.FILE_SUFFIX).toPath(), new byte[10_000]);
        writer("svc").add(REQUESTS, 2);

        assertEquals(2L, sample().get(REQUESTS));
        assertEquals(1, sampler.invalidFiles());
    }

    @Test
    void shouldSkipATruncatedFileUntilItIsReplaced() throws Exception
    {
        final Monitor monitor = writer("svc");
        monitor.add(REQUESTS, 2);
        sample();
        try (RandomAccessFile file = new RandomAccessFile(monitor.file(), "rw"))
        {
            file.setLength(MonitorFileLayout.HEADER_LENGTH * 2);
        }

        final Map<Integer, Long> values = sample();

        assertFalse(values.containsKey(REQUESTS));
        assertEquals(1, sampler.invalidFiles());
        assertEquals(1, errors.size(), errors.toString());
        monitor.close();
        writer("svc").add(REQUESTS, 6);
        assertEquals(6L, sample().get(REQUESTS));
        assertEquals(0, sampler.invalidFiles());
    }

    private long valueOf(final int id)
    {
        for (int i = 0; i < table.sampledCount(); i++)
        {
            final int slot = table.sampledSlot(i);
            if (table.id(slot) == id)
            {
                return table.value(slot);
            }
        }
        throw new AssertionError("id " + id + " not in the sample");
    }
}
