package dev.tern.tools.chat;

import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.tools.TernTool;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.test.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
        for (final String command : List.of("register", "login", "logout", "contacts", "add", "remove", "block",
            "unblock", "send", "voice", "image", "video", "sync", "watch"))
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
    void shouldCheckTheArgumentsOfTheMessageCommands()
    {
        assertNull(ChatCommand.usageError(List.of("send", "10001", "hello", "there")));
        assertEquals("usage: send UIN TEXT...", ChatCommand.usageError(List.of("send", "10001")));
        assertNull(ChatCommand.usageError(List.of("voice", "10001", "clip.opus", "1500")));
        assertEquals("usage: voice UIN FILE MS", ChatCommand.usageError(List.of("voice", "10001", "clip.opus")));
        assertNull(ChatCommand.usageError(List.of("image", "10001", "blob:1", "image/png", "2048")));
        assertNull(ChatCommand.usageError(List.of("video", "10001", "blob:2", "video/mp4", "2048", "3000", "t.jpg")));
        assertEquals("usage: video UIN REF TYPE SIZE MS [THUMB]",
            ChatCommand.usageError(List.of("video", "10001", "blob:2", "video/mp4", "2048")));
        assertNull(ChatCommand.usageError(List.of("sync")));
        assertNull(ChatCommand.usageError(List.of("sync", "42")));
        assertNull(ChatCommand.usageError(List.of("watch", "42", "10")));
        assertEquals("usage: watch [KEY] [SECONDS]", ChatCommand.usageError(List.of("watch", "soon")));
        assertEquals("usage: block UIN", ChatCommand.usageError(List.of("block")));
    }

    @Test
    void shouldDescribeSyncedMessagesForPeople()
    {
        final long bob = 10_001;
        final Message text = new Message(7, MessageKind.TEXT, bob, 10_000, 1, 0, 0, 0,
            "hi".getBytes(StandardCharsets.UTF_8), "", "");
        final Message video = new Message(8, MessageKind.VIDEO, 10_000, bob, 2, 0, 4096, 2500, new byte[3],
            "blob:v", "video/mp4");

        assertEquals("#7 1970-01-01T00:00:00Z 10001 -> you: hi", ChatCommand.describe(text, 10_000));
        assertEquals("#8 1970-01-01T00:00:00Z you -> 10001: [video video/mp4 4096 bytes blob:v 2.5 s, thumbnail " +
            "3 bytes]", ChatCommand.describe(video, 10_000));
    }

    @Test
    void shouldFailClearlyWhenNoGatewayAnswers()
    {
        assertEquals(1, run("chat", "--gateway", FreePorts.endpoint(), "--timeout", "1000", "contacts"));
        assertTrue(err.toString().contains("did not answer"), err.toString());
    }
}
