package dev.tern.engine.seq;

import dev.tern.codecs.engine.sbe.MessageHeaderDecoder;
import dev.tern.codecs.engine.sbe.MessageHeaderEncoder;
import dev.tern.codecs.engine.sbe.SeqConnectDecoder;
import dev.tern.codecs.engine.sbe.SeqReplyEncoder;
import dev.tern.codecs.engine.sbe.SeqRequestDecoder;
import dev.tern.codecs.engine.sbe.SeqResult;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.service.Envelopes;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.transport.Channels;
import dev.tern.transport.Publications;
import dev.tern.transport.client.ClientProtocol;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sequence allocator (WeChat's seqsvr) as a small service of its own: the send services ask it for their users'
 * next sequences over Aeron (IPC in one process, UDP across processes), and it answers from memory under ceilings
 * kept in KVSvr ({@link SeqAllocator}). It reads nothing of a message but two UINs, so nothing a client sends can
 * make it throw or stall, and a send service that crashes or stalls only stops asking: the other keeps allocating.
 * <p>
 * A send service first names its reply channel in a SeqConnect (on the same Aeron publication as its requests);
 * requests from a publication that never did are dropped and counted (the client times out and connects again).
 * On close it gives up its sections' leases, so a restarted allocator takes them over at once.
 */
public final class SeqAgent implements Agent
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int FRAGMENT_LIMIT = 64;
    private static final long RELEASE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long a reply waits for its requester's reply publication to connect (a new requester's first replies). */
    private static final long REPLY_HOLD_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int HELD_REPLIES = 256;

    private final Context ctx;
    private final Aeron aeron;
    private final Monitor monitor;
    private final EpochClock clock;
    private final KvClient kvClient;
    private final SeqAllocator allocator;
    private final Subscription[] subscriptions;
    private final Int2ObjectHashMap<Publication> publications = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<String> publicationChannels = new Int2ObjectHashMap<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SeqConnectDecoder connectDecoder = new SeqConnectDecoder();
    private final SeqRequestDecoder requestDecoder = new SeqRequestDecoder();
    private final SeqReplyEncoder replyEncoder = new SeqReplyEncoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(new byte[128]);
    private final HeldReplies held = new HeldReplies(HELD_REPLIES);
    private boolean closed;

    private SeqAgent(final Context ctx)
    {
        this.ctx = ctx;
        aeron = ctx.aeron;
        monitor = ctx.monitor;
        clock = ctx.clock;
        KvClient kv = null;
        final Subscription[] subs = new Subscription[ctx.requestChannels.size()];
        try
        {
            kv = KvClient.connect(new KvClient.Context()
                .aeron(aeron)
                .cluster(ctx.cluster)
                .responseEndpoint(ctx.kvResponseEndpoint)
                .requestTimeoutNs(ctx.kvTimeoutNs)
                .attemptTimeoutNs(Math.min(ctx.kvAttemptTimeoutNs, ctx.kvTimeoutNs))
                .maxInFlight(1024));
            for (int i = 0; i < subs.length; i++)
            {
                subs[i] = aeron.addSubscription(ctx.requestChannels.get(i), Channels.SEQ_REQUEST_STREAM_ID);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(subs);
            CloseHelper.quietClose(kv);
            throw ex;
        }
        kvClient = kv;
        subscriptions = subs;
        allocator = new SeqAllocator(new KvCeilingStore(kv), monitor, this::reply, ctx.ownerId, ctx.step,
            ctx.sectionSize, ctx.leaseMs, ctx.clockSkewMs, ctx.timeoutMs, ctx.maxRequests);
    }

    /**
     * Start the allocator: its KV client and request subscriptions. Run it with an AgentRunner, or step it with
     * {@link #doWork()}.
     *
     * @param ctx the settings; concluded here.
     * @return the agent.
     */
    public static SeqAgent launch(final Context ctx)
    {
        ctx.conclude();
        ctx.monitor.declare(MonitorId.SEQ_REQUESTS, MonitorId.SEQ_ALLOCATED, MonitorId.SEQ_REFUSED,
            MonitorId.SEQ_SECTIONS, MonitorId.SEQ_CEILING_WRITES, MonitorId.SEQ_CEILING_CONFLICTS,
            MonitorId.SEQ_WAITING, MonitorId.SEQ_KV_FAILURES, MonitorId.SEQ_MALFORMED, MonitorId.SEQ_EXPIRED,
            MonitorId.SEQ_LEASE_WAITS);
        return new SeqAgent(ctx);
    }

    public String roleName()
    {
        return "tern-seq";
    }

    public int doWork()
    {
        int work = 0;
        for (final Subscription subscription : subscriptions)
        {
            work += subscription.poll(assembler, FRAGMENT_LIMIT);
        }
        work += allocator.doWork(clock.time());
        if (!held.isEmpty())
        {
            work += resendHeld(System.nanoTime());
        }
        return work;
    }

    private int resendHeld(final long nowNs)
    {
        int sent = 0;
        for (int i = held.size() - 1; i >= 0; i--)
        {
            final Publication publication = publications.get(held.session(i));
            if (null != publication && publication.isConnected() &&
                Publications.offer(publication, held.buffer(), held.offset(i), held.length(i)) > 0)
            {
                held.remove(i);
                sent++;
            }
            else if (null == publication || nowNs - held.deadlineNs(i) >= 0)
            {
                held.remove(i);
                monitor.add(MonitorId.SEQ_REFUSED, 1);
            }
        }
        return sent;
    }

    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (allocator.release(clock.time()) > 0)
            {
                final long deadline = System.nanoTime() + RELEASE_WAIT_NS;
                while (allocator.isReleasing() && System.nanoTime() - deadline < 0)
                {
                    allocator.doWork(clock.time());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }
        finally
        {
            CloseHelper.quietCloseAll(subscriptions);
            CloseHelper.quietCloseAll(publications.values());
            CloseHelper.quietClose(kvClient);
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (Envelopes.fits(buffer, offset, length, SeqRequestDecoder.TEMPLATE_ID, SeqRequestDecoder.BLOCK_LENGTH))
        {
            onRequest(buffer, offset, length, header.sessionId());
        }
        else if (Envelopes.fits(buffer, offset, length, SeqConnectDecoder.TEMPLATE_ID, SeqConnectDecoder.BLOCK_LENGTH))
        {
            onConnect(buffer, offset, length, header.sessionId());
        }
        else
        {
            monitor.add(MonitorId.SEQ_MALFORMED, 1);
        }
    }

    private void onConnect(final DirectBuffer buffer, final int offset, final int length, final int session)
    {
        final String channel;
        final int streamId;
        try
        {
            view.wrap(buffer, offset, length);
            headerDecoder.wrap(view, 0);
            connectDecoder.wrapAndApplyHeader(view, 0, headerDecoder);
            streamId = connectDecoder.responseStreamId();
            channel = connectDecoder.responseChannel();
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            monitor.add(MonitorId.SEQ_MALFORMED, 1);
            return;
        }
        if (streamId <= 0 || !(Channels.IPC.equals(channel) || Channels.isUnicastUdp(channel)))
        {
            monitor.add(MonitorId.SEQ_MALFORMED, 1);
            return;
        }
        final String key = channel + "#" + streamId;
        if (key.equals(publicationChannels.get(session)))
        {
            return;
        }
        if (!publicationChannels.containsKey(session) && publications.size() >= ctx.maxConnections)
        {
            monitor.add(MonitorId.SEQ_REFUSED, 1);
            return;
        }
        CloseHelper.quietClose(publications.remove(session));
        try
        {
            publications.put(session, aeron.addPublication(channel, streamId));
            publicationChannels.put(session, key);
        }
        catch (final RuntimeException ex)
        {
            publicationChannels.remove(session);
            monitor.errorHandler().onError(ex);
        }
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length, final int session)
    {
        monitor.add(MonitorId.SEQ_REQUESTS, 1);
        view.wrap(buffer, offset, length);
        headerDecoder.wrap(view, 0);
        requestDecoder.wrapAndApplyHeader(view, 0, headerDecoder);
        final long requestId = requestDecoder.requestId();
        final long first = requestDecoder.firstUin();
        final long second = requestDecoder.secondUin();
        if (!publications.containsKey(session))
        {
            monitor.add(MonitorId.SEQ_REFUSED, 1);
            return;
        }
        if (first < 1 || first > ClientProtocol.MAX_UIN || second > ClientProtocol.MAX_UIN || second == first)
        {
            monitor.add(MonitorId.SEQ_REFUSED, 1);
            reply(session, requestId, SeqResult.BAD_REQUEST, 0, 0, 0, 0);
            return;
        }
        if (!allocator.allocate(requestId, session, first, second, clock.time()))
        {
            monitor.add(MonitorId.SEQ_REFUSED, 1);
            reply(session, requestId, SeqResult.BUSY, 0, 0, 0, 0);
        }
    }

    private void reply(final SeqAllocator.Request request, final SeqResult result)
    {
        final boolean ok = SeqResult.OK == result;
        reply(request.session(), request.requestId(), result, ok ? request.seq(0) : 0, ok ? request.floorMs(0) : 0,
            ok ? request.seq(1) : 0, ok ? request.floorMs(1) : 0);
    }

    private void reply(final int session, final long requestId, final SeqResult result, final long firstSeq,
        final long firstFloorMs, final long secondSeq, final long secondFloorMs)
    {
        final Publication publication = publications.get(session);
        if (null == publication)
        {
            monitor.add(MonitorId.SEQ_REFUSED, 1);
            return;
        }
        replyEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .requestId(requestId)
            .result(result)
            .firstSeq(firstSeq)
            .firstFloorMs(firstFloorMs)
            .secondSeq(secondSeq)
            .secondFloorMs(secondFloorMs);
        final int length = HEADER + replyEncoder.encodedLength();
        if (Publications.offer(publication, replyBuffer, 0, length) < 0 &&
            !held.add(session, replyBuffer, 0, length, System.nanoTime() + REPLY_HOLD_NS))
        {
            // the requester times out and its send fails UNAVAILABLE; the sequences are gaps the sync rule skips
            monitor.add(MonitorId.SEQ_REFUSED, 1);
        }
    }

    /**
     * Settings of a {@link SeqAgent}; defaults from {@link SeqConfiguration}.
     */
    public static final class Context
    {
        private Aeron aeron;
        private Monitor monitor;
        private ClusterConfig cluster;
        private String kvResponseEndpoint = "127.0.0.1:0";
        private long kvTimeoutNs = TimeUnit.SECONDS.toNanos(2);
        private long kvAttemptTimeoutNs = TimeUnit.MILLISECONDS.toNanos(200);
        private List<String> requestChannels = List.of(Channels.IPC);
        private long step = SeqConfiguration.step();
        private int sectionSize = SeqConfiguration.sectionSize();
        private long leaseMs = SeqConfiguration.leaseMs();
        private long clockSkewMs = SeqConfiguration.clockSkewMs();
        private long timeoutMs = SeqConfiguration.timeoutMs();
        private int maxRequests = SeqConfiguration.maxRequests();
        private int maxConnections = 256;
        private long ownerId;
        private EpochClock clock = SystemEpochClock.INSTANCE;

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == aeron || null == monitor || null == cluster)
            {
                throw new IllegalArgumentException("aeron, monitor and cluster must be set");
            }
            if (requestChannels.isEmpty())
            {
                throw new IllegalArgumentException("requestChannels must name at least one channel");
            }
            if (step < 2 || step > 1L << 40)
            {
                throw new IllegalArgumentException("step=" + step + " must be in [2, 2^40]");
            }
            if (sectionSize < 1 || sectionSize > 1 << 24)
            {
                throw new IllegalArgumentException("sectionSize=" + sectionSize + " must be in [1, 16777216]");
            }
            if (leaseMs < 100)
            {
                throw new IllegalArgumentException("leaseMs=" + leaseMs + " must be >= 100");
            }
            if (clockSkewMs < 0)
            {
                throw new IllegalArgumentException("clockSkewMs=" + clockSkewMs + " must be >= 0");
            }
            if (timeoutMs <= 0)
            {
                throw new IllegalArgumentException("timeoutMs=" + timeoutMs + " must be > 0");
            }
            if (maxRequests < 1 || maxConnections < 1)
            {
                throw new IllegalArgumentException("maxRequests=" + maxRequests + " and maxConnections=" +
                    maxConnections + " must be >= 1");
            }
            if (!kvResponseEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("kvResponseEndpoint=" + kvResponseEndpoint + " must be host:port");
            }
            if (0 == ownerId)
            {
                ownerId = new SecureRandom().nextLong() | 1;
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

        /** @param cluster the KVSvr cluster holding the ceilings. */
        public Context cluster(final ClusterConfig cluster)
        {
            this.cluster = cluster;
            return this;
        }

        public Context kvResponseEndpoint(final String kvResponseEndpoint)
        {
            this.kvResponseEndpoint = kvResponseEndpoint;
            return this;
        }

        public Context kvTimeoutNs(final long kvTimeoutNs)
        {
            this.kvTimeoutNs = kvTimeoutNs;
            return this;
        }

        public Context kvAttemptTimeoutNs(final long kvAttemptTimeoutNs)
        {
            this.kvAttemptTimeoutNs = kvAttemptTimeoutNs;
            return this;
        }

        /** @param requestChannels where send services reach the allocator: {@code aeron:ipc} and/or a UDP channel. */
        public Context requestChannels(final List<String> requestChannels)
        {
            this.requestChannels = new ArrayList<>(requestChannels);
            return this;
        }

        public Context step(final long step)
        {
            this.step = step;
            return this;
        }

        public Context sectionSize(final int sectionSize)
        {
            this.sectionSize = sectionSize;
            return this;
        }

        public Context leaseMs(final long leaseMs)
        {
            this.leaseMs = leaseMs;
            return this;
        }

        public Context clockSkewMs(final long clockSkewMs)
        {
            this.clockSkewMs = clockSkewMs;
            return this;
        }

        public Context timeoutMs(final long timeoutMs)
        {
            this.timeoutMs = timeoutMs;
            return this;
        }

        public Context maxRequests(final int maxRequests)
        {
            this.maxRequests = maxRequests;
            return this;
        }

        /** @param ownerId this allocator's identity in the stored records; random by default. */
        public Context ownerId(final long ownerId)
        {
            this.ownerId = ownerId;
            return this;
        }

        public Context clock(final EpochClock clock)
        {
            this.clock = clock;
            return this;
        }
    }
}
