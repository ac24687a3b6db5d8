package dev.tern.tools.chat;

import dev.tern.tools.TernTool;
import dev.tern.transport.test.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line of {@code tern chat}; its conversations with a real gateway are tested with the engine.
 */
@Timeout(60)
class ChatCommandTest
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
    void shouldDescribeEveryCommandInItsHelp()
    {
        assertEquals(0, run("chat", "--help"));
        for (final String command : List.of("register", "login", "logout", "contacts", "add", "remove"))
        {
            assertTrue(out.toString().contains(command), command);
        }
    }

    @Test
    void shouldRefuseAnUnknownCommandAsBadUsage()
    {
        assertEquals(2, run("chat", "befriend", "bob"));
        assertTrue(err.toString().contains("unknown command 'befriend'"), err.toString());
    }

    @Test
    void shouldRefuseACommandWithWrongArguments()
    {
        assertEquals("usage: add UIN", ChatCommand.usageError(List.of("add", "bob")));
        assertEquals("usage: register NAME PASSWORD", ChatCommand.usageError(List.of("register", "alice")));
        assertNull(ChatCommand.usageError(List.of("login", "alice", "secret", "2")));
        assertNull(ChatCommand.usageError(List.of("contacts")));
    }

    @Test
    void shouldFailClearlyWhenNoGatewayAnswers()
    {
        assertEquals(1, run("chat", "--gateway", FreePorts.endpoint(), "--timeout", "1000", "contacts"));
        assertTrue(err.toString().contains("did not answer"), err.toString());
    }
}
