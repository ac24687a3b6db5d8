package dev.tern.tools.monitor;

import dev.tern.tools.TernTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every monitoring command has --help, and bad settings end with a message naming the setting and exit code 2,
 * before anything starts.
 */
@Timeout(30)
class CommandsTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = TernTool.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void shouldPrintHelpForEveryMonitoringCommand()
    {
        for (final String command : new String[]{ "counters", "agent", "monitor", "demo" })
        {
            assertEquals(0, run(command, "--help"), command);
            assertTrue(out.toString().contains("Usage: tern " + command), out.toString());
        }
        assertTrue(out.toString().contains("rule NAME id=ID"), "monitor --help documents the rules format");
    }

    @Test
    void shouldRejectABadAgentSettingNamingIt()
    {
        assertEquals(2, run("agent", "--interval", "1", "--http-port", "-1"));
        assertTrue(err.toString().contains("intervalMs=1 must be in [10, 3600000]"), err.toString());
    }

    @Test
    void shouldRejectABadCenterEndpointNamingIt()
    {
        assertEquals(2, run("monitor", "--listen", "nowhere", "--http-port", "0"));
        assertTrue(err.toString().contains("listen=nowhere must be host:port"), err.toString());
    }
}
