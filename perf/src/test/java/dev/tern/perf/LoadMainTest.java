package dev.tern.perf;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tern load} end to end: a short KV load over real UDP against a 3-replica group it starts in-process.
 */
@Timeout(120)
class LoadMainTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void shouldRunKvLoadAgainstAnInProcessGroupAndReportRequestsWithoutErrors() throws IOException
    {
        final File results = new File(dir, "results");
        final int exit = LoadMain.execute(out, "--in-process-kv", "--mix", "kv-put=1,kv-get=1", "--rate", "1000",
            "--prime", "0.5", "--warmup", "0.5", "--duration", "2", "--keys", "1000", "--out", results.getPath(),
            "--kv-data-dir", new File(dir, "kv").getPath(), "--monitor-dir", new File(dir, "monitor").getPath());

        final String text = output.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        final Matcher all = Pattern.compile("^1000/s\\s+all\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE)
            .matcher(Files.readString(new File(results, "summary.txt").toPath()));
        assertTrue(all.find(), text);
        assertEquals("1000.0", all.group(1));
        assertTrue(Long.parseLong(all.group(3)) > 1000, "answered requests: " + all.group(3));
        assertEquals("-", all.group(4), "errors");
        for (final String file : new String[]{ "latency.hlog", "percentiles.png", "report.html" })
        {
            assertTrue(new File(results, file).length() > 0, file);
        }
    }

    @Test
    void shouldRefuseKvWorkloadsWithoutAGroup()
    {
        final String err = usageError("--mix", "kv-get", "--out", dir.getPath());
        assertTrue(err.contains("--in-process-kv"), err);
    }

    @Test
    void shouldRefuseSendWorkloadsWithoutContacts()
    {
        final String err = usageError("--mix", "send-text,sync", "--contacts", "0", "--out", dir.getPath());
        assertTrue(err.contains("send-text sends only to users that added the sender as a contact: it needs " +
            "--contacts >= 1"), err);
    }

    /** Runs a command line that must be refused as bad usage (exit 2), and returns what it printed on stderr. */
    private String usageError(final String... args)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(2, LoadMain.execute(out, args));
        }
        finally
        {
            System.setErr(stderr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldDescribeEveryOptionInItsHelp()
    {
        assertEquals(0, LoadMain.execute(out, "--help"));
        final String help = output.toString(StandardCharsets.UTF_8);
        for (final String option : new String[]{ "--mix", "--rate", "--ramp", "--p99-target-us", "--at",
            "--in-process-kv", "--kv-nodes", "--cluster", "--gateway", "--senders", "--out" })
        {
            assertTrue(help.contains(option), option);
        }
    }
}
