package dev.tern.transport;

import io.aeron.CommonContext;

/**
 * System properties of Tern's Aeron plumbing, and their defaults. The only place they are read.
 */
public final class TransportConfiguration
{
    /** Aeron directory of the embedded media driver. Default: Aeron's default with a {@code -tern} suffix. */
    public static final String AERON_DIR_PROP_NAME = "tern.aeron.dir";

    /** shared (default: one thread for the whole driver), shared_network, or dedicated (three threads). */
    public static final String THREADING_MODE_PROP_NAME = "tern.aeron.threading.mode";
    public static final String THREADING_MODE_DEFAULT = "shared";

    /** Idle strategy of the driver's and Tern's own agents; see {@link IdleStrategies}. */
    public static final String IDLE_STRATEGY_PROP_NAME = "tern.idle.strategy";

    /** Term buffer length of publications, bytes (power of two, 64 KiB to 1 GiB). */
    public static final String TERM_LENGTH_PROP_NAME = "tern.aeron.term.length";
    public static final int TERM_LENGTH_DEFAULT = 4 * 1024 * 1024;

    /** MTU of UDP publications, bytes. */
    public static final String MTU_PROP_NAME = "tern.aeron.mtu";
    public static final int MTU_DEFAULT = 8192;

    private TransportConfiguration()
    {
    }

    public static String aeronDir()
    {
        return System.getProperty(AERON_DIR_PROP_NAME, CommonContext.getAeronDirectoryName() + "-tern");
    }

    public static String threadingMode()
    {
        return System.getProperty(THREADING_MODE_PROP_NAME, THREADING_MODE_DEFAULT);
    }

    public static String idleStrategy()
    {
        return System.getProperty(IDLE_STRATEGY_PROP_NAME, IdleStrategies.DEFAULT);
    }

    public static int termLength()
    {
        return Integer.getInteger(TERM_LENGTH_PROP_NAME, TERM_LENGTH_DEFAULT);
    }

    public static int mtu()
    {
        return Integer.getInteger(MTU_PROP_NAME, MTU_DEFAULT);
    }
}
