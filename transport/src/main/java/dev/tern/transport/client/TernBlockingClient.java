package dev.tern.transport.client;

import dev.tern.codecs.client.sbe.BooleanType;
import dev.tern.codecs.client.sbe.ContactListResponseDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.client.sbe.SyncResponseDecoder;
import dev.tern.transport.IdleStrategies;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple blocking facade over {@link TernClient} for scripts, tools and tests: each call sends one request and
 * polls until its response (or the client's request timeout). Allocates; not for hot paths. Not thread-safe.
 */
public final class TernBlockingClient implements AutoCloseable
{
    /**
     * The outcome of a request that returns nothing else.
     *
     * @param code the outcome.
     */
    public record Result(ErrorCode code)
    {
        public boolean isOk()
        {
            return ErrorCode.OK == code;
        }
    }

    /**
     * @param code OK, NAME_TAKEN, ...
     * @param uin  OK: the new account's UIN.
     */
    public record Registered(ErrorCode code, long uin)
    {
    }

    /**
     * @param code        OK, BAD_CREDENTIALS, ...
     * @param uin         OK: the account's UIN.
     * @param expiresInMs OK: how long the session lasts.
     */
    public record LoggedIn(ErrorCode code, long uin, long expiresInMs)
    {
    }

    /**
     * @param code        the outcome.
     * @param uins        the page of contacts, in UIN order.
     * @param more        contacts remain after this page.
     * @param nextFromUin more: where the next page starts.
     */
    public record Contacts(ErrorCode code, List<Long> uins, boolean more, long nextFromUin)
    {
    }

    /**
     * The outcome of a send.
     *
     * @param code         OK, NOT_CONTACT, BLOCKED, ID_REUSED, UNAVAILABLE (retry with the same id), ...
     * @param recipientSeq OK: the message's sequence in the recipient's timeline.
     * @param senderSeq    OK: its sequence in the sender's own timeline.
     */
    public record Sent(ErrorCode code, long recipientSeq, long senderSeq)
    {
    }

    /**
     * A message of a timeline, as sync returns it.
     *
     * @param seq             its sequence in this account's timeline.
     * @param kind            TEXT, VOICE, IMAGE or VIDEO.
     * @param fromUin         the sender (this account for what one of its devices sent).
     * @param toUin           the recipient.
     * @param clientMessageId the id the sender gave it.
     * @param sentAtMs        when the server took it, ms since the epoch.
     * @param sizeBytes       IMAGE, VIDEO: the blob's size.
     * @param durationMs      VOICE, VIDEO: the length.
     * @param body            TEXT: the text (UTF-8); VOICE: the clip; IMAGE, VIDEO: the thumbnail.
     * @param mediaRef        IMAGE, VIDEO: blob id or URL; else empty.
     * @param mediaType       IMAGE, VIDEO: MIME type; else empty.
     */
    public record Message(long seq, MessageKind kind, long fromUin, long toUin, long clientMessageId, long sentAtMs,
        long sizeBytes, long durationMs, byte[] body, String mediaRef, String mediaType)
    {
        /** @return the body as UTF-8 text. */
        public String text()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * A batch of the timeline.
     *
     * @param code         OK, BAD_SYNC_KEY, ...
     * @param messages     in sequence order.
     * @param syncKey      OK: the key to keep and sync from next; never below the one asked with.
     * @param more         more can be had now: sync again at once.
     * @param retryAfterMs messages are held back behind a sequence still being stored: sync again after this long.
     */
    public record Synced(ErrorCode code, List<Message> messages, long syncKey, boolean more, long retryAfterMs)
    {
    }

    /**
     * A notification the gateway pushed: a message entered this account's timeline.
     *
     * @param seq     its sequence in this account's timeline.
     * @param fromUin its sender.
     * @param kind    what it carries.
     */
    public record Notification(long seq, long fromUin, MessageKind kind)
    {
    }

    private final TernClient client;
    private final ArrayDeque<Notification> notifications = new ArrayDeque<>();
    private final IdleStrategy idle = IdleStrategies.of("backoff");
    private long awaited;
    private Object outcome;

    private final TernClientListener listener = new TernClientListener()
    {
        public void onResponse(final long correlationId, final int requestTemplateId, final ErrorCode code)
        {
            complete(correlationId, new Result(code));
        }

        public void onRegistered(final long correlationId, final ErrorCode code, final long uin)
        {
            complete(correlationId, new Registered(code, uin));
        }

        public void onLoggedIn(final long correlationId, final ErrorCode code, final long uin, final long expiresInMs)
        {
            complete(correlationId, new LoggedIn(code, uin, expiresInMs));
        }

        public void onContacts(final long correlationId, final ErrorCode code,
            final ContactListResponseDecoder response)
        {
            final List<Long> uins = new ArrayList<>();
            boolean more = false;
            long next = 0;
            if (null != response)
            {
                more = response.more() == BooleanType.TRUE;
                next = response.nextFromUin();
                for (final ContactListResponseDecoder.ContactsDecoder contact : response.contacts())
                {
                    uins.add(contact.contactUin());
                }
            }
            complete(correlationId, new Contacts(code, List.copyOf(uins), more, next));
        }

        public void onSent(final long correlationId, final ErrorCode code, final long recipientSeq,
            final long senderSeq)
        {
            complete(correlationId, new Sent(code, recipientSeq, senderSeq));
        }

        public void onSynced(final long correlationId, final ErrorCode code, final SyncResponseDecoder response)
        {
            complete(correlationId, null == response ? new Synced(code, List.of(), 0, false, 0) : synced(response));
        }

        public void onNewMessage(final long seq, final long fromUin, final MessageKind kind)
        {
            notifications.addLast(new Notification(seq, fromUin, kind));
        }
    };

    private static Synced synced(final SyncResponseDecoder response)
    {
        final ErrorCode code = response.code();
        final long syncKey = response.syncKey();
        final boolean more = response.more() == BooleanType.TRUE;
        final long retryAfterMs = response.retryAfterMs();
        final List<Message> messages = new ArrayList<>();
        for (final SyncResponseDecoder.MessagesDecoder message : response.messages())
        {
            final long seq = message.seq();
            final MessageKind kind = message.kind();
            final long fromUin = message.fromUin();
            final long toUin = message.toUin();
            final long clientMessageId = message.clientMessageId();
            final long sentAtMs = message.sentAtMs();
            final long sizeBytes = message.sizeBytes();
            final long durationMs = message.durationMs();
            final byte[] body = new byte[message.bodyLength()];
            message.getBody(body, 0, body.length);
            final String mediaRef = message.mediaRef();
            final String mediaType = message.mediaType();
            messages.add(new Message(seq, kind, fromUin, toUin, clientMessageId, sentAtMs, sizeBytes, durationMs, body,
                mediaRef, mediaType));
        }
        return new Synced(code, List.copyOf(messages), syncKey, more, retryAfterMs);
    }

    private TernBlockingClient(final TernClient.Context ctx)
    {
        client = TernClient.connect(ctx.listener(listener));
    }

    /**
     * Connect and wait until the gateway acknowledges this connection.
     *
     * @param ctx     the client's settings; its listener is replaced by this facade's.
     * @param timeout how long to wait for the gateway.
     * @return the connected client.
     * @throws IllegalStateException when the gateway did not answer in time.
     */
    public static TernBlockingClient connect(final TernClient.Context ctx, final Duration timeout)
    {
        final TernBlockingClient blocking = new TernBlockingClient(ctx);
        try
        {
            blocking.awaitConnected(timeout);
            return blocking;
        }
        catch (final RuntimeException ex)
        {
            blocking.close();
            throw ex;
        }
    }

    /** @return the asynchronous client underneath, e.g. for {@link TernClient#uin()}. */
    public TernClient client()
    {
        return client;
    }

    /**
     * Poll until the gateway acknowledges this connection.
     *
     * @param timeout how long to wait.
     * @throws IllegalStateException when it did not in time.
     */
    public void awaitConnected(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the gateway did not answer ClientHello within " + timeout);
            }
            idle.idle(client.poll());
        }
        idle.reset();
    }

    /**
     * Create an account.
     *
     * @param name     3-32 letters and digits.
     * @param password 8-128 bytes of UTF-8.
     * @return OK with the new UIN, or NAME_TAKEN, BAD_REQUEST, ...
     */
    public Registered register(final String name, final String password)
    {
        return await(client.register(name, password), Registered.class);
    }

    /**
     * Log in as device 0; on OK this client carries the session token in every later request.
     *
     * @return OK with the UIN and the session's lifetime, or BAD_CREDENTIALS, ...
     */
    public LoggedIn login(final String name, final String password)
    {
        return login(name, password, 0);
    }

    /**
     * Log in as a device; on OK this client carries the session token in every later request.
     *
     * @return OK with the UIN and the session's lifetime, or BAD_CREDENTIALS, ...
     */
    public LoggedIn login(final String name, final String password, final long deviceId)
    {
        return await(client.login(name, password, deviceId), LoggedIn.class);
    }

    /** @return OK when the session ended. */
    public Result logout()
    {
        return await(client.logout(), Result.class);
    }

    /** @return OK, NOT_FOUND when no such user, BAD_REQUEST for yourself, ... */
    public Result addContact(final long contactUin)
    {
        return await(client.addContact(contactUin), Result.class);
    }

    /** @return OK, or NOT_FOUND when the user was not a contact. */
    public Result removeContact(final long contactUin)
    {
        return await(client.removeContact(contactUin), Result.class);
    }

    /**
     * @param fromUin     the first UIN of the page (inclusive).
     * @param maxContacts most contacts in the page, 1-1000.
     * @return a page of contacts in UIN order.
     */
    public Contacts listContacts(final long fromUin, final int maxContacts)
    {
        return await(client.listContacts(fromUin, maxContacts), Contacts.class);
    }

    /**
     * Every contact, page by page.
     *
     * @return the contacts, or the first page's failure.
     */
    public Contacts listAllContacts()
    {
        final List<Long> all = new ArrayList<>();
        long from = 0;
        while (true)
        {
            final Contacts page = listContacts(from, ClientProtocol.MAX_CONTACTS_PAGE);
            if (ErrorCode.OK != page.code())
            {
                return page;
            }
            all.addAll(page.uins());
            if (!page.more())
            {
                return new Contacts(ErrorCode.OK, List.copyOf(all), false, 0);
            }
            from = page.nextFromUin();
        }
    }

    /** @return OK, or BAD_REQUEST for yourself. */
    public Result block(final long uin)
    {
        return await(client.block(uin), Result.class);
    }

    /** @return OK, or NOT_FOUND when the user was not blocked. */
    public Result unblock(final long uin)
    {
        return await(client.unblock(uin), Result.class);
    }

    /**
     * Send text.
     *
     * @param toUin           the recipient.
     * @param clientMessageId unique per account; the same id again is a retry, stored once.
     * @param text            1-4000 bytes of UTF-8.
     * @return the sequences, or why not.
     */
    public Sent sendText(final long toUin, final long clientMessageId, final String text)
    {
        return await(client.sendText(toUin, clientMessageId, text), Sent.class);
    }

    /**
     * Send a short voice clip, inline.
     *
     * @param durationMs the clip's length.
     * @param voice      1-4000 bytes.
     * @return the sequences, or why not.
     */
    public Sent sendVoice(final long toUin, final long clientMessageId, final long durationMs, final byte[] voice)
    {
        return await(client.sendVoice(toUin, clientMessageId, durationMs, new UnsafeBuffer(voice), 0, voice.length),
            Sent.class);
    }

    /**
     * Send an image by reference.
     *
     * @param mediaRef  blob id or URL.
     * @param mediaType MIME type, e.g. image/jpeg.
     * @param sizeBytes the blob's size.
     * @param thumbnail 0-2000 bytes.
     * @return the sequences, or why not.
     */
    public Sent sendImage(final long toUin, final long clientMessageId, final String mediaRef, final String mediaType,
        final long sizeBytes, final byte[] thumbnail)
    {
        return await(client.sendImage(toUin, clientMessageId, mediaRef, mediaType, sizeBytes,
            new UnsafeBuffer(thumbnail), 0, thumbnail.length), Sent.class);
    }

    /**
     * Send a video by reference.
     *
     * @param mediaRef   blob id or URL.
     * @param mediaType  MIME type, e.g. video/mp4.
     * @param sizeBytes  the blob's size.
     * @param durationMs the video's length.
     * @param thumbnail  0-2000 bytes.
     * @return the sequences, or why not.
     */
    public Sent sendVideo(final long toUin, final long clientMessageId, final String mediaRef, final String mediaType,
        final long sizeBytes, final long durationMs, final byte[] thumbnail)
    {
        return await(client.sendVideo(toUin, clientMessageId, mediaRef, mediaType, sizeBytes, durationMs,
            new UnsafeBuffer(thumbnail), 0, thumbnail.length), Sent.class);
    }

    /**
     * One batch of this account's timeline after a key.
     *
     * @param syncKey     the key this device kept (0: from the start).
     * @param maxMessages 1-100.
     * @return the batch and the new key, or why not.
     */
    public Synced sync(final long syncKey, final int maxMessages)
    {
        return await(client.sync(syncKey, maxMessages), Synced.class);
    }

    /**
     * Take the notifications received so far (they arrive while any call polls, or {@link #awaitNotification}).
     *
     * @return them, oldest first.
     */
    public List<Notification> takeNotifications()
    {
        final List<Notification> taken = new ArrayList<>(notifications);
        notifications.clear();
        return taken;
    }

    /**
     * Poll until a notification arrives.
     *
     * @param timeout how long to wait.
     * @return the oldest notification not yet taken, or null when none came in time.
     */
    public Notification awaitNotification(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (notifications.isEmpty() && System.nanoTime() - deadline < 0)
        {
            idle.idle(client.poll());
        }
        idle.reset();
        return notifications.pollFirst();
    }

    /**
     * Send a frame built by the caller and wait for its response (see {@link TernClient#sendRaw}).
     *
     * @return the response: a {@link Result}, {@link Registered}, {@link LoggedIn}, {@link Contacts}, {@link Sent}
     * or {@link Synced} by the frame's template.
     */
    public Object sendRaw(final DirectBuffer buffer, final int offset, final int length, final long correlationId)
    {
        return await(client.sendRaw(buffer, offset, length, correlationId), Object.class);
    }

    private <T> T await(final long correlationId, final Class<T> type)
    {
        if (correlationId < 0)
        {
            throw new IllegalStateException(correlationId == TernClient.TOO_MANY_IN_FLIGHT ?
                "too many requests in flight" : "the gateway is not reachable (request not sent)");
        }
        awaited = correlationId;
        outcome = null;
        while (null == outcome)
        {
            idle.idle(client.poll());
        }
        idle.reset();
        return type.cast(outcome);
    }

    private void complete(final long correlationId, final Object result)
    {
        if (correlationId == awaited)
        {
            outcome = result;
        }
    }

    public void close()
    {
        client.close();
    }
}
