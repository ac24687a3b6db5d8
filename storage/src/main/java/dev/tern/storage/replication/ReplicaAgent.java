package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.KvConnectDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderDecoder;
import dev.tern.transport.Channels;
import dev.tern.transport.Publications;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Runs a {@link Replica} over Aeron UDP (call {@code replica().recover()} before the first duty cycle): polls the peer and client subscriptions into it, sends its messages on
 * publications to each peer, and answers each client on the response channel the client named in its KvConnect.
 * Duty cycle: poll, then the replica's cycle (timers, group commit, shipping, sending).
 */
public final class ReplicaAgent implements Agent, PeerTransport, ClientTransport
{
    private final Replica replica;
    private final Aeron aeron;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final String roleName;
    private final int maxClients;
    private final Subscription peerSubscription;
    private final Subscription clientSubscription;
    private final Publication[] peerPublications;
    private final Int2ObjectHashMap<Publication> clientPublications = new Int2ObjectHashMap<>();
    private final FragmentHandler peerHandler;
    private final FragmentHandler clientHandler;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final KvConnectDecoder connectDecoder = new KvConnectDecoder();
    private final UnsafeBuffer connectView = new UnsafeBuffer(0, 0);
    private static final long HOUSEKEEPING_INTERVAL_NS = 1_000_000_000L;
    private static final long STATS_INTERVAL_NS = 100_000_000L;

    private Runnable statsPublisher;
    private long nextStatsNs;

    private long nextHousekeepingNs;
    private long clientsRefused;
    private long repliesWithoutSession;

    /**
     * @param replicaContext the replica's settings; the agent sets its transports.
     * @param aeron          a connected client.
     * @param replicas       the group's replica endpoints (host:port), in replica index order.
     * @param clock          the clock of the duty cycle.
     * @param maxClients     client sessions kept at once; more KvConnects are refused (counted).
     */
    public ReplicaAgent(
        final Replica.Context replicaContext, final Aeron aeron, final List<String> replicas, final NanoClock clock,
        final ErrorHandler errorHandler, final int maxClients)
    {
        this.aeron = aeron;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.maxClients = maxClients;
        replicaContext.peerTransport(this).clientTransport(this).errorHandler(errorHandler).conclude();
        replica = new Replica(replicaContext);
        final int self = replica.replicaIndex();
        roleName = "tern-kv-replica-" + replica.groupId() + "-" + self;

        Subscription peerSub = null;
        Subscription clientSub = null;
        final Publication[] publications = new Publication[replicas.size()];
        try
        {
            final String own = Channels.udp(replicas.get(self));
            peerSub = aeron.addSubscription(own, Channels.KV_PEER_STREAM_ID);
            clientSub = aeron.addSubscription(own, Channels.KV_REQUEST_STREAM_ID);
            for (int i = 0; i < replicas.size(); i++)
            {
                if (i != self)
                {
                    publications[i] = aeron.addPublication(Channels.udp(replicas.get(i)), Channels.KV_PEER_STREAM_ID);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(peerSub, clientSub);
            CloseHelper.quietCloseAll(publications);
            throw ex;
        }
        peerSubscription = peerSub;
        clientSubscription = clientSub;
        peerPublications = publications;
        peerHandler = new FragmentAssembler((buffer, offset, length, header) ->
            replica.onPeerMessage(buffer, offset, length));
        clientHandler = new FragmentAssembler((buffer, offset, length, header) ->
            onClientFragment(buffer, offset, length, header.sessionId()));
    }

    /** @return the replica this agent runs. */
    public Replica replica()
    {
        return replica;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = peerSubscription.poll(peerHandler, 256);
        work += clientSubscription.poll(clientHandler, 256);
        work += replica.doWork(nowNs);
        if (nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            work += closeGoneClients();
        }
        if (null != statsPublisher && nowNs - nextStatsNs >= 0)
        {
            nextStatsNs = nowNs + STATS_INTERVAL_NS;
            statsPublisher.run();
        }
        return work;
    }

    public String roleName()
    {
        return roleName;
    }

    public void onClose()
    {
        replica.close();
        CloseHelper.closeAll(peerSubscription, clientSubscription);
        CloseHelper.closeAll(peerPublications);
        CloseHelper.closeAll(clientPublications.values());
        clientPublications.clear();
    }

    /**
     * @param statsPublisher run every 100 ms on the agent's thread, to publish the replica's counters.
     * @return this.
     */
    public ReplicaAgent statsPublisher(final Runnable statsPublisher)
    {
        this.statsPublisher = statsPublisher;
        return this;
    }

    /** @return client sessions connected. */
    public int clients()
    {
        return clientPublications.size();
    }

    /** @return KvConnects refused because too many clients were connected. */
    public long clientsRefused()
    {
        return clientsRefused;
    }

    public boolean send(final int peer, final DirectBuffer buffer, final int offset, final int length)
    {
        final Publication publication = peerPublications[peer];
        return null != publication && Publications.offer(publication, buffer, offset, length) > 0;
    }

    public boolean reply(final long clientSession, final DirectBuffer buffer, final int offset, final int length)
    {
        final Publication publication = clientPublications.get((int)clientSession);
        if (null == publication)
        {
            repliesWithoutSession++;
            return false;
        }
        // a term rotation (ADMIN_ACTION) is retried at once: dropping the reply would cost the client a resend
        return Publications.offer(publication, buffer, offset, length) > 0;
    }

    private void onClientFragment(final DirectBuffer buffer, final int offset, final int length, final int sessionId)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            headerDecoder.wrap(buffer, offset);
            if (headerDecoder.schemaId() == MessageHeaderDecoder.SCHEMA_ID &&
                headerDecoder.templateId() == KvConnectDecoder.TEMPLATE_ID)
            {
                onConnect(buffer, offset, length, sessionId);
                return;
            }
        }
        replica.onClientMessage(sessionId, buffer, offset, length);
    }

    private void onConnect(final DirectBuffer buffer, final int offset, final int length, final int sessionId)
    {
        final String channel;
        final int streamId;
        try
        {
            connectView.wrap(buffer, offset, length);
            connectDecoder.wrapAndApplyHeader(connectView, 0, headerDecoder);
            streamId = connectDecoder.responseStreamId();
            channel = connectDecoder.responseChannel();
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            replica.stats().malformed++;
            return;
        }
        if (!Channels.isUnicastUdp(channel))
        {
            replica.stats().malformed++;
            return;
        }
        final Publication existing = clientPublications.get(sessionId);
        if (null != existing)
        {
            if (existing.channel().equals(channel) && existing.streamId() == streamId)
            {
                return;
            }
            clientPublications.remove(sessionId);
            existing.close();
        }
        if (clientPublications.size() >= maxClients)
        {
            clientsRefused++;
            return;
        }
        try
        {
            clientPublications.put(sessionId, aeron.addPublication(channel, streamId));
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private int closeGoneClients()
    {
        int closed = 0;
        for (final Int2ObjectHashMap<Publication>.EntryIterator it = clientPublications.entrySet().iterator();
            it.hasNext(); )
        {
            it.next();
            if (null == clientSubscription.imageBySessionId(it.getIntKey()))
            {
                it.getValue().close();
                it.remove();
                closed++;
            }
        }
        return closed;
    }
}
