package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorFileLayout;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.tools.TernTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class CountersCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final List<Monitor> monitors = new ArrayList<>();
    private final StringWriter err = new StringWriter();
    private int exitCode;

    @AfterEach
    void tearDown()
    {
        monitors.forEach(Monitor::close);
    }

    private Monitor writer(final String name)
    {
        final Monitor monitor = Monitor.launch(new Monitor.Context().dir(dir).name(name).host("box-3")
            .heartbeatIntervalMs(0));
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH);
        monitors.add(monitor);
        return monitor;
    }

    private String run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = TernTool.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final List<String> all = new ArrayList<>(List.of("counters", "--dir", dir.getPath()));
        all.addAll(List.of(args));
        exitCode = commandLine.execute(all.toArray(new String[0]));
        return out.toString();
    }

    @Test
    void shouldListEveryFileWithItsProcessAndCounters()
    {
        final Monitor monitor = writer("engine");
        monitor.add(MonitorId.DEMO_REQUESTS, 12345);
        monitor.set(MonitorId.DEMO_QUEUE_DEPTH, 17);

        final String out = run();

        assertEquals(0, exitCode, err.toString());
        assertTrue(out.contains("== engine  pid " + ProcessHandle.current().pid() + "  host box-3  ALIVE"), out);
        assertTrue(out.matches("(?s).*\\n\\s+1000  demo\\.requests\\s+counter\\s+requests\\s+12345\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+1002  demo\\.queue_depth\\s+gauge\\s+items\\s+17\\n.*"), out);
    }

    @Test
    void shouldFilterByIdNameAndProcess()
    {
        writer("engine").add(MonitorId.DEMO_REQUESTS, 1);
        writer("gateway").add(MonitorId.DEMO_REQUESTS, 2);

        final String byId = run("--id", "1002,1");
        assertFalse(byId.contains("demo.requests"), byId);
        assertTrue(byId.contains("demo.queue_depth") && byId.contains("monitor.unknown_id"), byId);

        final String byName = run("--name", "demo\\.req.*");
        assertTrue(byName.contains("demo.requests") && !byName.contains("demo.queue_depth"), byName);

        final String byProcess = run("--process", "gate.*");
        assertTrue(byProcess.contains("== gateway") && !byProcess.contains("== engine"), byProcess);
    }

    @Test
    void shouldMarkTheCountersOfAStoppedProcess()
    {
        final Monitor monitor = writer("stopped");
        monitor.add(MonitorId.DEMO_REQUESTS, 9);
        monitor.close();

        final String out = run("--id", "1000");

        assertTrue(out.contains("== stopped") && out.contains("CLOSED") && out.contains("(values as last written)"), out);
        assertTrue(out.matches("(?s).*demo\\.requests\\s+counter\\s+requests\\s+9  CLOSED\\n.*"), out);
    }

    @Test
    void shouldPrintTheErrorLogWithErrors()
    {
        writer("svc").errorHandler().onError(new IllegalStateException("disk on fire"));

        final String out = run("--errors");

        assertTrue(out.contains("error x1, first ") && out.contains("disk on fire"), out);
        assertTrue(out.contains("1 distinct error(s)"), out);
    }

    @Test
    void shouldSkipAFileThatIsNotAMonitorFile() throws Exception
    {
        Files.write(new File(dir, "junk" + MonitorFileLayout.FILE_SUFFIX).toPath(), new byte[100]);
        writer("svc");

        final String out = run();

        assertEquals(0, exitCode);
        assertTrue(out.contains("== junk.tern-monitor: not a valid Tern monitor file (skipped)"), out);
        assertTrue(out.contains("== svc"), out);
    }

    @Test
    void shouldSayWhenThereAreNoMonitorFiles()
    {
        assertTrue(run().contains("No monitor files"));
    }

    @Test
    void shouldRejectABadRegexWithUsageExitCode()
    {
        run("--name", "(");

        assertEquals(2, exitCode);
        assertTrue(err.toString().contains("bad regex"), err.toString());
    }
}
