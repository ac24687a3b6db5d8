package dev.tern.transport.test;

import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;

/**
 * A media driver for one test: its own random directory (deleted on start and shutdown), small term buffers,
 * shared threading that backs off.
 */
public final class TestMediaDriver
{
    public static final int TEST_TERM_LENGTH = 256 * 1024;

    private TestMediaDriver()
    {
    }

    public static EmbeddedDriver launch()
    {
        return EmbeddedDriver.launch(context());
    }

    public static EmbeddedDriver.Context context()
    {
        return new EmbeddedDriver.Context()
            .aeronDir(CommonContext.generateRandomDirName())
            .threadingMode("shared")
            .idleStrategy("backoff")
            .termLength(TEST_TERM_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
    }
}
