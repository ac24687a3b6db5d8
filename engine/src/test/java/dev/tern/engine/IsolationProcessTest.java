package dev.tern.engine;

import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.engine.gateway.GatewayConfiguration;
import dev.tern.engine.service.account.AccountConfiguration;
import dev.tern.engine.service.message.MessagesConfiguration;
import dev.tern.engine.test.TestEngines;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.TransportConfiguration;
import dev.tern.transport.test.ChildJvm;
import dev.tern.transport.test.FreePorts;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Isolation with send-media in a process of its own ({@code tern run --services send-media}) and everything else
 * in another, from one config file: send-media throwing, then stalled, never stops send-text and sync, and
 * send-media recovers.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationProcessTest
{
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static File dir;

    private ChildJvm front;
    private ChildJvm media;
    private EmbeddedDriver clientDriver;
    private IsolationChecks checks;

    @BeforeAll
    void start() throws IOException
    {
        final String gateway = FreePorts.endpoint();
        final File stallFile = new File(dir, "stall");
        final File config = new File(dir, "tern.properties");
        Files.writeString(config.toPath(), String.join("\n",
            GatewayConfiguration.ENDPOINT_PROP_NAME + "=" + gateway,
            EngineConfiguration.KV_REPLICAS_PROP_NAME + "=" + FreePorts.endpoint() + "," + FreePorts.endpoint() + "," +
                FreePorts.endpoint(),
            EngineConfiguration.GATEWAY_REPLY_ENDPOINT_PROP_NAME + "=" + FreePorts.endpoint(),
            EngineConfiguration.SEQ_ENDPOINT_PROP_NAME + "=" + FreePorts.endpoint(),
            EngineConfiguration.SERVICE_ENDPOINT_PROP_NAME_PREFIX + "send-media.endpoint=" + FreePorts.endpoint(),
            EngineConfiguration.DATA_DIR_PROP_NAME + "=" + new File(dir, "data").getPath(),
            MessagesConfiguration.STORE_WINDOW_MS_PROP_NAME + "=" + TestEngines.TEST_STORE_WINDOW_MS,
            MessagesConfiguration.GAP_TIMEOUT_MS_PROP_NAME + "=" + TestEngines.TEST_GAP_TIMEOUT_MS,
            MessagesConfiguration.TEST_HOOKS_PROP_NAME + "=true",
            MessagesConfiguration.TEST_STALL_FILE_PROP_NAME + "=" + stallFile.getPath(),
            ""), StandardCharsets.UTF_8);

        front = child("front").arg("--config", config.getPath(), "--services",
            "kv,gateway,seq,account,contacts,send-text,sync").start();
        front.awaitOutput("clients connect to " + gateway, START);
        media = child("media").arg("--config", config.getPath(), "--services", "send-media").start();
        media.awaitOutput("running: send-media", START);
        clientDriver = TestMediaDriver.launch();
        checks = new IsolationChecks(clientDriver, gateway, stallFile, "split");
        checks.quiet();
    }

    private ChildJvm.Builder child(final String name)
    {
        return ChildJvm.builder(EngineMain.class)
            .property(TransportConfiguration.AERON_DIR_PROP_NAME, new File(dir, "aeron-" + name).getPath())
            .property(TransportConfiguration.TERM_LENGTH_PROP_NAME, "262144")
            .property(MonitorConfiguration.DIR_PROP_NAME, new File(dir, "monitor").getPath())
            .property(AccountConfiguration.PBKDF2_ITERATIONS_PROP_NAME,
                Integer.toString(TestEngines.TEST_PBKDF2_ITERATIONS))
            .output(new File(dir, name + ".log"));
    }

    @AfterAll
    void stop()
    {
        CloseHelper.quietCloseAll(checks, clientDriver, media, front);
    }

    @Test
    void shouldKeepSendTextAndSyncServingWhileSendMediaThrowsInItsOwnProcess()
    {
        checks.mediaThrowing();
    }

    @Test
    void shouldKeepSendTextAndSyncServingWhileSendMediaStallsInItsOwnProcess() throws IOException, InterruptedException
    {
        checks.mediaStalled();
    }
}
