package dev.tern.engine;

import dev.tern.engine.test.TestEngines;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;

/**
 * Isolation with every service in one process: send-media throwing, then stalled, never stops send-text and sync
 * (their own rings, stage threads, KV and sequence clients), and send-media recovers.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static File dir;

    private Engine engine;
    private EmbeddedDriver clientDriver;
    private IsolationChecks checks;

    @BeforeAll
    void start()
    {
        final File stallFile = new File(dir, "stall");
        final Engine.Context ctx = TestEngines.context(dir);
        ctx.messages().testHooks(true).stallFile(stallFile);
        engine = Engine.launch(ctx);
        clientDriver = TestMediaDriver.launch();
        checks = new IsolationChecks(clientDriver, engine.gatewayEndpoint(), stallFile, "one");
        checks.quiet();
    }

    @AfterAll
    void stop()
    {
        CloseHelper.quietCloseAll(checks, clientDriver, engine);
    }

    @Test
    void shouldKeepSendTextAndSyncServingWhileSendMediaThrows()
    {
        checks.mediaThrowing();
    }

    @Test
    void shouldKeepSendTextAndSyncServingWhileSendMediaStalls() throws IOException, InterruptedException
    {
        checks.mediaStalled();
    }
}
