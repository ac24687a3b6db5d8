package dev.tern.tools.monitor.center;

import dev.tern.transport.TransportConfiguration;

import java.io.File;

/**
 * System properties of {@code tern monitor}, and their defaults. The only place they are read; command-line options
 * override them.
 */
public final class CenterConfiguration
{
    /** Aeron UDP endpoint the center listens on for agents' reports, host:port. */
    public static final String LISTEN_PROP_NAME = "tern.center.listen";
    public static final String LISTEN_DEFAULT = "0.0.0.0:40300";

    /** Address the page's HTTP server binds. */
    public static final String HTTP_HOST_PROP_NAME = "tern.center.http.host";
    public static final String HTTP_HOST_DEFAULT = "0.0.0.0";

    /** Port of the page's HTTP server; 0 picks a free port. */
    public static final String HTTP_PORT_PROP_NAME = "tern.center.http.port";
    public static final int HTTP_PORT_DEFAULT = 8470;

    /** Directory of the stored history and the alarm log. */
    public static final String DATA_DIR_PROP_NAME = "tern.center.data.dir";

    /** Alarm rules file; none by default. */
    public static final String RULES_PROP_NAME = "tern.center.rules";

    /** URL alarm events are POSTed to as JSON; none by default. */
    public static final String WEBHOOK_PROP_NAME = "tern.center.webhook";

    /** Hours of history kept on disk; 192 (8 days) lets rules compare with a week ago. */
    public static final String RETENTION_HOURS_PROP_NAME = "tern.center.retention.hours";
    public static final int RETENTION_HOURS_DEFAULT = 192;

    /** Points per series kept in memory at full resolution (3600: an hour at 1 s). */
    public static final String FINE_POINTS_PROP_NAME = "tern.center.fine.points";
    public static final int FINE_POINTS_DEFAULT = 3600;

    /** One-minute buckets per series kept in memory (11520: 8 days). */
    public static final String MINUTE_BUCKETS_PROP_NAME = "tern.center.minute.buckets";
    public static final int MINUTE_BUCKETS_DEFAULT = 11_520;

    /** Aeron directory of the center's embedded media driver. */
    public static final String AERON_DIR_PROP_NAME = "tern.center.aeron.dir";

    /** Name of the center's own monitor file. */
    public static final String MONITOR_NAME_PROP_NAME = "tern.center.monitor.name";
    public static final String MONITOR_NAME_DEFAULT = "tern-monitor-center";

    private CenterConfiguration()
    {
    }

    public static String listen()
    {
        return System.getProperty(LISTEN_PROP_NAME, LISTEN_DEFAULT);
    }

    public static String httpHost()
    {
        return System.getProperty(HTTP_HOST_PROP_NAME, HTTP_HOST_DEFAULT);
    }

    public static int httpPort()
    {
        return Integer.getInteger(HTTP_PORT_PROP_NAME, HTTP_PORT_DEFAULT);
    }

    /** @return the data directory: {@code tern.center.data.dir}, else {@code ~/.tern/monitor-center}. */
    public static File dataDir()
    {
        final String dir = System.getProperty(DATA_DIR_PROP_NAME);
        if (null != dir && !dir.isEmpty())
        {
            return new File(dir);
        }
        return new File(new File(System.getProperty("user.home"), ".tern"), "monitor-center");
    }

    /** @return the rules file, or null. */
    public static File rules()
    {
        final String rules = System.getProperty(RULES_PROP_NAME);
        return null != rules && !rules.isEmpty() ? new File(rules) : null;
    }

    /** @return the webhook URL, or null. */
    public static String webhook()
    {
        final String webhook = System.getProperty(WEBHOOK_PROP_NAME);
        return null != webhook && !webhook.isEmpty() ? webhook : null;
    }

    public static int retentionHours()
    {
        return Integer.getInteger(RETENTION_HOURS_PROP_NAME, RETENTION_HOURS_DEFAULT);
    }

    public static int finePoints()
    {
        return Integer.getInteger(FINE_POINTS_PROP_NAME, FINE_POINTS_DEFAULT);
    }

    public static int minuteBuckets()
    {
        return Integer.getInteger(MINUTE_BUCKETS_PROP_NAME, MINUTE_BUCKETS_DEFAULT);
    }

    /** @return the center's Aeron directory: its own, so that an agent on the same machine keeps its driver. */
    public static String aeronDir()
    {
        return System.getProperty(AERON_DIR_PROP_NAME, TransportConfiguration.aeronDir() + "-center");
    }

    public static String monitorName()
    {
        return System.getProperty(MONITOR_NAME_PROP_NAME, MONITOR_NAME_DEFAULT);
    }
}
