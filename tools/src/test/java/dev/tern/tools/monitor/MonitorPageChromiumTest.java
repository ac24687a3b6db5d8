package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tern.transport.test.Await.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The center's page in a real headless Chromium (Debian's {@code /usr/bin/chromium}; {@code .ci/run} installs it):
 * it must draw Chart.js curves for a moving counter. The page marks what it drew on its body
 * ({@code data-points}, {@code data-rendered-id}); the screenshot is kept as
 * {@code target/test-artifacts/monitor-page.png}.
 */
@Timeout(120)
class MonitorPageChromiumTest
{
    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File ARTIFACTS = new File("target/test-artifacts");
    private static final Pattern BODY = Pattern.compile("<body[^>]*data-points=\"(\\d+)\"[^>]*data-rendered-id=\"(\\d*)\"");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private MonitorPipeline pipeline;

    @BeforeEach
    void setUp()
    {
        assertTrue(CHROMIUM.canExecute(), "Chromium is required for this test and is missing at " + CHROMIUM +
            ": install Debian's chromium package (apt-get install -y chromium); .ci/run installs it in CI");
        pipeline = new MonitorPipeline(dir);
    }

    @AfterEach
    void tearDown()
    {
        pipeline.close();
    }

    @Test
    void shouldDrawTheCurvesOfAMovingCounter() throws Exception
    {
        final Monitor writer = pipeline.startWriter();
        pipeline.startCenter(null, "rule busy id=1000 above 5");
        pipeline.startAgent(300);
        final long[] added = {0};
        await(() ->
        {
            writer.add(MonitorId.DEMO_REQUESTS, ++added[0] % 7);
            return pipeline.sumOf(MonitorId.DEMO_REQUESTS.id()).size() >= 40;
        }, Duration.ofSeconds(30), () -> "40 samples at the center");

        final String url = pipeline.centerUrl() + "/?id=1000&range=20000";
        final String dom = chromium(List.of("--dump-dom", url));

        final Matcher body = BODY.matcher(dom);
        assertTrue(body.find(), "the page's body in:\n" + dom);
        assertEquals("1000", body.group(2), "the page rendered the requested ID");
        // a 20 s range shows every 100 ms sample, drawn twice: the machine's curve and the sum
        assertTrue(Integer.parseInt(body.group(1)) >= 60, "points drawn by Chart.js: " + body.group(1));
        assertTrue(dom.contains("<title>Tern monitor: demo.requests ("), dom);
        assertTrue(dom.contains("<canvas id=\"chart\""), dom);

        Files.createDirectories(ARTIFACTS.toPath());
        final File screenshot = new File(ARTIFACTS, "monitor-page.png").getAbsoluteFile();
        Files.deleteIfExists(screenshot.toPath());
        chromium(List.of("--screenshot=" + screenshot.getPath(), "--window-size=1280,900", url));
        assertTrue(screenshot.length() > 20_000, "a screenshot with a chart in it: " + screenshot.length() + " bytes");
        final byte[] header = new byte[8];
        System.arraycopy(Files.readAllBytes(screenshot.toPath()), 0, header, 0, 8);
        assertEquals("\u0089PNG", new String(header, 0, 4, StandardCharsets.ISO_8859_1));
    }

    /** Run headless Chromium with a fresh profile; return its stdout. */
    private String chromium(final List<String> args) throws IOException, InterruptedException
    {
        final File profile = Files.createTempDirectory(dir.toPath(), "chromium-profile").toFile();
        final List<String> command = new ArrayList<>(List.of(CHROMIUM.getPath(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile.getPath(),
            "--virtual-time-budget=8000"));
        command.addAll(args);
        final File stdout = new File(dir, "chromium-" + System.nanoTime() + ".out");
        final File stderr = new File(dir, "chromium-" + System.nanoTime() + ".err");
        final Process process = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr).start();
        try
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                fail("chromium did not finish in 60 s; stderr:\n" + Files.readString(stderr.toPath()));
            }
            assertEquals(0, process.exitValue(), () -> "chromium failed; stderr:\n" + readQuietly(stderr));
            return Files.readString(stdout.toPath(), StandardCharsets.UTF_8);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static String readQuietly(final File file)
    {
        try
        {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
