package dev.tern.codecs.monitor;

import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class MonitorTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
    }

    private Monitor launch(final String name)
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(dir).name(name).heartbeatIntervalMs(0));
        closeables.add(monitor);
        return monitor;
    }

    private MonitorFileReader read(final Monitor monitor)
    {
        final MonitorFileReader reader = MonitorFileReader.open(monitor.file());
        assertNotNull(reader);
        closeables.add(0, reader);
        return reader;
    }

    private static Map<Integer, Long> valuesOf(final MonitorFileReader reader)
    {
        final Map<Integer, Long> values = new HashMap<>();
        reader.forEach((id, kind, unit, name, value) -> values.put(id, value));
        return values;
    }

    @Test
    void shouldShowDeclaredIdsWithZeroValues()
    {
        final Monitor monitor = launch("svc");
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH);

        final Map<Integer, Long> values = valuesOf(read(monitor));

        assertEquals(0L, values.get(MonitorId.DEMO_REQUESTS.id()));
        assertEquals(0L, values.get(MonitorId.DEMO_QUEUE_DEPTH.id()));
    }

    @Test
    void shouldAddSetAndSetMaxVisibleToAReader()
    {
        final Monitor monitor = launch("svc");
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH, MonitorId.DEMO_LATENCY_MAX_US);
        final MonitorFileReader reader = read(monitor);

        monitor.add(MonitorId.DEMO_REQUESTS, 5);
        monitor.add(MonitorId.DEMO_REQUESTS, -2);
        monitor.set(MonitorId.DEMO_QUEUE_DEPTH, 42);
        monitor.setMax(MonitorId.DEMO_LATENCY_MAX_US, 7);
        monitor.setMax(MonitorId.DEMO_LATENCY_MAX_US, 3);

        final Map<Integer, Long> values = valuesOf(reader);
        assertEquals(3L, values.get(MonitorId.DEMO_REQUESTS.id()));
        assertEquals(42L, values.get(MonitorId.DEMO_QUEUE_DEPTH.id()));
        assertEquals(7L, values.get(MonitorId.DEMO_LATENCY_MAX_US.id()));
    }

    @Test
    void shouldCountCallsNamingAnUndeclaredIdAndChangeNothingElse()
    {
        final Monitor monitor = launch("svc");
        monitor.declare(MonitorId.DEMO_REQUESTS);

        monitor.add(999_999, 10);
        monitor.set(-1, 10);
        monitor.setMax(Integer.MAX_VALUE, 10);

        final Map<Integer, Long> values = valuesOf(read(monitor));
        assertEquals(3L, values.get(MonitorId.MONITOR_UNKNOWN_ID.id()));
        assertEquals(0L, values.get(MonitorId.DEMO_REQUESTS.id()));
        assertFalse(values.containsKey(999_999));
    }

    @Test
    void shouldKeepEveryAddFromConcurrentThreads() throws Exception
    {
        final Monitor monitor = launch("svc");
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_LATENCY_MAX_US);
        final int threads = 4;
        final int perThread = 100_000;
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int base = t * perThread;
            final Thread worker = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                for (int i = 0; i < perThread; i++)
                {
                    monitor.add(MonitorId.DEMO_REQUESTS, 1);
                    monitor.setMax(MonitorId.DEMO_LATENCY_MAX_US, base + i);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }

        assertEquals((long)threads * perThread, monitor.get(MonitorId.DEMO_REQUESTS.id()));
        assertEquals((long)threads * perThread - 1, monitor.get(MonitorId.DEMO_LATENCY_MAX_US.id()));
    }

    @Test
    void shouldDescribeTheWriterInTheHeader()
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(dir).name("engine").host("box-1")
            .heartbeatIntervalMs(0));
        closeables.add(monitor);
        monitor.heartbeat(12345L);

        final MonitorFileReader reader = read(monitor);

        assertEquals("engine", reader.name());
        assertEquals("box-1", reader.host());
        assertEquals(ProcessHandle.current().pid(), reader.pid());
        assertEquals(12345L, reader.heartbeatMs());
        assertEquals(MonitorFileReader.Liveness.ALIVE, reader.liveness());
        assertEquals(new File(dir, "engine" + MonitorFileLayout.FILE_SUFFIX), reader.file());
    }

    @Test
    void shouldMarkTheFileClosedOnCleanClose() throws Exception
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(dir).name("svc").heartbeatIntervalMs(0));
        monitor.declare(MonitorId.DEMO_REQUESTS);
        monitor.add(MonitorId.DEMO_REQUESTS, 9);
        monitor.close();

        try (MonitorFileReader reader = MonitorFileReader.open(monitor.file()))
        {
            assertNotNull(reader);
            assertEquals(MonitorFileReader.Liveness.CLOSED, reader.liveness());
            assertEquals(9L, valuesOf(reader).get(MonitorId.DEMO_REQUESTS.id()));
        }
    }

    @Test
    void shouldReplaceTheFileOfAStoppedPredecessorAndLetReadersNoticeIt()
    {
        final Monitor first = Monitor.launch(new Monitor.Context().dir(dir).name("svc").heartbeatIntervalMs(0));
        final MonitorFileReader reader = read(first);
        first.close();

        final Monitor second = launch("svc");

        assertTrue(reader.isReplaced());
        assertEquals(MonitorFileReader.Liveness.ALIVE, read(second).liveness());
    }

    @Test
    void shouldRecordDistinctErrorsAndCountThem()
    {
        final Monitor monitor = launch("svc");
        final IllegalStateException error = new IllegalStateException("boom");

        monitor.errorHandler().onError(error);
        monitor.errorHandler().onError(error);

        final MonitorFileReader reader = read(monitor);
        final List<String> errors = new ArrayList<>();
        final int distinct = reader.readErrors((count, first, last, text) -> errors.add(count + " " + text));
        assertEquals(1, distinct);
        assertTrue(errors.get(0).startsWith("2 "), errors.get(0));
        assertTrue(errors.get(0).contains("boom"));
        assertEquals(2L, valuesOf(reader).get(MonitorId.MONITOR_ERRORS.id()));
    }

    @Test
    void shouldDeclareSyntheticIds()
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(dir).name("synthetic").maxCounters(2048)
            .heartbeatIntervalMs(0));
        closeables.add(monitor);
        for (int i = 0; i < 1000; i++)
        {
            monitor.declare(100_000 + i, "synthetic." + i, MonitorKind.GAUGE, "units");
            monitor.set(100_000 + i, i);
        }

        final Map<Integer, Long> values = valuesOf(read(monitor));
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i, values.get(100_000 + i));
        }
    }

    @Test
    void shouldRejectIdsOutOfRange()
    {
        final Monitor monitor = launch("svc");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> monitor.declare(-5, "bad", MonitorKind.COUNTER, "x"));
        assertTrue(ex.getMessage().contains("id=-5"));
    }

    @Test
    void shouldNameTheBadFieldInContextErrors()
    {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new Monitor.Context().dir(dir).name("bad name!").conclude()).getMessage().startsWith("name="));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new Monitor.Context().dir(dir).name("ok").maxCounters(3).conclude()).getMessage()
            .startsWith("maxCounters="));
    }

    @Test
    void shouldNotOpenAFileThatIsNotAMonitorFile() throws Exception
    {
        final File junk = new File(dir, "junk" + MonitorFileLayout.FILE_SUFFIX);
        java.nio.file.Files.write(junk.toPath(), new byte[8192]);

        assertNull(MonitorFileReader.open(junk));
    }

    @Test
    void shouldHaveUniqueIdsAndNamesInTheRegistry()
    {
        final Map<Integer, MonitorId> byId = new HashMap<>();
        final Map<String, MonitorId> byName = new HashMap<>();
        for (final MonitorId id : MonitorId.values())
        {
            assertNull(byId.put(id.id(), id), "duplicate id " + id.id());
            assertNull(byName.put(id.metricName(), id), "duplicate name " + id.metricName());
            assertTrue(id.metricName().matches("[a-z0-9_.]+"), id.metricName());
        }
    }
}
