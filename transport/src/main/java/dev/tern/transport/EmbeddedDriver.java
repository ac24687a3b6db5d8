package dev.tern.transport;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.util.Locale;

/**
 * An Aeron media driver inside the Tern process, with a client connected to it. Defaults suit a 2-core machine:
 * one shared driver thread that backs off when idle, sparse term buffers of modest length. For a dedicated server
 * set {@code tern.aeron.threading.mode=dedicated} and {@code tern.idle.strategy=busy}.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron aeron;

    private EmbeddedDriver(final MediaDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * Launch a driver and connect a client to it. Closes what it opened when start-up fails.
     *
     * @param ctx the settings; concluded here.
     * @return the running driver and its client.
     */
    public static EmbeddedDriver launch(final Context ctx)
    {
        ctx.conclude();
        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(ctx.aeronDir)
            .dirDeleteOnStart(ctx.dirDeleteOnStart)
            .dirDeleteOnShutdown(ctx.dirDeleteOnShutdown)
            .threadingMode(ctx.threadingMode)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(ctx.termLength)
            .ipcTermBufferLength(ctx.termLength)
            .mtuLength(ctx.mtu)
            .ipcMtuLength(ctx.mtu)
            .spiesSimulateConnection(true)
            .errorHandler(ctx.errorHandler);
        if (ctx.threadingMode == ThreadingMode.SHARED)
        {
            driverCtx.sharedIdleStrategy(IdleStrategies.of(ctx.idleStrategy));
        }
        else
        {
            driverCtx.conductorIdleStrategy(IdleStrategies.of("backoff"))
                .senderIdleStrategy(IdleStrategies.of(ctx.idleStrategy))
                .receiverIdleStrategy(IdleStrategies.of(ctx.idleStrategy))
                .sharedNetworkIdleStrategy(IdleStrategies.of(ctx.idleStrategy));
        }

        MediaDriver driver = null;
        try
        {
            driver = MediaDriver.launch(driverCtx);
            final Aeron aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .errorHandler(ctx.errorHandler));
            return new EmbeddedDriver(driver, aeron);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /** @return the client connected to this driver. */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @return the driver's directory, for clients of other processes on this machine. */
    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    /**
     * Settings of an {@link EmbeddedDriver}, defaults from {@link TransportConfiguration}.
     */
    public static final class Context
    {
        private String aeronDir = TransportConfiguration.aeronDir();
        private String idleStrategy = TransportConfiguration.idleStrategy();
        private String threadingModeName = TransportConfiguration.threadingMode();
        private ThreadingMode threadingMode;
        private int termLength = TransportConfiguration.termLength();
        private int mtu = TransportConfiguration.mtu();
        private boolean dirDeleteOnStart = true;
        private boolean dirDeleteOnShutdown = true;
        private ErrorHandler errorHandler = Throwable::printStackTrace;

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            try
            {
                threadingMode = ThreadingMode.valueOf(threadingModeName.toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("threadingMode=" + threadingModeName +
                    " must be shared, shared_network or dedicated", ex);
            }
            if (termLength < 64 * 1024 || Integer.bitCount(termLength) != 1)
            {
                throw new IllegalArgumentException("termLength=" + termLength + " must be a power of two >= 65536");
            }
            if (mtu < 1408 || mtu > 65504 || mtu % 32 != 0)
            {
                throw new IllegalArgumentException("mtu=" + mtu + " must be a multiple of 32 in [1408, 65504]");
            }
            IdleStrategies.of(idleStrategy);
            if (null == aeronDir || aeronDir.isEmpty())
            {
                throw new IllegalArgumentException("aeronDir must be set");
            }
            return this;
        }

        public Context aeronDir(final String aeronDir)
        {
            this.aeronDir = aeronDir;
            return this;
        }

        public String aeronDir()
        {
            return aeronDir;
        }

        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        public Context threadingMode(final String threadingMode)
        {
            this.threadingModeName = threadingMode;
            return this;
        }

        public Context termLength(final int termLength)
        {
            this.termLength = termLength;
            return this;
        }

        public Context mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        public Context dirDeleteOnStart(final boolean dirDeleteOnStart)
        {
            this.dirDeleteOnStart = dirDeleteOnStart;
            return this;
        }

        public Context dirDeleteOnShutdown(final boolean dirDeleteOnShutdown)
        {
            this.dirDeleteOnShutdown = dirDeleteOnShutdown;
            return this;
        }

        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }
    }
}
