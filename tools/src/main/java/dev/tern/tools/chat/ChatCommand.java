package dev.tern.tools.chat;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.client.TernBlockingClient.Notification;
import dev.tern.transport.client.TernBlockingClient.Sent;
import dev.tern.transport.client.TernBlockingClient.Synced;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
        "Talk to a Tern gateway: register, log in, manage contacts, send and sync messages. Runs one COMMAND, or",
        "reads commands from the prompt (stdin) when none is given. With --user, logs in first.",
        "",
        "Commands:",
        "  register NAME PASSWORD     create an account (name: 3-32 letters and digits; password: 8+ bytes)",
        "  login NAME PASSWORD [DEV]  log in (DEV: this device's number, default 0)",
        "  logout                     end the session",
        "  contacts                   list your contacts",
        "  add UIN                    add a user to your contacts (they message you only once you added them)",
        "  remove UIN                 remove a user from your contacts",
        "  block UIN, unblock UIN     refuse (or take again) messages from a user",
        "  send UIN TEXT...           send text",
        "  voice UIN FILE MS          send a short voice clip (FILE: at most 4000 bytes, MS: its length)",
        "  image UIN REF TYPE SIZE [THUMB]     send an image by reference (REF: blob id or URL, TYPE: e.g. " +
            "image/jpeg,",
        "                                      SIZE: bytes, THUMB: a file of at most 2000 bytes)",
        "  video UIN REF TYPE SIZE MS [THUMB]  send a video by reference",
        "  sync [KEY]                 print your messages after KEY (default: the key of this session, at first 0)",
        "  watch [KEY] [SECONDS]      sync, then print new messages as notifications come (until Ctrl-C, or SECONDS)",
        "  help, quit",
        "",
        "A send that gets no answer is retried with the same message id, so it is stored once.",
        "",
        "Examples:",
        "  bin/tern chat register alice 'correct horse'",
        "  TERN_PASSWORD='correct horse' bin/tern chat --user alice add 10001",
        "  TERN_PASSWORD='correct horse' bin/tern chat --user alice send 10001 hello bob",
        "  TERN_PASSWORD='battery staple' bin/tern chat --user bob --device 2 watch",
        "  bin/tern chat --gateway 127.0.0.1:7070",
        "",
        "Exit codes: 0 done, 1 refused or gateway unreachable, 2 bad usage."
    })
