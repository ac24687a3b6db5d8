package dev.tern.perf.load;

import dev.tern.engine.Engine;
import dev.tern.perf.LoadMain;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tern load}'s message workloads end to end: a short run of send-text, send-media and sync over real UDP
 * against a whole engine in this process.
 */
@Timeout(120)
class MessageWorkloadsTest
{
    // the minimum the account service accepts: registering and logging in the users stays quick
    private static final int PBKDF2_ITERATIONS = 1000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    private Engine engine;

    @BeforeEach
    void startEngine()
    {
        final List<String> endpoints = KvTarget.freeEndpoints(4);
        final Engine.Context ctx = new Engine.Context()
            .parts("all")
            .name("load-test")
            .dataDir(new File(dir, "data"))
            .monitorDir(new File(dir, "monitor"))
            .driver(new EmbeddedDriver.Context()
                .aeronDir(CommonContext.generateRandomDirName())
                .threadingMode("shared")
                .idleStrategy("backoff")
                .termLength(256 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true))
            .kvReplicas(endpoints.subList(1, 4))
            .serviceRingSize(256)
            .serviceMaxInFlight(128);
        ctx.gateway().endpoint(endpoints.get(0));
        ctx.account().pbkdf2Iterations(PBKDF2_ITERATIONS);
        engine = Engine.launch(ctx);
    }

    @AfterEach
    void stopEngine()
    {
        CloseHelper.close(engine);
    }

    @Test
    void shouldSendTextsAndMediaAndSyncWithoutErrors() throws IOException
    {
        final File results = new File(dir, "results");
        final int exit = LoadMain.execute(out, "--gateway", engine.gatewayEndpoint(),
            "--mix", "send-text=2,send-media=1,sync=2", "--users", "10", "--contacts", "3", "--rate", "200",
            "--prime", "0", "--warmup", "0.5", "--duration", "1.5", "--timeout-ms", "3000",
            "--out", results.getPath());

        final String text = output.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        final String summary = Files.readString(new File(results, "summary.txt").toPath());
        for (final String workload : new String[]{ "send-text", "send-media", "sync", "all" })
        {
            final Matcher row = Pattern.compile("^200/s\\s+" + workload + "\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)",
                Pattern.MULTILINE).matcher(summary);
            assertTrue(row.find(), workload + ": " + text);
            assertTrue(Long.parseLong(row.group(3)) > 0, workload + " answered nothing: " + summary);
            assertEquals("-", row.group(4), workload + " errors: " + summary);
        }
    }
}
