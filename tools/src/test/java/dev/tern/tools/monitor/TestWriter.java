package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A writer process for tests: declares the DEMO_* IDs and keeps updating them until killed.
 * Usage: {@code TestWriter MONITOR_DIR NAME}.
 */
public final class TestWriter
{
    private TestWriter()
    {
    }

    public static void main(final String[] args)
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(new File(args[0])).name(args[1]));
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH, MonitorId.DEMO_LATENCY_MAX_US);
        System.out.println("writer ready pid=" + ProcessHandle.current().pid());
        System.out.flush();
        for (long i = 0; ; i++)
        {
            monitor.add(MonitorId.DEMO_REQUESTS, 1);
            monitor.set(MonitorId.DEMO_QUEUE_DEPTH, i % 100);
            monitor.setMax(MonitorId.DEMO_LATENCY_MAX_US, i % 1000);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
