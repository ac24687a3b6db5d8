package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.transport.TransportConfiguration;

/**
 * System properties of {@code tern agent}, and their defaults. The only place they are read; command-line options
 * override them.
 */
public final class AgentConfiguration
{
    /** How often the agent samples the monitor files, ms. */
    public static final String INTERVAL_MS_PROP_NAME = "tern.agent.interval.ms";
    public static final int INTERVAL_MS_DEFAULT = 1000;

    /** The monitoring center's Aeron UDP endpoint, host:port. */
    public static final String CENTER_PROP_NAME = "tern.agent.center";
    public static final String CENTER_DEFAULT = "127.0.0.1:40300";

    /** The machine name reported; default the host name. */
    public static final String MACHINE_PROP_NAME = "tern.agent.machine";

    /** Address the /metrics HTTP server binds. */
    public static final String HTTP_HOST_PROP_NAME = "tern.agent.http.host";
    public static final String HTTP_HOST_DEFAULT = "0.0.0.0";

    /** Port of the /metrics HTTP server; 0 picks a free port, -1 turns it off. */
    public static final String HTTP_PORT_PROP_NAME = "tern.agent.http.port";
    public static final int HTTP_PORT_DEFAULT = 9464;

    /** Most reports (and declaration batches) held while the center is away; the oldest is dropped first. */
    public static final String BUFFER_REPORTS_PROP_NAME = "tern.agent.buffer.reports";
    public static final int BUFFER_REPORTS_DEFAULT = 300;

    /** Most bytes held while the center is away, rounded up to a power of two. */
    public static final String BUFFER_BYTES_PROP_NAME = "tern.agent.buffer.bytes";
    public static final int BUFFER_BYTES_DEFAULT = 64 * 1024 * 1024;

    /** How often every known ID is declared again, so that a restarted center relearns names, ms. */
    public static final String DECLARE_INTERVAL_MS_PROP_NAME = "tern.agent.declare.interval.ms";
    public static final long DECLARE_INTERVAL_MS_DEFAULT = 30_000;

    /** Aeron directory of the agent's embedded media driver. */
    public static final String AERON_DIR_PROP_NAME = "tern.agent.aeron.dir";

    /**
     * Longest park of the agent's duty cycle when idle, ms. The agent's work happens on interval boundaries, so it
     * backs off further than the 1 ms of Tern's default idle strategy: fewer wake-ups, less CPU.
     */
    public static final String IDLE_MAX_PARK_MS_PROP_NAME = "tern.agent.idle.max.park.ms";
    public static final int IDLE_MAX_PARK_MS_DEFAULT = 10;

    /** Name of the agent's own monitor file. */
    public static final String MONITOR_NAME_PROP_NAME = "tern.agent.monitor.name";
    public static final String MONITOR_NAME_DEFAULT = "tern-agent";

    private AgentConfiguration()
    {
    }

    public static int intervalMs()
    {
        return Integer.getInteger(INTERVAL_MS_PROP_NAME, INTERVAL_MS_DEFAULT);
    }

    public static String center()
    {
        return System.getProperty(CENTER_PROP_NAME, CENTER_DEFAULT);
    }

    public static String machine()
    {
        final String machine = System.getProperty(MACHINE_PROP_NAME);
        return null != machine && !machine.isEmpty() ? machine : MonitorConfiguration.hostName();
    }

    public static String httpHost()
    {
        return System.getProperty(HTTP_HOST_PROP_NAME, HTTP_HOST_DEFAULT);
    }

    public static int httpPort()
    {
        return Integer.getInteger(HTTP_PORT_PROP_NAME, HTTP_PORT_DEFAULT);
    }

    public static int bufferReports()
    {
        return Integer.getInteger(BUFFER_REPORTS_PROP_NAME, BUFFER_REPORTS_DEFAULT);
    }

    public static int bufferBytes()
    {
        return Integer.getInteger(BUFFER_BYTES_PROP_NAME, BUFFER_BYTES_DEFAULT);
    }

    public static long declareIntervalMs()
    {
        return Long.getLong(DECLARE_INTERVAL_MS_PROP_NAME, DECLARE_INTERVAL_MS_DEFAULT);
    }

    /** @return the agent's Aeron directory: its own, so that a center on the same machine keeps its driver. */
    public static String aeronDir()
    {
        return System.getProperty(AERON_DIR_PROP_NAME, TransportConfiguration.aeronDir() + "-agent");
    }

    public static int idleMaxParkMs()
    {
        return Integer.getInteger(IDLE_MAX_PARK_MS_PROP_NAME, IDLE_MAX_PARK_MS_DEFAULT);
    }

    public static String monitorName()
    {
        return System.getProperty(MONITOR_NAME_PROP_NAME, MONITOR_NAME_DEFAULT);
    }
}
