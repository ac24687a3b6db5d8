package dev.tern.engine.gateway;

import dev.tern.codecs.client.sbe.ClientHelloDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.LoginDecoder;
import dev.tern.codecs.client.sbe.LoginResponseEncoder;
import dev.tern.codecs.client.sbe.LogoutDecoder;
import dev.tern.codecs.client.sbe.ResponseEncoder;
import dev.tern.codecs.engine.sbe.ServicePushDecoder;
import dev.tern.codecs.engine.sbe.ServiceReplyDecoder;
import dev.tern.codecs.engine.sbe.ServiceRequestEncoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.service.Envelopes;
import dev.tern.transport.Channels;
import dev.tern.transport.Publications;
import dev.tern.transport.client.ClientProtocol;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The access layer every client talks to: one Aeron UDP subscription for all clients, the session table, and the
 * routes from request templates to services. Only this agent's thread touches client publications.
 * <p>
 * Each client frame is checked against its length ({@link ClientFrameDecoder}) before anything reads it; frames
 * that span several Aeron fragments are refused (a request fits in one MTU). Then, in order: the connection must have
 * said ClientHello; its rate limit; the request's checks (version, template, block); for requests that need a
 * session, the token of this connection's session, its expiry, and the uin (0 or the session's own, else FORBIDDEN);
 * the session's cap on requests in flight. A request that passes is forwarded to its service in a ServiceRequest
 * carrying the session's identity; the service's ServiceReply is sent back to the client, or the client is told
 * UNAVAILABLE when no reply comes in time. A service's ServicePush (a new message notification) goes to every
 * logged-in session of its user but the one it excludes, best effort. Everything refused is answered with an error code when it carries a
 * correlation id and comes from a known connection, else dropped; all of it is counted.
 * <p>
 * A client names its response channel in ClientHello: a unicast UDP endpoint on the host its requests come from
 * (unless {@link Context#requireResponseHostMatch(boolean)} is off), so the gateway never sends to a third party.
 */
public final class GatewayAgent implements Agent
{
    private static final int CLIENT_HEADER = ClientProtocol.HEADER_LENGTH;
    private static final int ENVELOPE_HEADER = Envelopes.HEADER_LENGTH;
    private static final int FRAGMENT_LIMIT = 256;
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long EVICTION_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Context ctx;
    private final Aeron aeron;
    private final Monitor monitor;
    private final NanoClock clock;
    private final Subscription clientSubscription;
    private final Subscription[] replySubscriptions;
    private final Publication[] servicePublications = new Publication[Route.MAX_SERVICE_ID];
    private final ClientFrameDecoder frameDecoder;
    private final SessionTable sessions;
    private final PendingRequests pending;
    private final ArrayList<Session> helloing = new ArrayList<>();
    private final IntHashSet liveConnections = new IntHashSet();
    private final int[] rejectIds = new int[ErrorCode.TIMEOUT.value() + 1];

    private final FragmentHandler clientHandler = this::onClientFragment;
    private final FragmentAssembler replyAssembler = new FragmentAssembler(this::onReplyFragment);
    private final Consumer<PendingRequests.Entry> onExpired = this::onExpired;
    private final Consumer<Session> onEvict = this::releasePublication;
    private final IntPredicate isGone = connectionId -> !liveConnections.contains(connectionId);

    private final dev.tern.codecs.client.sbe.MessageHeaderEncoder clientHeaderEncoder =
        new dev.tern.codecs.client.sbe.MessageHeaderEncoder();
    private final dev.tern.codecs.client.sbe.MessageHeaderDecoder clientHeaderDecoder =
        new dev.tern.codecs.client.sbe.MessageHeaderDecoder();
    private final ResponseEncoder responseEncoder = new ResponseEncoder();
    private final LoginResponseEncoder loginResponseEncoder = new LoginResponseEncoder();
    private final ClientHelloDecoder helloDecoder = new ClientHelloDecoder();
    private final dev.tern.codecs.engine.sbe.MessageHeaderEncoder envelopeHeaderEncoder =
        new dev.tern.codecs.engine.sbe.MessageHeaderEncoder();
    private final dev.tern.codecs.engine.sbe.MessageHeaderDecoder envelopeHeaderDecoder =
        new dev.tern.codecs.engine.sbe.MessageHeaderDecoder();
    private final ServiceRequestEncoder serviceRequestEncoder = new ServiceRequestEncoder();
    private final ServiceReplyDecoder serviceReplyDecoder = new ServiceReplyDecoder();
    private final ServicePushDecoder servicePushDecoder = new ServicePushDecoder();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer channelView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer outbound = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(128);

    private long nowNs;
    private long nextHousekeepingNs;
    private long nextEvictionNs;
    private long intervalMaxUs;

    private GatewayAgent(final Context ctx)
    {
        this.ctx = ctx;
        aeron = ctx.aeron;
        monitor = ctx.monitor;
        clock = ctx.clock;
        frameDecoder = new ClientFrameDecoder(ctx.routes);
        sessions = new SessionTable(ctx.maxConnections, ctx.maxSessions, ctx.sessionTtlNs, ctx.idleTimeoutNs,
            ctx.rateLimit, ctx.rateBurst);
        pending = new PendingRequests(ctx.maxPending);
        rejectIds[ErrorCode.BAD_REQUEST.value()] = MonitorId.GATEWAY_REJECT_BAD_REQUEST.id();
        rejectIds[ErrorCode.UNSUPPORTED_VERSION.value()] = MonitorId.GATEWAY_REJECT_UNSUPPORTED_VERSION.id();
        rejectIds[ErrorCode.UNKNOWN_REQUEST.value()] = MonitorId.GATEWAY_REJECT_UNKNOWN_REQUEST.id();
        rejectIds[ErrorCode.UNAUTHENTICATED.value()] = MonitorId.GATEWAY_REJECT_UNAUTHENTICATED.id();
        rejectIds[ErrorCode.SESSION_EXPIRED.value()] = MonitorId.GATEWAY_REJECT_SESSION_EXPIRED.id();
        rejectIds[ErrorCode.FORBIDDEN.value()] = MonitorId.GATEWAY_REJECT_FORBIDDEN.id();
        rejectIds[ErrorCode.RATE_LIMITED.value()] = MonitorId.GATEWAY_REJECT_RATE_LIMITED.id();
        rejectIds[ErrorCode.TOO_MANY_IN_FLIGHT.value()] = MonitorId.GATEWAY_REJECT_TOO_MANY_IN_FLIGHT.id();
        rejectIds[ErrorCode.TOO_MANY_SESSIONS.value()] = MonitorId.GATEWAY_REJECT_TOO_MANY_SESSIONS.id();
        rejectIds[ErrorCode.UNAVAILABLE.value()] = MonitorId.GATEWAY_REJECT_UNAVAILABLE.id();
        rejectIds[ErrorCode.BUSY.value()] = MonitorId.GATEWAY_REJECT_BUSY.id();

        Subscription clients = null;
        final Subscription[] replies = new Subscription[ctx.replyChannels.size()];
        try
        {
            clients = aeron.addSubscription(Channels.udp(ctx.endpoint), Channels.CLIENT_REQUEST_STREAM_ID);
            for (int i = 0; i < replies.length; i++)
            {
                replies[i] = aeron.addSubscription(ctx.replyChannels.get(i), Channels.SERVICE_REPLY_STREAM_ID);
            }
            for (final ServiceLink link : ctx.services)
            {
                servicePublications[link.serviceId()] = aeron.addPublication(link.channel(), link.streamId());
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(clients);
            CloseHelper.quietCloseAll(replies);
            CloseHelper.quietCloseAll(servicePublications);
            throw ex;
        }
        clientSubscription = clients;
        replySubscriptions = replies;
    }

    /**
     * Create the gateway: subscribes for clients and service replies, and opens a publication to each service.
     * Run it with an AgentRunner (or step it with {@link #doWork()}).
     *
     * @param ctx the settings; concluded here.
     * @return the gateway.
     */
    public static GatewayAgent launch(final Context ctx)
    {
        ctx.conclude();
        ctx.monitor.declare(
            MonitorId.GATEWAY_FRAMES, MonitorId.GATEWAY_FORWARDED, MonitorId.GATEWAY_REPLIES,
            MonitorId.GATEWAY_MALFORMED, MonitorId.GATEWAY_UNKNOWN_CONNECTION, MonitorId.GATEWAY_REJECT_BAD_REQUEST,
            MonitorId.GATEWAY_REJECT_UNSUPPORTED_VERSION, MonitorId.GATEWAY_REJECT_UNKNOWN_REQUEST,
            MonitorId.GATEWAY_REJECT_UNAUTHENTICATED, MonitorId.GATEWAY_REJECT_SESSION_EXPIRED,
            MonitorId.GATEWAY_REJECT_FORBIDDEN, MonitorId.GATEWAY_REJECT_RATE_LIMITED,
            MonitorId.GATEWAY_REJECT_TOO_MANY_IN_FLIGHT, MonitorId.GATEWAY_REJECT_TOO_MANY_SESSIONS,
            MonitorId.GATEWAY_REJECT_UNAVAILABLE, MonitorId.GATEWAY_REJECT_BUSY, MonitorId.GATEWAY_SERVICE_TIMEOUTS,
            MonitorId.GATEWAY_LATE_REPLIES, MonitorId.GATEWAY_REPLY_DROPPED, MonitorId.GATEWAY_HELLOS,
            MonitorId.GATEWAY_CONNECTIONS_REFUSED, MonitorId.GATEWAY_CONNECTIONS, MonitorId.GATEWAY_SESSIONS,
            MonitorId.GATEWAY_LOGINS, MonitorId.GATEWAY_LOGOUTS, MonitorId.GATEWAY_EVICTED,
            MonitorId.GATEWAY_LATENCY_MAX_US, MonitorId.GATEWAY_MALFORMED_REPLIES, MonitorId.GATEWAY_PUSHES,
            MonitorId.GATEWAY_PUSH_DROPPED);
        return new GatewayAgent(ctx);
    }

    public String roleName()
    {
        return "tern-gateway";
    }

    public int doWork()
    {
        nowNs = clock.nanoTime();
        int work = 0;
        for (final Subscription replies : replySubscriptions)
        {
            work += replies.poll(replyAssembler, FRAGMENT_LIMIT);
        }
        work += clientSubscription.poll(clientHandler, FRAGMENT_LIMIT);
        if (!helloing.isEmpty())
        {
            work += progressHellos();
        }
        if (nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            work += housekeeping();
        }
        return work;
    }

    public void onClose()
    {
        helloing.clear();
        sessions.evict(nowNs, connectionId -> true, onEvict);
        CloseHelper.quietClose(clientSubscription);
        CloseHelper.quietCloseAll(replySubscriptions);
        CloseHelper.quietCloseAll(servicePublications);
    }

    /** @return the client endpoint, host:port, as resolved (a port 0 setting becomes the port bound). */
    public String endpoint()
    {
        final String resolved = clientSubscription.resolvedEndpoint();
        return null != resolved ? resolved : ctx.endpoint;
    }

    /** @return the session table, for tests and tools in this process; gateway thread only. */
    public SessionTable sessions()
    {
        return sessions;
    }

    /** @return requests forwarded and not yet answered; gateway thread only. */
    public int pendingRequests()
    {
        return pending.size();
    }

    // ---- client frames

    private void onClientFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        monitor.add(MonitorId.GATEWAY_FRAMES, 1);
        if ((header.flags() & FrameDescriptor.UNFRAGMENTED) != FrameDescriptor.UNFRAGMENTED)
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED, 1);
            return;
        }
        final Object context = header.context();
        onClientFrame(buffer, offset, length, header.sessionId(),
            context instanceof Image ? ((Image)context).sourceIdentity() : null);
    }

    /**
     * Handle one complete client frame: the gateway's whole request path, callable without Aeron's framing.
     *
     * @param buffer         holds the frame.
     * @param offset         of the frame.
     * @param length         of the frame.
     * @param connectionId   the Aeron session id the frame came on.
     * @param sourceIdentity where the frame came from, {@code host:port} (null when unknown).
     */
    void onClientFrame(final DirectBuffer buffer, final int offset, final int length, final int connectionId,
        final String sourceIdentity)
    {
        final int result = frameDecoder.decode(buffer, offset, length);
        final Session session = sessions.get(connectionId);
        if (ErrorCode.OK.value() == result && ClientHelloDecoder.TEMPLATE_ID == frameDecoder.templateId())
        {
            onHello(session, connectionId, sourceIdentity, buffer, offset, length);
            return;
        }
        if (null == session || Session.READY != session.state)
        {
            monitor.add(MonitorId.GATEWAY_UNKNOWN_CONNECTION, 1);
            return;
        }
        session.lastActiveNs = nowNs;
        if (ClientFrameDecoder.DROP == result)
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED, 1);
            return;
        }
        final long correlationId = frameDecoder.correlationId();
        final int templateId = frameDecoder.templateId();
        if (!session.rateLimit.tryAcquire(nowNs))
        {
            reject(session, correlationId, templateId, ErrorCode.RATE_LIMITED);
            return;
        }
        if (ErrorCode.OK.value() != result)
        {
            reject(session, correlationId, templateId, ErrorCode.get((short)result));
            return;
        }

        final Route route = frameDecoder.route();
        if (route.requiresSession())
        {
            final ErrorCode code = sessions.authenticate(session, frameDecoder.tokenHi(), frameDecoder.tokenLo(), nowNs);
            if (ErrorCode.OK != code)
            {
                if (ErrorCode.SESSION_EXPIRED == code)
                {
                    monitor.add(MonitorId.GATEWAY_LOGOUTS, 1);
                    monitor.set(MonitorId.GATEWAY_SESSIONS, sessions.sessions());
                }
                reject(session, correlationId, templateId, code);
                return;
            }
            if (0 != frameDecoder.uin() && frameDecoder.uin() != session.uin)
            {
                reject(session, correlationId, templateId, ErrorCode.FORBIDDEN);
                return;
            }
        }

        if (LogoutDecoder.TEMPLATE_ID == templateId)
        {
            sessions.logOut(session);
            monitor.add(MonitorId.GATEWAY_LOGOUTS, 1);
            monitor.set(MonitorId.GATEWAY_SESSIONS, sessions.sessions());
            send(session, correlationId, templateId, ErrorCode.OK);
            return;
        }
        if (LoginDecoder.TEMPLATE_ID == templateId && !sessions.canLogIn(session))
        {
            reject(session, correlationId, templateId, ErrorCode.TOO_MANY_SESSIONS);
            return;
        }
        if (session.inFlight >= ctx.maxInFlightPerSession)
        {
            reject(session, correlationId, templateId, ErrorCode.TOO_MANY_IN_FLIGHT);
            return;
        }
        forward(session, route, correlationId, templateId, buffer, offset, length);
    }

    private void forward(final Session session, final Route route, final long correlationId, final int templateId,
        final DirectBuffer buffer, final int offset, final int length)
    {
        final Publication publication = servicePublications[route.serviceId()];
        if (null == publication)
        {
            reject(session, correlationId, templateId, ErrorCode.UNAVAILABLE);
            return;
        }
        final long gatewayRequestId = pending.add(session, correlationId, templateId, route.serviceId(), nowNs,
            nowNs + ctx.serviceTimeoutNs);
        if (gatewayRequestId < 0)
        {
            reject(session, correlationId, templateId, ErrorCode.BUSY);
            return;
        }
        serviceRequestEncoder.wrapAndApplyHeader(outbound, 0, envelopeHeaderEncoder)
            .gatewayRequestId(gatewayRequestId)
            .connectionId(session.connectionId)
            .uin(session.uin)
            .deviceId(session.deviceId)
            .putRequest(buffer, offset, length);
        final long position = Publications.offer(publication, outbound, 0,
            ENVELOPE_HEADER + serviceRequestEncoder.encodedLength());
        if (position > 0)
        {
            session.inFlight++;
            monitor.add(MonitorId.GATEWAY_FORWARDED, 1);
            return;
        }
        pending.take(gatewayRequestId);
        reject(session, correlationId, templateId,
            Publication.BACK_PRESSURED == position || Publication.ADMIN_ACTION == position ?
            ErrorCode.BUSY : ErrorCode.UNAVAILABLE);
    }

    // ---- hello

    private void onHello(final Session existing, final int connectionId, final String sourceIdentity,
        final DirectBuffer buffer, final int offset, final int length)
    {
        final int streamId;
        try
        {
            frameView.wrap(buffer, offset, length);
            clientHeaderDecoder.wrap(frameView, 0);
            helloDecoder.wrapAndApplyHeader(frameView, 0, clientHeaderDecoder);
            streamId = helloDecoder.responseStreamId();
            helloDecoder.wrapResponseChannel(channelView);
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            refuseHello(existing);
            return;
        }
        final long correlationId = frameDecoder.correlationId();

        if (null != existing)
        {
            existing.lastActiveNs = nowNs;
            if (existing.responseStreamId == streamId && equalsAscii(existing.responseChannel, channelView))
            {
                existing.helloCorrelationId = correlationId;
                if (Session.READY == existing.state && !helloing.contains(existing))
                {
                    if (existing.rateLimit.tryAcquire(nowNs))
                    {
                        send(existing, correlationId, ClientHelloDecoder.TEMPLATE_ID, ErrorCode.OK);
                    }
                    else
                    {
                        reject(existing, correlationId, ClientHelloDecoder.TEMPLATE_ID, ErrorCode.RATE_LIMITED);
                    }
                }
                return;
            }
            // the connection names another response channel: start it afresh, logged out
            helloing.remove(existing);
            releasePublication(existing);
            sessions.close(existing);
        }

        final String channel = channelView.getStringWithoutLengthAscii(0, channelView.capacity());
        if (streamId <= 0 || !Channels.isUnicastUdp(channel) || !hostAllowed(channel, sourceIdentity))
        {
            monitor.add(MonitorId.GATEWAY_CONNECTIONS_REFUSED, 1);
            return;
        }
        final Session session = sessions.open(connectionId, nowNs);
        if (null == session)
        {
            monitor.add(MonitorId.GATEWAY_CONNECTIONS_REFUSED, 1);
            return;
        }
        session.responseChannel = channel;
        session.responseStreamId = streamId;
        session.helloCorrelationId = correlationId;
        session.helloDeadlineNs = nowNs + ctx.serviceTimeoutNs;
        try
        {
            session.publicationRegistrationId = aeron.asyncAddPublication(channel, streamId);
        }
        catch (final RuntimeException ex)
        {
            sessions.close(session);
            monitor.add(MonitorId.GATEWAY_CONNECTIONS_REFUSED, 1);
            return;
        }
        helloing.add(session);
        monitor.set(MonitorId.GATEWAY_CONNECTIONS, sessions.connections());
    }

    private void refuseHello(final Session existing)
    {
        if (null != existing && Session.READY == existing.state)
        {
            reject(existing, frameDecoder.correlationId(), ClientHelloDecoder.TEMPLATE_ID, ErrorCode.BAD_REQUEST);
        }
        else
        {
            monitor.add(MonitorId.GATEWAY_CONNECTIONS_REFUSED, 1);
        }
    }

    private boolean hostAllowed(final String channel, final String sourceIdentity)
    {
        if (!ctx.requireResponseHostMatch)
        {
            return true;
        }
        if (null == sourceIdentity)
        {
            return false;
        }
        final String endpoint = channel.substring(channel.indexOf('=') + 1);
        final String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        final int colon = sourceIdentity.lastIndexOf(':');
        final String sourceHost = colon > 0 ? sourceIdentity.substring(0, colon) : sourceIdentity;
        return host.equals(sourceHost);
    }

    private int progressHellos()
    {
        int work = 0;
        for (int i = helloing.size() - 1; i >= 0; i--)
        {
            final Session session = helloing.get(i);
            if (null == session.publication)
            {
                try
                {
                    session.publication = aeron.getPublication(session.publicationRegistrationId);
                }
                catch (final AeronException ex)
                {
                    helloing.remove(i);
                    sessions.close(session);
                    monitor.add(MonitorId.GATEWAY_CONNECTIONS_REFUSED, 1);
                    work++;
                    continue;
                }
                if (null != session.publication)
                {
                    session.state = Session.READY;
                }
            }
            if (null != session.publication && session.publication.isConnected())
            {
                helloing.remove(i);
                monitor.add(MonitorId.GATEWAY_HELLOS, 1);
                send(session, session.helloCorrelationId, ClientHelloDecoder.TEMPLATE_ID, ErrorCode.OK);
                work++;
            }
            else if (nowNs - session.helloDeadlineNs >= 0)
            {
                // the client never became reachable on the channel it named
                helloing.remove(i);
                releasePublication(session);
                sessions.close(session);
                monitor.add(MonitorId.GATEWAY_CONNECTIONS_REFUSED, 1);
                work++;
            }
        }
        return work;
    }

    // ---- service replies

    private void onReplyFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (Envelopes.fits(buffer, offset, length, ServicePushDecoder.TEMPLATE_ID, ServicePushDecoder.BLOCK_LENGTH))
        {
            onPush(buffer, offset, length);
            return;
        }
        if (!Envelopes.fits(buffer, offset, length, ServiceReplyDecoder.TEMPLATE_ID, ServiceReplyDecoder.BLOCK_LENGTH))
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED_REPLIES, 1);
            return;
        }
        final long gatewayRequestId;
        final long authUin;
        final long authDeviceId;
        try
        {
            frameView.wrap(buffer, offset, length);
            envelopeHeaderDecoder.wrap(frameView, 0);
            serviceReplyDecoder.wrapAndApplyHeader(frameView, 0, envelopeHeaderDecoder);
            gatewayRequestId = serviceReplyDecoder.gatewayRequestId();
            authUin = serviceReplyDecoder.authUin();
            authDeviceId = serviceReplyDecoder.authDeviceId();
            serviceReplyDecoder.wrapResponse(responseView);
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED_REPLIES, 1);
            return;
        }

        final PendingRequests.Entry entry = pending.take(gatewayRequestId);
        if (null == entry)
        {
            monitor.add(MonitorId.GATEWAY_LATE_REPLIES, 1);
            return;
        }
        final Session session = entry.session;
        if (session.generation != entry.sessionGeneration || Session.READY != session.state)
        {
            monitor.add(MonitorId.GATEWAY_LATE_REPLIES, 1);
            return;
        }
        session.inFlight--;
        final long latencyUs = (nowNs - entry.startNs) / 1000;
        if (latencyUs > intervalMaxUs)
        {
            intervalMaxUs = latencyUs;
        }

        if (0 != authUin && LoginDecoder.TEMPLATE_ID == entry.templateId)
        {
            onLoggedIn(session, entry.correlationId, authUin, authDeviceId);
        }
        else if (responseView.capacity() >= CLIENT_HEADER)
        {
            offer(session, responseView, 0, responseView.capacity());
        }
        else
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED_REPLIES, 1);
        }
    }

    private void onPush(final DirectBuffer buffer, final int offset, final int length)
    {
        final long uin;
        final int excludedConnection;
        try
        {
            frameView.wrap(buffer, offset, length);
            envelopeHeaderDecoder.wrap(frameView, 0);
            servicePushDecoder.wrapAndApplyHeader(frameView, 0, envelopeHeaderDecoder);
            uin = servicePushDecoder.uin();
            excludedConnection = servicePushDecoder.excludeConnectionId();
            servicePushDecoder.wrapFrame(responseView);
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED_REPLIES, 1);
            return;
        }
        if (responseView.capacity() < CLIENT_HEADER)
        {
            monitor.add(MonitorId.GATEWAY_MALFORMED_REPLIES, 1);
            return;
        }
        for (Session session = sessions.sessionsOf(uin); null != session; session = session.nextOfUin())
        {
            if (session.connectionId == excludedConnection || Session.READY != session.state)
            {
                continue;
            }
            final Publication publication = session.publication;
            if (null != publication && Publications.offer(publication, responseView, 0, responseView.capacity()) > 0)
            {
                monitor.add(MonitorId.GATEWAY_PUSHES, 1);
            }
            else
            {
                monitor.add(MonitorId.GATEWAY_PUSH_DROPPED, 1);
            }
        }
    }

    private void onLoggedIn(final Session session, final long correlationId, final long uin, final long deviceId)
    {
        final ErrorCode code = uin > ClientProtocol.MAX_UIN ? ErrorCode.INTERNAL :
            sessions.logIn(session, uin, deviceId, nowNs);
        if (ErrorCode.OK == code)
        {
            monitor.add(MonitorId.GATEWAY_LOGINS, 1);
            monitor.set(MonitorId.GATEWAY_SESSIONS, sessions.sessions());
        }
        else
        {
            countReject(code);
        }
        final boolean ok = ErrorCode.OK == code;
        loginResponseEncoder.wrapAndApplyHeader(response, 0, clientHeaderEncoder)
            .correlationId(correlationId)
            .code(code)
            .uin(ok ? uin : 0)
            .expiresInMs(ok ? TimeUnit.NANOSECONDS.toMillis(sessions.sessionTtlNs()) : 0)
            .token().hi(ok ? sessions.tokenHi(session) : 0).lo(ok ? sessions.tokenLo(session) : 0);
        offer(session, response, 0, CLIENT_HEADER + loginResponseEncoder.encodedLength());
    }

    private void onExpired(final PendingRequests.Entry entry)
    {
        monitor.add(MonitorId.GATEWAY_SERVICE_TIMEOUTS, 1);
        final Session session = entry.session;
        if (session.generation == entry.sessionGeneration && Session.READY == session.state)
        {
            session.inFlight--;
            reject(session, entry.correlationId, entry.templateId, ErrorCode.UNAVAILABLE);
        }
    }

    // ---- housekeeping

    private int housekeeping()
    {
        int work = pending.expire(nowNs, onExpired);
        if (nowNs - nextEvictionNs >= 0)
        {
            nextEvictionNs = nowNs + EVICTION_INTERVAL_NS;
            liveConnections.clear();
            for (final Image image : clientSubscription.images())
            {
                liveConnections.add(image.sessionId());
            }
            final int evicted = sessions.evict(nowNs, isGone, onEvict);
            final int expired = sessions.expire(nowNs);
            monitor.add(MonitorId.GATEWAY_EVICTED, evicted);
            monitor.add(MonitorId.GATEWAY_LOGOUTS, expired);
            monitor.set(MonitorId.GATEWAY_CONNECTIONS, sessions.connections());
            monitor.set(MonitorId.GATEWAY_SESSIONS, sessions.sessions());
            monitor.set(MonitorId.GATEWAY_LATENCY_MAX_US, intervalMaxUs);
            intervalMaxUs = 0;
            work += evicted + expired;
        }
        return work;
    }

    private void releasePublication(final Session session)
    {
        helloing.remove(session);
        try
        {
            if (null != session.publication)
            {
                session.publication.close();
            }
            else if (0 != session.publicationRegistrationId)
            {
                aeron.asyncRemovePublication(session.publicationRegistrationId);
            }
        }
        catch (final RuntimeException ex)
        {
            monitor.errorHandler().onError(ex);
        }
        session.publication = null;
        session.publicationRegistrationId = 0;
    }

    // ---- answering clients

    private void reject(final Session session, final long correlationId, final int templateId, final ErrorCode code)
    {
        countReject(code);
        send(session, correlationId, templateId, code);
    }

    private void countReject(final ErrorCode code)
    {
        final int id = rejectIds[code.value()];
        if (0 != id)
        {
            monitor.add(id, 1);
        }
    }

    private void send(final Session session, final long correlationId, final int templateId, final ErrorCode code)
    {
        responseEncoder.wrapAndApplyHeader(response, 0, clientHeaderEncoder)
            .correlationId(correlationId)
            .code(code)
            .requestTemplateId(templateId);
        offer(session, response, 0, CLIENT_HEADER + responseEncoder.encodedLength());
    }

    private void offer(final Session session, final DirectBuffer buffer, final int offset, final int length)
    {
        final Publication publication = session.publication;
        if (null != publication && Publications.offer(publication, buffer, offset, length) > 0)
        {
            monitor.add(MonitorId.GATEWAY_REPLIES, 1);
        }
        else
        {
            monitor.add(MonitorId.GATEWAY_REPLY_DROPPED, 1);
        }
    }

    private static boolean equalsAscii(final String text, final DirectBuffer bytes)
    {
        if (null == text || text.length() != bytes.capacity())
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) != bytes.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Settings of a {@link GatewayAgent}; defaults from {@link GatewayConfiguration}.
     */
    public static final class Context
    {
        private Aeron aeron;
        private Monitor monitor;
        private String endpoint = GatewayConfiguration.endpoint();
        private List<String> replyChannels = List.of(Channels.IPC);
        private List<ServiceLink> services = List.of();
        private List<Route> routes = List.of();
        private int maxConnections = GatewayConfiguration.maxConnections();
        private int maxSessions = GatewayConfiguration.maxSessions();
        private long sessionTtlNs = TimeUnit.MILLISECONDS.toNanos(GatewayConfiguration.sessionTtlMs());
        private long idleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(GatewayConfiguration.idleTimeoutMs());
        private long rateLimit = GatewayConfiguration.rateLimit();
        private long rateBurst = GatewayConfiguration.rateBurst();
        private int maxInFlightPerSession = GatewayConfiguration.maxInFlight();
        private int maxPending = GatewayConfiguration.maxPending();
        private long serviceTimeoutNs = TimeUnit.MILLISECONDS.toNanos(GatewayConfiguration.serviceTimeoutMs());
        private boolean requireResponseHostMatch = GatewayConfiguration.requireResponseHostMatch();
        private NanoClock clock = SystemNanoClock.INSTANCE;

        /**
         * Validate the settings.
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
            if (null == monitor)
            {
                throw new IllegalArgumentException("monitor must be set");
            }
            if (null == endpoint || !endpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("endpoint=" + endpoint + " must be host:port");
            }
            if (replyChannels.isEmpty())
            {
                throw new IllegalArgumentException("replyChannels must name at least one channel");
            }
            for (final ServiceLink link : services)
            {
                if (link.serviceId() <= Route.GATEWAY || link.serviceId() >= Route.MAX_SERVICE_ID)
                {
                    throw new IllegalArgumentException("service " + link.name() + " serviceId=" + link.serviceId() +
                        " must be in [1, " + Route.MAX_SERVICE_ID + ")");
                }
            }
            if (maxConnections < 1 || maxConnections > 1_000_000)
            {
                throw new IllegalArgumentException("maxConnections=" + maxConnections + " must be in [1, 1000000]");
            }
            if (maxSessions < 1 || maxSessions > maxConnections)
            {
                throw new IllegalArgumentException("maxSessions=" + maxSessions + " must be in [1, maxConnections=" +
                    maxConnections + "]");
            }
            if (sessionTtlNs <= 0 || idleTimeoutNs <= 0 || serviceTimeoutNs <= 0)
            {
                throw new IllegalArgumentException("sessionTtlNs=" + sessionTtlNs + ", idleTimeoutNs=" +
                    idleTimeoutNs + " and serviceTimeoutNs=" + serviceTimeoutNs + " must be > 0");
            }
            new TokenBucket(rateLimit, rateBurst);
            if (maxInFlightPerSession < 1)
            {
                throw new IllegalArgumentException("maxInFlightPerSession=" + maxInFlightPerSession + " must be >= 1");
            }
            if (maxPending < 1 || maxPending > 1 << 24)
            {
                throw new IllegalArgumentException("maxPending=" + maxPending + " must be in [1, 16777216]");
            }
            return this;
        }

        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public Context monitor(final Monitor monitor)
        {
            this.monitor = monitor;
            return this;
        }

        /** @param endpoint host:port where clients send requests; port 0 binds any free port. */
        public Context endpoint(final String endpoint)
        {
            this.endpoint = endpoint;
            return this;
        }

        /** @param replyChannels where services send their replies: {@code aeron:ipc} and/or a UDP channel. */
        public Context replyChannels(final List<String> replyChannels)
        {
            this.replyChannels = List.copyOf(replyChannels);
            return this;
        }

        /** @param services where each service takes its requests. */
        public Context services(final List<ServiceLink> services)
        {
            this.services = List.copyOf(services);
            return this;
        }

        /** @param routes which template goes where; templates without a route are UNKNOWN_REQUEST. */
        public Context routes(final List<Route> routes)
        {
            this.routes = List.copyOf(routes);
            return this;
        }

        public Context maxConnections(final int maxConnections)
        {
            this.maxConnections = maxConnections;
            return this;
        }

        public Context maxSessions(final int maxSessions)
        {
            this.maxSessions = maxSessions;
            return this;
        }

        public Context sessionTtlNs(final long sessionTtlNs)
        {
            this.sessionTtlNs = sessionTtlNs;
            return this;
        }

        public Context idleTimeoutNs(final long idleTimeoutNs)
        {
            this.idleTimeoutNs = idleTimeoutNs;
            return this;
        }

        /** @param rateLimit sustained requests per second per connection. */
        public Context rateLimit(final long rateLimit)
        {
            this.rateLimit = rateLimit;
            return this;
        }

        /** @param rateBurst requests per connection at once after a quiet period. */
        public Context rateBurst(final long rateBurst)
        {
            this.rateBurst = rateBurst;
            return this;
        }

        public Context maxInFlightPerSession(final int maxInFlightPerSession)
        {
            this.maxInFlightPerSession = maxInFlightPerSession;
            return this;
        }

        public Context maxPending(final int maxPending)
        {
            this.maxPending = maxPending;
            return this;
        }

        public Context serviceTimeoutNs(final long serviceTimeoutNs)
        {
            this.serviceTimeoutNs = serviceTimeoutNs;
            return this;
        }

        public Context requireResponseHostMatch(final boolean requireResponseHostMatch)
        {
            this.requireResponseHostMatch = requireResponseHostMatch;
            return this;
        }

        public Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }
    }
}
