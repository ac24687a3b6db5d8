package dev.tern.tools.monitor.center;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(10)
class MonitorCenterContextTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private static String errorOf(final MonitorCenter.Context ctx)
    {
        return assertThrows(IllegalArgumentException.class, ctx::conclude).getMessage();
    }

    @Test
    void shouldFillDefaultsFromTheConfiguration()
    {
        final MonitorCenter.Context ctx = new MonitorCenter.Context().conclude();

        assertEquals(CenterConfiguration.LISTEN_DEFAULT, ctx.listenEndpoint());
        assertEquals(CenterConfiguration.HTTP_PORT_DEFAULT, ctx.httpPort());
        assertEquals(CenterConfiguration.RETENTION_HOURS_DEFAULT, ctx.retentionHours());
        assertTrue(ctx.rules().isEmpty());
        assertTrue(ctx.aeronDir().endsWith("-center"));
    }

    @Test
    void shouldReadTheRulesFile() throws Exception
    {
        final File rules = new File(dir, "rules.txt");
        Files.writeString(rules.toPath(), "rule a id=1 above 5\n");

        assertEquals("a", new MonitorCenter.Context().rulesFile(rules).conclude().rules().get(0).name());
    }

    @Test
    void shouldNameTheBadFieldOrRulesLine() throws Exception
    {
        assertTrue(errorOf(new MonitorCenter.Context().listenEndpoint(":1")).startsWith("listen=:1"));
        assertTrue(errorOf(new MonitorCenter.Context().httpPort(-1)).startsWith("httpPort=-1"));
        assertTrue(errorOf(new MonitorCenter.Context().retentionHours(0)).startsWith("retentionHours=0"));
        assertTrue(errorOf(new MonitorCenter.Context().finePoints(1)).startsWith("finePoints=1"));
        assertTrue(errorOf(new MonitorCenter.Context().minuteBuckets(1)).startsWith("minuteBuckets=1"));
        assertTrue(errorOf(new MonitorCenter.Context().webhook("ftp://x/y")).startsWith("webhook=ftp://x/y"));
        assertTrue(errorOf(new MonitorCenter.Context().webhook("http://")).startsWith("webhook=http://"));
        final File rules = new File(dir, "bad.rules");
        Files.writeString(rules.toPath(), "rule a id=1 sideways 5\n");
        assertTrue(errorOf(new MonitorCenter.Context().rulesFile(rules)).startsWith(rules + ":1: unknown condition"));
    }
}