public final class ChatCommand implements Callable<Integer>
{
    private static final List<String> COMMANDS = List.of("register", "login", "logout", "contacts", "add", "remove",
        "block", "unblock", "send", "voice", "image", "video", "sync", "watch", "help", "quit", "exit");
    private static final int SEND_ATTEMPTS = 3;
    private static final int SYNC_BATCH = 100;
    private static final long WATCH_RESYNC_MS = 30_000;

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
    private final SecureRandom random = new SecureRandom();
    private long syncKey;

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
            case "block":
            case "unblock":
                return arguments == 1 && isNumber(words.get(1)) ? null : "usage: " + name + " UIN";
            case "send":
                return arguments >= 2 && isNumber(words.get(1)) ? null : "usage: send UIN TEXT...";
            case "voice":
                return arguments == 3 && isNumber(words.get(1)) && isNumber(words.get(3)) ? null :
                    "usage: voice UIN FILE MS";
            case "image":
                return (arguments == 4 || arguments == 5) && isNumber(words.get(1)) && isNumber(words.get(4)) ? null :
                    "usage: image UIN REF TYPE SIZE [THUMB]";
            case "video":
                return (arguments == 5 || arguments == 6) && isNumber(words.get(1)) && isNumber(words.get(4)) &&
                    isNumber(words.get(5)) ? null : "usage: video UIN REF TYPE SIZE MS [THUMB]";
            case "sync":
                return arguments == 0 || arguments == 1 && isNumber(words.get(1)) ? null : "usage: sync [KEY]";
            case "watch":
                return arguments <= 2 && words.stream().skip(1).allMatch(ChatCommand::isNumber) ? null :
                    "usage: watch [KEY] [SECONDS]";
            default:
                return arguments == 0 ? null : "usage: " + name;
        }
    }

    private static boolean isNumber(final String word)
    {
        return word.matches("\\d{1,18}");
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
            case "block":
                return report(client.block(Long.parseLong(words.get(1))).code(), "blocked " + words.get(1));
            case "unblock":
                return report(client.unblock(Long.parseLong(words.get(1))).code(), "unblocked " + words.get(1));
            case "send":
            case "voice":
            case "image":
            case "video":
                return send(client, words);
            case "sync":
                return sync(client, words.size() > 1 ? Long.parseLong(words.get(1)) : syncKey);
            case "watch":
                return watch(client, words.size() > 1 ? Long.parseLong(words.get(1)) : syncKey,
                    words.size() > 2 ? Long.parseLong(words.get(2)) : 0);
            default:
                spec.commandLine().usage(out);
                return 0;
        }
    }

    private int send(final TernBlockingClient client, final List<String> words)
    {
        final long to = Long.parseLong(words.get(1));
        final long clientMessageId = random.nextLong() & Long.MAX_VALUE;
        final byte[] payload;
        try
        {
            switch (words.get(0))
            {
                case "voice":
                    payload = Files.readAllBytes(Path.of(words.get(2)));
                    break;
                case "image":
                    payload = words.size() > 5 ? Files.readAllBytes(Path.of(words.get(5))) : new byte[0];
                    break;
                case "video":
                    payload = words.size() > 6 ? Files.readAllBytes(Path.of(words.get(6))) : new byte[0];
                    break;
                default:
                    payload = String.join(" ", words.subList(2, words.size())).getBytes(StandardCharsets.UTF_8);
                    break;
            }
        }
        catch (final IOException ex)
        {
            err.println("tern chat: cannot read " + ex.getMessage());
            return 2;
        }
        Sent sent = null;
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++)
        {
            sent = sendOnce(client, words, to, clientMessageId, payload);
            if (ErrorCode.TIMEOUT != sent.code() && ErrorCode.UNAVAILABLE != sent.code())
            {
                break;
            }
        }
        return report(sent.code(), words.get(0) + " to " + to + ": sequence " + sent.recipientSeq() +
            " in their timeline, " + sent.senderSeq() + " in yours (message id " + clientMessageId + ")");
    }

    private static Sent sendOnce(final TernBlockingClient client, final List<String> words, final long to,
        final long clientMessageId, final byte[] payload)
    {
        switch (words.get(0))
        {
            case "voice":
                return client.sendVoice(to, clientMessageId, Long.parseLong(words.get(3)), payload);
            case "image":
                return client.sendImage(to, clientMessageId, words.get(2), words.get(3), Long.parseLong(words.get(4)),
                    payload);
            case "video":
                return client.sendVideo(to, clientMessageId, words.get(2), words.get(3), Long.parseLong(words.get(4)),
                    Long.parseLong(words.get(5)), payload);
            default:
                return client.sendText(to, clientMessageId, new String(payload, StandardCharsets.UTF_8));
        }
    }

    private int sync(final TernBlockingClient client, final long fromKey)
    {
        return syncAndPrint(client, fromKey) < 0 ? 1 : 0;
    }

    /**
     * Sync from a key until nothing more can be had now, printing the messages; the session keeps the new key.
     *
     * @return -1 when refused, else when to sync again for messages held back (ms; 0: none held back).
     */
    private long syncAndPrint(final TernBlockingClient client, final long fromKey)
    {
        long key = fromKey;
        while (true)
        {
            final Synced synced = client.sync(key, SYNC_BATCH);
            if (ErrorCode.OK != synced.code())
            {
                report(synced.code(), "");
                return -1;
            }
            for (final Message message : synced.messages())
            {
                out.println(describe(message, client.client().uin()));
            }
            key = synced.syncKey();
            syncKey = key;
            if (!synced.more())
            {
                out.println("sync key: " + key + (synced.retryAfterMs() > 0 ?
                    " (more after " + synced.retryAfterMs() + " ms: a message before them is still being stored)" :
                    ""));
                out.flush();
                return synced.retryAfterMs();
            }
        }
    }

    /**
     * Sync, then sync again at every notification, when held-back messages are due, and now and then anyway
     * (notifications are best effort), printing what comes.
     *
     * @param seconds how long to watch; 0 until the process is stopped.
     */
    private int watch(final TernBlockingClient client, final long fromKey, final long seconds)
    {
        out.println("watching (Ctrl-C to stop)");
        final boolean forever = 0 == seconds;
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long retryAfterMs = syncAndPrint(client, fromKey);
        while (retryAfterMs >= 0)
        {
            final long nextSync = System.nanoTime() +
                TimeUnit.MILLISECONDS.toNanos(retryAfterMs > 0 ? retryAfterMs : WATCH_RESYNC_MS);
            boolean notified = false;
            while (!notified && System.nanoTime() - nextSync < 0)
            {
                if (!forever && System.nanoTime() - end >= 0)
                {
                    return 0;
                }
                notified = null != client.awaitNotification(Duration.ofMillis(200));
            }
            if (notified)
            {
                out.println("new message: syncing");
                client.takeNotifications();
            }
            retryAfterMs = syncAndPrint(client, syncKey);
        }
        return 1;
    }

    /**
     * @param message a synced message.
     * @param self    the account reading it.
     * @return one line for people.
     */
    static String describe(final Message message, final long self)
    {
        final String who = message.fromUin() == self ? "you -> " + message.toUin() : message.fromUin() + " -> you";
        final String when = Instant.ofEpochMilli(message.sentAtMs()).toString();
        final String what;
        if (MessageKind.TEXT == message.kind())
        {
            what = message.text();
        }
        else if (MessageKind.VOICE == message.kind())
        {
            what = "[voice " + message.durationMs() / 1000.0 + " s, " + message.body().length + " bytes]";
        }
        else
        {
            what = "[" + message.kind().name().toLowerCase(Locale.ROOT) + " " + message.mediaType() + " " +
                message.sizeBytes() + " bytes " + message.mediaRef() +
                (MessageKind.VIDEO == message.kind() ? " " + message.durationMs() / 1000.0 + " s" : "") +
                (message.body().length > 0 ? ", thumbnail " + message.body().length + " bytes" : "") + "]";
        }
        return "#" + message.seq() + " " + when + " " + who + ": " + what;
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
            case NOT_CONTACT:
                return " (they have not added you to their contacts)";
            case BLOCKED:
                return " (they blocked you)";
            case BAD_SYNC_KEY:
                return " (sync from a key the server gave you, or 0)";
            default:
                return "";
        }
    }
}
