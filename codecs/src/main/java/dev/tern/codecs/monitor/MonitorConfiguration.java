package dev.tern.codecs.monitor;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;

/**
 * System properties of the monitor file, and their defaults. The only place they are read.
 */
public final class MonitorConfiguration
{
    /** Directory where every Tern process keeps its monitor files; agents and {@code tern counters} scan it. */
    public static final String DIR_PROP_NAME = "tern.monitor.dir";

    /** Counters a file can hold. */
    public static final String MAX_COUNTERS_PROP_NAME = "tern.monitor.max.counters";
    public static final int MAX_COUNTERS_DEFAULT = 4096;

    /** Bytes of the error log region. */
    public static final String ERROR_LOG_LENGTH_PROP_NAME = "tern.monitor.error.log.length";
    public static final int ERROR_LOG_LENGTH_DEFAULT = 1024 * 1024;

    /** How often the writer stamps its heartbeat, ms; 0 turns the heartbeat thread off. */
    public static final String HEARTBEAT_INTERVAL_MS_PROP_NAME = "tern.monitor.heartbeat.interval.ms";
    public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 1000;

    /** The largest monitor ID a file accepts; IDs index a plain array on the hot path. */
    public static final int MAX_MONITOR_ID = (1 << 22) - 1;

    private MonitorConfiguration()
    {
    }

    /**
     * The well-known monitor directory: {@code tern.monitor.dir}, else {@code /dev/shm/tern-<user>/monitor} where
     * /dev/shm exists (memory, like Aeron's directory), else {@code <java.io.tmpdir>/tern-<user>/monitor}.
     *
     * @return the directory; it may not exist yet.
     */
    public static File dir()
    {
        final String dir = System.getProperty(DIR_PROP_NAME);
        if (null != dir && !dir.isEmpty())
        {
            return new File(dir);
        }

        final String user = System.getProperty("user.name", "default");
        final File shm = new File("/dev/shm");
        final File base = shm.isDirectory() && shm.canWrite() ? shm : new File(System.getProperty("java.io.tmpdir"));
        return new File(new File(base, "tern-" + user), "monitor");
    }

    /**
     * The name this machine reports under: the local host name, else {@code $HOSTNAME}, else {@code localhost}.
     *
     * @return the machine's name.
     */
    public static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            final String env = System.getenv("HOSTNAME");
            return null != env && !env.isEmpty() ? env : "localhost";
        }
    }

    public static int maxCounters()
    {
        return Integer.getInteger(MAX_COUNTERS_PROP_NAME, MAX_COUNTERS_DEFAULT);
    }

    public static int errorLogLength()
    {
        return Integer.getInteger(ERROR_LOG_LENGTH_PROP_NAME, ERROR_LOG_LENGTH_DEFAULT);
    }

    public static long heartbeatIntervalMs()
    {
        return Long.getLong(HEARTBEAT_INTERVAL_MS_PROP_NAME, HEARTBEAT_INTERVAL_MS_DEFAULT);
    }
}
