package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;

import java.io.File;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The small process {@code tern demo} starts: it pretends to serve requests and moves the DEMO_* IDs, so that the
 * agent, the center and its page have something to show. Requests count in waves, the queue depth swings between
 * about 10 and 90 once a minute (crossing the demo's alarm rule), the latency maximum is raised with setMax and reset
 * every second.
 * <p>
 * Usage: {@code DemoProcess [--dir MONITOR_DIR] [--name NAME] [--exit-with-parent]}.
 */
public final class DemoProcess
{
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private DemoProcess()
    {
    }

    /**
     * @param args {@code --dir DIR}, {@code --name NAME}, {@code --exit-with-parent}.
     */
    public static void main(final String[] args)
    {
        final Monitor.Context ctx = new Monitor.Context().name("tern-demo");
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--dir":
                    ctx.dir(new File(args[++i]));
                    break;
                case "--name":
                    ctx.name(args[++i]);
                    break;
                case "--exit-with-parent":
                    exitWithParent = true;
                    break;
                default:
                    System.err.println("usage: DemoProcess [--dir MONITOR_DIR] [--name NAME] [--exit-with-parent]");
                    System.exit(2);
            }
        }

        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread main = Thread.currentThread();
        try (Monitor monitor = Monitor.launch(ctx))
        {
            monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH, MonitorId.DEMO_LATENCY_MAX_US);
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                running.set(false);
                LockSupport.unpark(main);
                try
                {
                    main.join(5_000);
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
            }));
            if (exitWithParent)
            {
                ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
            }
            System.out.println("tern demo process: writing " + monitor.file() + "; ready");
            System.out.flush();
            run(monitor, running);
        }
    }

    private static void run(final Monitor monitor, final AtomicBoolean running)
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long startMs = System.currentTimeMillis();
        long nextResetMs = startMs + 1000;
        while (running.get())
        {
            final long nowMs = System.currentTimeMillis();
            final double seconds = (nowMs - startMs) / 1000.0;
            final double wave = 1 + 0.5 * Math.sin(2 * Math.PI * seconds / 45);
            monitor.add(MonitorId.DEMO_REQUESTS, Math.round(wave * random.nextInt(10, 30)));
            monitor.set(MonitorId.DEMO_QUEUE_DEPTH,
                Math.round(50 + 40 * Math.sin(2 * Math.PI * seconds / 60) + random.nextInt(-3, 4)));
            if (nowMs >= nextResetMs)
            {
                monitor.set(MonitorId.DEMO_LATENCY_MAX_US, 0);
                nextResetMs += 1000;
            }
            monitor.setMax(MonitorId.DEMO_LATENCY_MAX_US, Math.round(200 + random.nextExponential() * 150 * wave));
            LockSupport.parkNanos(TICK_NS);
        }
    }
}
