package dev.tern.tools.chat;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernClient;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code tern chat}: a person's client of the gateway, over Aeron UDP with the Java client library. One command
 * per run, or an interactive prompt when no command is given.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
        "Talk to a Tern gateway: register, log in, manage contacts. Runs one COMMAND, or reads commands from",
        "the prompt (stdin) when none is given. With --user, logs in first.",
        "",
        "Commands:",
        "  register NAME PASSWORD     create an account (name: 3-32 letters and digits; password: 8+ bytes)",
        "  login NAME PASSWORD [DEV]  log in (DEV: this device's number, default 0)",
        "  logout                     end the session",
        "  contacts                   list your contacts",
        "  add UIN                    add a user to your contacts",
        "  remove UIN                 remove a user from your contacts",
        "  help, quit",
        "",
        "Examples:",
        "  bin/tern chat register alice 'correct horse'",
        "  TERN_PASSWORD='correct horse' bin/tern chat --user alice add 10001",
        "  bin/tern chat --gateway 127.0.0.1:7070",
        "",
        "Exit codes: 0 done, 1 refused or gateway unreachable, 2 bad usage."
    })
public final class ChatCommand implements Callable<Integer>
{
    private static final List<String> COMMANDS =
        List.of("register", "login", "logout", "contacts", "add", "remove", "help", "quit", "exit");

    @Spec
    private CommandSpec spec;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7070",
        description = "Where the gateway takes requests. Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--user", paramLabel = "NAME", description = "Log in as this account before the command.")
    private String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
        description = "Password of --user. Default: the TERN_PASSWORD environment variable (keeps it out of ps).")
    private String password;

    @Option(names = "--device", paramLabel = "N", defaultValue = "0", description = "Device number of --user's login.")
    private long device;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000",
        description = "How long to wait for the gateway, ms. Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its arguments (see above).")
    private List<String> command = new ArrayList<>();

    private PrintWriter out;
    private PrintWriter err;

    public Integer call()
    {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (!command.isEmpty())
        {
            final String usage = usageError(command);
            if (null != usage)
            {
                err.println("tern chat: " + usage);
                return 2;
            }
        }
        final String secret = null != password ? password : System.getenv("TERN_PASSWORD");
        if (null != user && null == secret)
        {
            err.println("tern chat: --user needs --password or the TERN_PASSWORD environment variable");
            return 2;
        }

        EmbeddedDriver driver = null;
        TernBlockingClient client = null;
        try
        {
            driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
                .aeronDir(CommonContext.generateRandomDirName())
                .termLength(64 * 1024));
            client = TernBlockingClient.connect(new TernClient.Context()
                .aeron(driver.aeron())
                .gatewayEndpoint(gateway)
                .requestTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeoutMs)), Duration.ofMillis(timeoutMs));
            if (null != user && 0 != run(client, List.of("login", user, secret, Long.toString(device))))
            {
                return 1;
            }
            return command.isEmpty() ? prompt(client) : run(client, command);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("tern chat: " + ex.getMessage());
            return 2;
        }
        catch (final IllegalStateException ex)
        {
            err.println("tern chat: " + ex.getMessage() + " (gateway " + gateway + ")");
            return 1;
        }
        finally
        {
            CloseHelper.quietCloseAll(client, driver);
        }
    }

    private int prompt(final TernBlockingClient client)
    {
        out.println("Connected to " + gateway + ". Type help for the commands, quit to leave.");
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true)
        {
            out.print("tern> ");
            out.flush();
            final String line;
            try
            {
                line = in.readLine();
            }
            catch (final IOException ex)
            {
                err.println("tern chat: " + ex.getMessage());
                return 1;
            }
            if (null == line)
            {
                return 0;
            }
            final List<String> words = Arrays.stream(line.trim().split("\\s+")).filter(w -> !w.isEmpty())
                .collect(Collectors.toList());
            if (words.isEmpty())
            {
                continue;
            }
            if (words.get(0).equals("quit") || words.get(0).equals("exit"))
            {
                return 0;
            }
            final String usage = usageError(words);
            if (null != usage)
            {
                out.println(usage);
                continue;
            }
            run(client, words);
        }
    }

    /**
     * @return why the words are not a command, or null when they are.
     */
    static String usageError(final List<String> words)
    {
        final String name = words.get(0);
        if (!COMMANDS.contains(name))
        {
            return "unknown command '" + name + "'; commands: " + String.join(", ", COMMANDS);
        }
        final int arguments = words.size() - 1;
        switch (name)
        {
            case "register":
                return arguments == 2 ? null : "usage: register NAME PASSWORD";
            case "login":
                return arguments == 2 || arguments == 3 && isNumber(words.get(3)) ? null :
                    "usage: login NAME PASSWORD [DEVICE]";
            case "add":
            case "remove":
                return arguments == 1 && isNumber(words.get(1)) ? null : "usage: " + name + " UIN";
            default:
                return arguments == 0 ? null : "usage: " + name;
        }
    }

    private static boolean isNumber(final String word)
    {
        return word.matches("\\d{1,10}");
    }

    private int run(final TernBlockingClient client, final List<String> words)
    {
        switch (words.get(0))
        {
            case "register":
            {
                final TernBlockingClient.Registered registered = client.register(words.get(1), words.get(2));
                return report(registered.code(), "registered " + words.get(1) + " as uin " + registered.uin());
            }
            case "login":
            {
                final long deviceId = words.size() > 3 ? Long.parseLong(words.get(3)) : 0;
                final TernBlockingClient.LoggedIn loggedIn = client.login(words.get(1), words.get(2), deviceId);
                return report(loggedIn.code(), "logged in as " + words.get(1) + " (uin " + loggedIn.uin() +
                    ", device " + deviceId + "), session valid for " +
                    TimeUnit.MILLISECONDS.toMinutes(loggedIn.expiresInMs()) + " min");
            }
            case "logout":
                return report(client.logout().code(), "logged out");
            case "contacts":
            {
                final TernBlockingClient.Contacts contacts = client.listAllContacts();
                return report(contacts.code(), "contacts (" + contacts.uins().size() + "): " +
                    contacts.uins().stream().map(String::valueOf).collect(Collectors.joining(" ")));
            }
            case "add":
                return report(client.addContact(Long.parseLong(words.get(1))).code(), "added " + words.get(1));
            case "remove":
                return report(client.removeContact(Long.parseLong(words.get(1))).code(), "removed " + words.get(1));
            default:
                spec.commandLine().usage(out);
                return 0;
        }
    }

    private int report(final ErrorCode code, final String success)
    {
        if (ErrorCode.OK == code)
        {
            out.println(success);
            out.flush();
            return 0;
        }
        err.println("refused: " + code + describe(code));
        err.flush();
        return 1;
    }

    private static String describe(final ErrorCode code)
    {
        switch (code)
        {
            case UNAUTHENTICATED:
                return " (log in first)";
            case SESSION_EXPIRED:
                return " (the session expired: log in again)";
            case NAME_TAKEN:
                return " (choose another name)";
            case BAD_CREDENTIALS:
                return " (unknown name or wrong password)";
            case BAD_REQUEST:
                return " (names are 3-32 letters and digits, passwords 8-128 bytes)";
            case TIMEOUT:
                return " (no answer from the gateway)";
            default:
                return "";
        }
    }
}
