package dev.tern.engine.test;

import dev.tern.engine.Engine;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;

import java.io.File;
import java.util.List;

/**
 * Engines for tests: everything on 127.0.0.1 with free ports, a driver of its own, small settings.
 */
public final class TestEngines
{
    /** PBKDF2 iterations in tests: the minimum the account service accepts. */
    public static final int TEST_PBKDF2_ITERATIONS = 1000;
    /** The store window in tests, ms: long enough for a stalled send the tests release. */
    public static final long TEST_STORE_WINDOW_MS = 2000;
    /** The gap timeout in tests, ms: the store window plus the KV timeout (2 s) plus half a second. */
    public static final long TEST_GAP_TIMEOUT_MS = 4500;

    private TestEngines()
    {
    }

    /**
     * @param dir the test's directory: data and monitor files go under it.
     * @return the settings of a whole engine in one process.
     */
    public static Engine.Context context(final File dir)
    {
        final Engine.Context ctx = new Engine.Context()
            .parts("all")
            .name("engine-test")
            .dataDir(new File(dir, "data"))
            .monitorDir(new File(dir, "monitor"))
            .driver(TestMediaDriver.context())
            .kvReplicas(List.of(FreePorts.endpoint(), FreePorts.endpoint(), FreePorts.endpoint()))
            .serviceRingSize(256)
            .serviceMaxInFlight(128);
        ctx.gateway().endpoint(FreePorts.endpoint());
        ctx.account().pbkdf2Iterations(TEST_PBKDF2_ITERATIONS);
        ctx.messages().storeWindowMs(TEST_STORE_WINDOW_MS).gapTimeoutMs(TEST_GAP_TIMEOUT_MS);
        return ctx;
    }
}
