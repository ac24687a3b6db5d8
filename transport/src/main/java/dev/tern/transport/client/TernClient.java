package dev.tern.transport.client;

import dev.tern.codecs.client.sbe.ClientHelloEncoder;
import dev.tern.codecs.client.sbe.ContactAddEncoder;
import dev.tern.codecs.client.sbe.ContactBlockEncoder;
import dev.tern.codecs.client.sbe.ContactUnblockEncoder;
import dev.tern.codecs.client.sbe.ContactListEncoder;
import dev.tern.codecs.client.sbe.ContactListResponseDecoder;
import dev.tern.codecs.client.sbe.ContactRemoveEncoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.LoginDecoder;
import dev.tern.codecs.client.sbe.LoginEncoder;
import dev.tern.codecs.client.sbe.LoginResponseDecoder;
import dev.tern.codecs.client.sbe.LogoutDecoder;
import dev.tern.codecs.client.sbe.LogoutEncoder;
import dev.tern.codecs.client.sbe.MessageHeaderDecoder;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.NewMessageNotificationDecoder;
import dev.tern.codecs.client.sbe.RegisterDecoder;
import dev.tern.codecs.client.sbe.RegisterEncoder;
import dev.tern.codecs.client.sbe.RegisterResponseDecoder;
import dev.tern.codecs.client.sbe.ResponseDecoder;
import dev.tern.codecs.client.sbe.SendImageEncoder;
import dev.tern.codecs.client.sbe.SendResponseDecoder;
import dev.tern.codecs.client.sbe.SendTextEncoder;
import dev.tern.codecs.client.sbe.SendVideoEncoder;
import dev.tern.codecs.client.sbe.SendVoiceEncoder;
import dev.tern.codecs.client.sbe.SyncEncoder;
import dev.tern.codecs.client.sbe.SyncResponseDecoder;
import dev.tern.codecs.client.sbe.ClientHelloDecoder;
import dev.tern.codecs.client.sbe.ContactListDecoder;
import dev.tern.transport.Channels;
import dev.tern.transport.Publications;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java client of Tern's gateway: asynchronous and pipelined over Aeron UDP. Send requests (many may be in
 * flight), then {@link #poll()}: each response is delivered to the {@link TernClientListener} on the polling
 * thread, and a request unanswered within the request timeout completes with {@link ErrorCode#TIMEOUT}.
 * <p>
 * The client greets the gateway with a ClientHello when it connects, again when a request times out (the gateway
 * may have restarted and forgotten this connection) and as a keep-alive when it has been quiet; a successful login
 * stores the session token, which every later request carries. A session belongs to this client's connection: a
 * new client must log in again. Notifications the gateway pushes (a new message in this account's timeline) go to
 * {@link TernClientListener#onNewMessage}.
 * <p>
 * Messages: each send carries a client message id chosen by the caller (unique per account, e.g. random); resend
 * with the same id after TIMEOUT or UNAVAILABLE and the message is stored once, with the same sequences. Sync keeps
 * no state here: the caller keeps its device's sync key, passes it to {@link #sync}, and keeps the one returned.
 * <p>
 * Send methods return the request's correlation id, or {@link #NOT_SENT} when the publication refused the frame
 * (gateway not reachable yet, or back-pressure), or {@link #TOO_MANY_IN_FLIGHT} at the client's own cap; nothing
 * is delivered for a request that was not sent.
 * <p>
 * Not thread-safe: one thread sends and polls. Allocation-free once warm, except the String-taking methods.
 */
public final class TernClient implements AutoCloseable
{
    /** The publication refused the frame: not connected yet, or back-pressured. */
    public static final long NOT_SENT = -1;
    /** The client has {@link Context#maxInFlight(int)} requests in flight. */
    public static final long TOO_MANY_IN_FLIGHT = -2;
    /** Longest text (UTF-8 bytes) or voice clip a send carries. */
    public static final int MAX_TEXT_BYTES = 4000;
    /** Longest thumbnail an image or video send carries. */
    public static final int MAX_THUMBNAIL_BYTES = 2000;

    private static final int HEADER = ClientProtocol.HEADER_LENGTH;
    private static final long HELLO_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long TIMER_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Context ctx;
    private final NanoClock clock;
    private final TernClientListener listener;
    private final ExclusivePublication publication;
    private final Subscription subscription;
    private final String responseChannel;
    private final FragmentAssembler assembler;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8192));
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final ArrayDeque<Pending> pool = new ArrayDeque<>();
    private final ArrayList<Pending> expired = new ArrayList<>();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ClientHelloEncoder helloEncoder = new ClientHelloEncoder();
    private final RegisterEncoder registerEncoder = new RegisterEncoder();
    private final LoginEncoder loginEncoder = new LoginEncoder();
    private final LogoutEncoder logoutEncoder = new LogoutEncoder();
    private final ContactAddEncoder contactAddEncoder = new ContactAddEncoder();
    private final ContactRemoveEncoder contactRemoveEncoder = new ContactRemoveEncoder();
    private final ContactListEncoder contactListEncoder = new ContactListEncoder();
    private final ContactBlockEncoder contactBlockEncoder = new ContactBlockEncoder();
    private final ContactUnblockEncoder contactUnblockEncoder = new ContactUnblockEncoder();
    private final SendTextEncoder sendTextEncoder = new SendTextEncoder();
    private final SendVoiceEncoder sendVoiceEncoder = new SendVoiceEncoder();
    private final SendImageEncoder sendImageEncoder = new SendImageEncoder();
    private final SendVideoEncoder sendVideoEncoder = new SendVideoEncoder();
    private final SyncEncoder syncEncoder = new SyncEncoder();
    private final SendResponseDecoder sendResponseDecoder = new SendResponseDecoder();
    private final SyncResponseDecoder syncResponseDecoder = new SyncResponseDecoder();
    private final NewMessageNotificationDecoder notificationDecoder = new NewMessageNotificationDecoder();
    private final UnsafeBuffer textBuffer = new UnsafeBuffer(new byte[MAX_TEXT_BYTES]);
    private final ResponseDecoder responseDecoder = new ResponseDecoder();
    private final RegisterResponseDecoder registerResponseDecoder = new RegisterResponseDecoder();
    private final LoginResponseDecoder loginResponseDecoder = new LoginResponseDecoder();
    private final ContactListResponseDecoder contactListDecoder = new ContactListResponseDecoder();

    private long nextCorrelationId;
    private long helloCorrelationId;
    private long helloSentNs;
    private long lastSentNs;
    private long nextTimerNs;
    private boolean connected;
    private long tokenHi;
    private long tokenLo;
    private long uin;
    private long timeouts;
    private boolean closed;

    private static final class Pending
    {
        long correlationId;
        int templateId;
        long deadlineNs;
    }

    private TernClient(final Context ctx)
    {
        this.ctx = ctx;
        clock = ctx.clock;
        listener = ctx.listener;
        final Aeron aeron = ctx.aeron;
        ExclusivePublication pub = null;
        Subscription sub = null;
        try
        {
            sub = aeron.addSubscription(Channels.udp(ctx.responseEndpoint), ctx.responseStreamId);
            responseChannel = Channels.udp(resolveEndpoint(sub, ctx.responseEndpoint));
            pub = aeron.addExclusivePublication(Channels.udp(ctx.gatewayEndpoint), Channels.CLIENT_REQUEST_STREAM_ID);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(pub, sub);
            throw ex;
        }
        publication = pub;
        subscription = sub;
        assembler = new FragmentAssembler((buffer, offset, length, header) -> onResponse(buffer, offset, length));
    }

    /**
     * Connect a client: opens the response subscription and the publication to the gateway, and greets the gateway
     * as soon as it is reachable (on {@link #poll()}). Use {@link #isConnected()} to know when it answered.
     *
     * @param ctx the settings; concluded here.
     * @return the client.
     */
    public static TernClient connect(final Context ctx)
    {
        ctx.conclude();
        return new TernClient(ctx);
    }

    private static String resolveEndpoint(final Subscription subscription, final String requested)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String endpoint;
        while (null == (endpoint = subscription.resolvedEndpoint()))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("response endpoint " + requested + " did not resolve");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return endpoint;
    }

    /** @return true once the gateway acknowledged this connection's ClientHello. */
    public boolean isConnected()
    {
        return connected;
    }

    /** @return true while this client holds a session token from a successful login. */
    public boolean isLoggedIn()
    {
        return 0 != uin;
    }

    /** @return the logged-in account's UIN, or 0. */
    public long uin()
    {
        return uin;
    }

    /** @return the session token's high 64 bits (0 when not logged in), for tools that build frames themselves. */
    public long sessionTokenHi()
    {
        return tokenHi;
    }

    /** @return the session token's low 64 bits (0 when not logged in). */
    public long sessionTokenLo()
    {
        return tokenLo;
    }

    /** @return the channel the gateway answers on, as named in ClientHello. */
    public String responseChannel()
    {
        return responseChannel;
    }

    /** @return requests sent and not yet answered. */
    public int inFlight()
    {
        return pending.size();
    }

    /** @return requests that completed with TIMEOUT. */
    public long timeouts()
    {
        return timeouts;
    }

    /** @return a fresh correlation id, for frames built by the caller and sent with {@link #sendRaw}. */
    public long nextCorrelationId()
    {
        return ++nextCorrelationId;
    }

    /**
     * Greet the gateway now (normally automatic).
     *
     * @return the correlation id, or {@link #NOT_SENT}.
     */
    public long hello()
    {
        final long correlationId = ++nextCorrelationId;
        helloEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .responseStreamId(ctx.responseStreamId)
            .responseChannel(responseChannel);
        helloSentNs = clock.nanoTime();
        if (offer(HEADER + helloEncoder.encodedLength()))
        {
            helloCorrelationId = correlationId;
            return correlationId;
        }
        return NOT_SENT;
    }

    /**
     * Create an account.
     *
     * @param name     3-32 letters and digits.
     * @param password 8-128 bytes of UTF-8.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long register(final String name, final String password)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        final long correlationId = ++nextCorrelationId;
        registerEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .name(name)
            .putPassword(secret, 0, secret.length);
        return track(correlationId, RegisterDecoder.TEMPLATE_ID, HEADER + registerEncoder.encodedLength());
    }

    /**
     * Log in: on OK this client carries the session token in every later request.
     *
     * @param name     the account's name.
     * @param password the account's password.
     * @param deviceId this device, so that each device keeps its own sync key.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long login(final String name, final String password, final long deviceId)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        final long correlationId = ++nextCorrelationId;
        loginEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .deviceId(deviceId)
            .name(name)
            .putPassword(secret, 0, secret.length);
        return track(correlationId, LoginDecoder.TEMPLATE_ID, HEADER + loginEncoder.encodedLength());
    }

    /**
     * End the session.
     *
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long logout()
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        logoutEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId).uin(0)
            .token().hi(tokenHi).lo(tokenLo);
        return track(correlationId, LogoutDecoder.TEMPLATE_ID, HEADER + logoutEncoder.encodedLength());
    }

    /**
     * Add a user to this account's contacts.
     *
     * @param contactUin the user's UIN.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long addContact(final long contactUin)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        contactAddEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        contactAddEncoder.uin(0).contactUin(contactUin);
        return track(correlationId, ContactAddEncoder.TEMPLATE_ID, HEADER + contactAddEncoder.encodedLength());
    }

    /**
     * Remove a user from this account's contacts.
     *
     * @param contactUin the user's UIN.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long removeContact(final long contactUin)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        contactRemoveEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        contactRemoveEncoder.uin(0).contactUin(contactUin);
        return track(correlationId, ContactRemoveEncoder.TEMPLATE_ID, HEADER + contactRemoveEncoder.encodedLength());
    }

    /**
     * A page of this account's contacts in UIN order.
     *
     * @param fromUin     the first UIN of the page (inclusive), 0 from the start.
     * @param maxContacts most contacts in the page, 1-1000.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long listContacts(final long fromUin, final int maxContacts)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        contactListEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        contactListEncoder.uin(0).fromUin(fromUin).maxContacts(maxContacts);
        return track(correlationId, ContactListDecoder.TEMPLATE_ID, HEADER + contactListEncoder.encodedLength());
    }

    /**
     * Refuse messages from a user (they get BLOCKED).
     *
     * @param blockedUin the user's UIN.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long block(final long blockedUin)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        contactBlockEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        contactBlockEncoder.uin(0).contactUin(blockedUin);
        return track(correlationId, ContactBlockEncoder.TEMPLATE_ID, HEADER + contactBlockEncoder.encodedLength());
    }

    /**
     * Take messages from a blocked user again.
     *
     * @param blockedUin the user's UIN.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long unblock(final long blockedUin)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        contactUnblockEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        contactUnblockEncoder.uin(0).contactUin(blockedUin);
        return track(correlationId, ContactUnblockEncoder.TEMPLATE_ID,
            HEADER + contactUnblockEncoder.encodedLength());
    }

    /**
     * Send text to a user. Allocates (encodes the string); see the buffer variant for hot paths.
     *
     * @param toUin           the recipient.
     * @param clientMessageId this message's id, unique per account; reuse it to retry.
     * @param text            1 to {@link #MAX_TEXT_BYTES} bytes of UTF-8.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     * @throws IllegalArgumentException when the text is empty or too long.
     */
    public long sendText(final long toUin, final long clientMessageId, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > MAX_TEXT_BYTES)
        {
            throw new IllegalArgumentException("text of " + bytes.length + " bytes must be 1-" + MAX_TEXT_BYTES);
        }
        textBuffer.putBytes(0, bytes);
        return sendText(toUin, clientMessageId, textBuffer, 0, bytes.length);
    }

    /**
     * Send text to a user, allocation-free.
     *
     * @param toUin           the recipient.
     * @param clientMessageId this message's id, unique per account; reuse it to retry.
     * @param text            holds 1 to {@link #MAX_TEXT_BYTES} bytes of UTF-8.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long sendText(final long toUin, final long clientMessageId, final DirectBuffer text, final int offset,
        final int length)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        sendTextEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        sendTextEncoder.uin(0).toUin(toUin).clientMessageId(clientMessageId).putText(text, offset, length);
        return track(correlationId, SendTextEncoder.TEMPLATE_ID, HEADER + sendTextEncoder.encodedLength());
    }

    /**
     * Send a short voice clip to a user, inline.
     *
     * @param toUin           the recipient.
     * @param clientMessageId this message's id, unique per account; reuse it to retry.
     * @param durationMs      the clip's length, 1 ms to 10 min.
     * @param voice           holds the encoded clip, 1 to {@link #MAX_TEXT_BYTES} bytes.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long sendVoice(final long toUin, final long clientMessageId, final long durationMs,
        final DirectBuffer voice, final int offset, final int length)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        sendVoiceEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        sendVoiceEncoder.uin(0).toUin(toUin).clientMessageId(clientMessageId).durationMs(durationMs)
            .putVoice(voice, offset, length);
        return track(correlationId, SendVoiceEncoder.TEMPLATE_ID, HEADER + sendVoiceEncoder.encodedLength());
    }

    /**
     * Send an image by reference to a user, with a small inline thumbnail.
     *
     * @param toUin           the recipient.
     * @param clientMessageId this message's id, unique per account; reuse it to retry.
     * @param mediaRef        the blob's id or URL: 1-512 printable ASCII characters, no spaces.
     * @param mediaType       its MIME type, e.g. {@code image/jpeg}.
     * @param sizeBytes       the blob's size, 1 byte to 4 GiB.
     * @param thumbnail       holds 0 to {@link #MAX_THUMBNAIL_BYTES} bytes.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long sendImage(final long toUin, final long clientMessageId, final String mediaRef,
        final String mediaType, final long sizeBytes, final DirectBuffer thumbnail, final int offset,
        final int length)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        sendImageEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        sendImageEncoder.uin(0).toUin(toUin).clientMessageId(clientMessageId).sizeBytes(sizeBytes)
            .mediaRef(mediaRef)
            .mediaType(mediaType)
            .putThumbnail(thumbnail, offset, length);
        return track(correlationId, SendImageEncoder.TEMPLATE_ID, HEADER + sendImageEncoder.encodedLength());
    }

    /**
     * Send a video by reference to a user, with its length and a small inline thumbnail.
     *
     * @param toUin           the recipient.
     * @param clientMessageId this message's id, unique per account; reuse it to retry.
     * @param mediaRef        the blob's id or URL: 1-512 printable ASCII characters, no spaces.
     * @param mediaType       its MIME type, e.g. {@code video/mp4}.
     * @param sizeBytes       the blob's size, 1 byte to 4 GiB.
     * @param durationMs      the video's length, 1 ms to 10 h.
     * @param thumbnail       holds 0 to {@link #MAX_THUMBNAIL_BYTES} bytes.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long sendVideo(final long toUin, final long clientMessageId, final String mediaRef,
        final String mediaType, final long sizeBytes, final long durationMs, final DirectBuffer thumbnail,
        final int offset, final int length)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        sendVideoEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        sendVideoEncoder.uin(0).toUin(toUin).clientMessageId(clientMessageId).sizeBytes(sizeBytes)
            .durationMs(durationMs)
            .mediaRef(mediaRef)
            .mediaType(mediaType)
            .putThumbnail(thumbnail, offset, length);
        return track(correlationId, SendVideoEncoder.TEMPLATE_ID, HEADER + sendVideoEncoder.encodedLength());
    }

    /**
     * The messages of this account's timeline after a sync key, in sequence order.
     *
     * @param syncKey     the key this device got last (0: from the start).
     * @param maxMessages most messages in the answer, 1-100.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long sync(final long syncKey, final int maxMessages)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final long correlationId = ++nextCorrelationId;
        syncEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder).correlationId(correlationId)
            .token().hi(tokenHi).lo(tokenLo);
        syncEncoder.uin(0).syncKey(syncKey).maxMessages(maxMessages);
        return track(correlationId, SyncEncoder.TEMPLATE_ID, HEADER + syncEncoder.encodedLength());
    }

    /**
     * Send a frame built by the caller, as it is: for tools and tests that speak the protocol directly (older
     * versions, forged tokens). Its response is delivered like any other, by the template in the frame's header.
     *
     * @param buffer        holds the frame.
     * @param offset        of the frame's message header.
     * @param length        of the frame.
     * @param correlationId the correlation id written in the frame, to match its response.
     * @return the correlation id, or {@link #NOT_SENT} / {@link #TOO_MANY_IN_FLIGHT}.
     */
    public long sendRaw(final DirectBuffer buffer, final int offset, final int length, final long correlationId)
    {
        if (pending.size() >= ctx.maxInFlight)
        {
            return TOO_MANY_IN_FLIGHT;
        }
        final int templateId = length >= HEADER ? buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF : 0;
        sendBuffer.putBytes(0, buffer, offset, length);
        return track(correlationId, templateId, length);
    }

    /**
     * Deliver responses, handle timeouts, greet the gateway when needed: call it in the owner's duty cycle.
     *
     * @return the amount of work done.
     */
    public int poll()
    {
        int work = subscription.poll(assembler, 64);
        final long now = clock.nanoTime();
        if (connected ? now - lastSentNs >= ctx.keepAliveIntervalNs : now - helloSentNs >= HELLO_RETRY_NS)
        {
            if (hello() > 0)
            {
                work++;
            }
        }
        if (now - nextTimerNs >= 0)
        {
            nextTimerNs = now + TIMER_INTERVAL_NS;
            work += expire(now);
        }
        return work;
    }

    private int expire(final long now)
    {
        if (pending.isEmpty())
        {
            return 0;
        }
        expired.clear();
        for (final Long2ObjectHashMap<Pending>.ValueIterator it = pending.values().iterator(); it.hasNext(); )
        {
            final Pending request = it.next();
            if (now - request.deadlineNs >= 0)
            {
                expired.add(request);
            }
        }
        for (int i = 0; i < expired.size(); i++)
        {
            final Pending request = expired.get(i);
            take(request.correlationId);
            timeouts++;
            // the gateway may have restarted and forgotten this connection: greet it again
            connected = false;
            dispatch(request.correlationId, request.templateId, ErrorCode.TIMEOUT);
        }
        final int count = expired.size();
        expired.clear();
        return count;
    }

    private long track(final long correlationId, final int templateId, final int length)
    {
        if (!offer(length))
        {
            return NOT_SENT;
        }
        final Pending request = pool.isEmpty() ? new Pending() : pool.pollFirst();
        request.correlationId = correlationId;
        request.templateId = templateId;
        request.deadlineNs = clock.nanoTime() + ctx.requestTimeoutNs;
        pending.put(correlationId, request);
        return correlationId;
    }

    private boolean offer(final int length)
    {
        if (closed)
        {
            throw new IllegalStateException("client is closed");
        }
        if (Publications.offer(publication, sendBuffer, 0, length) > 0)
        {
            lastSentNs = clock.nanoTime();
            return true;
        }
        return false;
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER)
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != ClientProtocol.SCHEMA_ID || headerDecoder.version() < 1 ||
            HEADER + headerDecoder.blockLength() > length)
        {
            return;
        }
        responseView.wrap(buffer, offset, length);
        try
        {
            switch (headerDecoder.templateId())
            {
                case ResponseDecoder.TEMPLATE_ID:
                    responseDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
                    onGenericResponse(responseDecoder.correlationId(), responseDecoder.requestTemplateId(),
                        responseDecoder.code());
                    break;

                case RegisterResponseDecoder.TEMPLATE_ID:
                    registerResponseDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
                    if (null != take(registerResponseDecoder.correlationId()))
                    {
                        listener.onRegistered(registerResponseDecoder.correlationId(), registerResponseDecoder.code(),
                            registerResponseDecoder.uin());
                    }
                    break;

                case LoginResponseDecoder.TEMPLATE_ID:
                    onLoginResponse();
                    break;

                case SendResponseDecoder.TEMPLATE_ID:
                    sendResponseDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
                    if (null != take(sendResponseDecoder.correlationId()))
                    {
                        onSessionCode(sendResponseDecoder.code());
                        listener.onSent(sendResponseDecoder.correlationId(), sendResponseDecoder.code(),
                            sendResponseDecoder.recipientSeq(), sendResponseDecoder.senderSeq());
                    }
                    break;

                case SyncResponseDecoder.TEMPLATE_ID:
                    syncResponseDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
                    if (null != take(syncResponseDecoder.correlationId()))
                    {
                        onSessionCode(syncResponseDecoder.code());
                        listener.onSynced(syncResponseDecoder.correlationId(), syncResponseDecoder.code(),
                            syncResponseDecoder);
                    }
                    break;

                case NewMessageNotificationDecoder.TEMPLATE_ID:
                    notificationDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
                    listener.onNewMessage(notificationDecoder.seq(), notificationDecoder.fromUin(),
                        notificationDecoder.kind());
                    break;

                case ContactListResponseDecoder.TEMPLATE_ID:
                    contactListDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
                    if (null != take(contactListDecoder.correlationId()))
                    {
                        onSessionCode(contactListDecoder.code());
                        listener.onContacts(contactListDecoder.correlationId(), contactListDecoder.code(),
                            contactListDecoder);
                    }
                    break;

                default:
                    break;
            }
        }
        catch (final IndexOutOfBoundsException | IllegalStateException | IllegalArgumentException ex)
        {
            // a malformed response: the request it would answer times out
        }
    }

    private void onLoginResponse()
    {
        loginResponseDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
        final long correlationId = loginResponseDecoder.correlationId();
        if (null == take(correlationId))
        {
            return;
        }
        final ErrorCode code = loginResponseDecoder.code();
        final long accountUin = loginResponseDecoder.uin();
        final long hi = loginResponseDecoder.token().hi();
        final long lo = loginResponseDecoder.token().lo();
        final long expiresInMs = loginResponseDecoder.expiresInMs();
        if (ErrorCode.OK == code)
        {
            tokenHi = hi;
            tokenLo = lo;
            uin = accountUin;
        }
        listener.onLoggedIn(correlationId, code, accountUin, expiresInMs);
    }

    private void onGenericResponse(final long correlationId, final int requestTemplateId, final ErrorCode code)
    {
        if (correlationId == helloCorrelationId && requestTemplateId == ClientHelloDecoder.TEMPLATE_ID)
        {
            connected = ErrorCode.OK == code;
            listener.onHello(correlationId, code);
            return;
        }
        final Pending request = take(correlationId);
        if (null == request)
        {
            return;
        }
        if (request.templateId == LogoutDecoder.TEMPLATE_ID && ErrorCode.OK == code)
        {
            clearSession();
        }
        onSessionCode(code);
        dispatch(correlationId, request.templateId, code);
    }

    private void dispatch(final long correlationId, final int templateId, final ErrorCode code)
    {
        switch (templateId)
        {
            case RegisterDecoder.TEMPLATE_ID:
                listener.onRegistered(correlationId, code, 0);
                break;
            case LoginDecoder.TEMPLATE_ID:
                listener.onLoggedIn(correlationId, code, 0, 0);
                break;
            case ContactListDecoder.TEMPLATE_ID:
                listener.onContacts(correlationId, code, null);
                break;
            case SendTextEncoder.TEMPLATE_ID:
            case SendVoiceEncoder.TEMPLATE_ID:
            case SendImageEncoder.TEMPLATE_ID:
            case SendVideoEncoder.TEMPLATE_ID:
                listener.onSent(correlationId, code, 0, 0);
                break;
            case SyncEncoder.TEMPLATE_ID:
                listener.onSynced(correlationId, code, null);
                break;
            default:
                listener.onResponse(correlationId, templateId, code);
                break;
        }
    }

    private Pending take(final long correlationId)
    {
        final Pending request = pending.remove(correlationId);
        if (null != request)
        {
            pool.addLast(request);
        }
        return request;
    }

    private void onSessionCode(final ErrorCode code)
    {
        if (ErrorCode.SESSION_EXPIRED == code)
        {
            clearSession();
        }
    }

    private void clearSession()
    {
        tokenHi = 0;
        tokenLo = 0;
        uin = 0;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.quietCloseAll(publication, subscription);
        }
    }

    /**
     * Settings of a {@link TernClient}.
     */
    public static final class Context
    {
        private Aeron aeron;
        private String gatewayEndpoint;
        private String responseEndpoint;
        private int responseStreamId = Channels.CLIENT_RESPONSE_STREAM_ID;
        private long requestTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private long keepAliveIntervalNs = TimeUnit.SECONDS.toNanos(30);
        private int maxInFlight = 1024;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private TernClientListener listener;

        /**
         * Validate the settings and fill in what was not given.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == aeron)
            {
                throw new IllegalArgumentException("aeron must be set");
            }
            if (null == gatewayEndpoint || !gatewayEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("gatewayEndpoint=" + gatewayEndpoint + " must be host:port");
            }
            if (null == responseEndpoint)
            {
                responseEndpoint = localAddressTowards(gatewayEndpoint) + ":0";
            }
            if (!responseEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("responseEndpoint=" + responseEndpoint + " must be host:port");
            }
            if (responseStreamId <= 0)
            {
                throw new IllegalArgumentException("responseStreamId=" + responseStreamId + " must be > 0");
            }
            if (requestTimeoutNs <= 0 || keepAliveIntervalNs <= 0)
            {
                throw new IllegalArgumentException("requestTimeoutNs=" + requestTimeoutNs +
                    " and keepAliveIntervalNs=" + keepAliveIntervalNs + " must be > 0");
            }
            if (maxInFlight < 1)
            {
                throw new IllegalArgumentException("maxInFlight=" + maxInFlight + " must be >= 1");
            }
            if (null == listener)
            {
                throw new IllegalArgumentException("listener must be set");
            }
            return this;
        }

        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        /** @param gatewayEndpoint host:port where the gateway takes client requests. */
        public Context gatewayEndpoint(final String gatewayEndpoint)
        {
            this.gatewayEndpoint = gatewayEndpoint;
            return this;
        }

        /**
         * @param responseEndpoint host:port this client receives on (port 0: any free port). The host must be the
         *                         address the gateway sees this client's requests come from. Default: the local
         *                         address of the route towards the gateway.
         */
        public Context responseEndpoint(final String responseEndpoint)
        {
            this.responseEndpoint = responseEndpoint;
            return this;
        }

        /** @return where this client receives responses (after {@link #conclude()}: never null). */
        public String responseEndpoint()
        {
            return responseEndpoint;
        }

        public Context responseStreamId(final int responseStreamId)
        {
            this.responseStreamId = responseStreamId;
            return this;
        }

        /** @param requestTimeoutNs how long a request waits for its response before completing with TIMEOUT. */
        public Context requestTimeoutNs(final long requestTimeoutNs)
        {
            this.requestTimeoutNs = requestTimeoutNs;
            return this;
        }

        /** @param keepAliveIntervalNs a quiet client greets the gateway this often so it is not evicted as idle. */
        public Context keepAliveIntervalNs(final long keepAliveIntervalNs)
        {
            this.keepAliveIntervalNs = keepAliveIntervalNs;
            return this;
        }

        public Context maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        public Context listener(final TernClientListener listener)
        {
            this.listener = listener;
            return this;
        }

        private static String localAddressTowards(final String endpoint)
        {
            final String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
            try (DatagramSocket socket = new DatagramSocket())
            {
                // connecting a datagram socket sends nothing: it only asks the OS for the route's local address
                socket.connect(InetAddress.getByName(host), 9);
                final InetAddress local = socket.getLocalAddress();
                return local.isAnyLocalAddress() ? "127.0.0.1" : local.getHostAddress();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot find a local address towards " + endpoint, ex);
            }
        }
    }
}
