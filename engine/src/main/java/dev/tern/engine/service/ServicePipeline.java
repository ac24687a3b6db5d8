package dev.tern.engine.service;

import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.seq.SeqClient;
import dev.tern.engine.seq.SeqConfiguration;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.cluster.ClusterConfig;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A running logic service: its own Disruptor ring and stages (each on its own thread, waiting with the service's
 * wait strategy), its own exception handlers, monitor IDs and KV client, and the {@link Agent} that does its I/O
 * (requests from the gateway in, KV operations, replies out). The caller runs the agent (on its own thread or with
 * others) and closes the agent's runner before the pipeline.
 * <p>
 * Back-pressure: the service holds at most {@link Context#maxInFlight(int)} requests; a request beyond that, or one
 * the ring has no room for, is answered BUSY at once. A service class wires its stages with {@link #launch}.
 */
public final class ServicePipeline implements AutoCloseable
{
    /**
     * Adds a service's stages to its Disruptor: the service's topology.
     */
    @FunctionalInterface
    public interface Wiring
    {
        /**
         * @param disruptor the service's Disruptor, not started.
         * @param handOff   the queue from the stages to the I/O agent, for the stages' constructors.
         * @return every stage added, the answering stage last.
         */
        ServiceStage[] wire(Disruptor<ServiceEvent> disruptor, ManyToOneConcurrentArrayQueue<ServiceOp> handOff);
    }

    private final Context ctx;
    private final Disruptor<ServiceEvent> disruptor;
    private final ServiceIoAgent agent;
    private final KvClient kvClient;
    private final Subscription requests;
    private final Publication replies;

    private ServicePipeline(final Context ctx, final IntFunction<? extends ServiceOp> opFactory, final Wiring wiring)
    {
        this.ctx = ctx;
        final ServiceOp[] ops = new ServiceOp[ctx.maxInFlight];
        for (int i = 0; i < ops.length; i++)
        {
            ops[i] = opFactory.apply(i);
        }
        final ManyToOneConcurrentArrayQueue<ServiceOp> handOff = new ManyToOneConcurrentArrayQueue<>(ops.length);

        final AtomicInteger threads = new AtomicInteger();
        final ThreadFactory threadFactory = runnable ->
        {
            final Thread thread = new Thread(runnable, "tern-" + ctx.name + "-stage-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        disruptor = new Disruptor<>(ServiceEvent.FACTORY, ctx.ringSize, threadFactory, ProducerType.SINGLE,
            WaitStrategies.of(ctx.waitStrategy));
        final ServiceStage[] stages = wiring.wire(disruptor, handOff);
        for (final ServiceStage stage : stages)
        {
            disruptor.handleExceptionsFor(stage).with(
                new ServiceExceptionHandler(stage, ctx.monitor, ctx.monitorIds.errors()));
        }

        KvClient kv = null;
        Subscription sub = null;
        Publication pub = null;
        try
        {
            if (null != ctx.cluster)
            {
                kv = KvClient.connect(new KvClient.Context()
                    .aeron(ctx.aeron)
                    .cluster(ctx.cluster)
                    .responseEndpoint(ctx.kvResponseEndpoint)
                    .requestTimeoutNs(ctx.kvTimeoutNs)
                    .attemptTimeoutNs(Math.min(ctx.kvAttemptTimeoutNs, ctx.kvTimeoutNs))
                    .maxInFlight(ops.length * ServiceOp.MAX_KV_OPERATIONS)
                    .clock(ctx.clock));
            }
            sub = ctx.aeron.addSubscription(ctx.requestChannel, ctx.requestStreamId);
            pub = ctx.aeron.addPublication(ctx.replyChannel, ctx.replyStreamId);
            final Function<SeqClient.Listener, SeqClient> seqClientFactory = null == ctx.seqRequestChannel ? null :
                listener -> new SeqClient(ctx.aeron, ctx.seqRequestChannel, ctx.seqReplyChannel, ctx.seqReplyStreamId,
                    ops.length, ctx.seqTimeoutMs, ctx.epochClock, listener);
            agent = new ServiceIoAgent(ctx.name, ctx.monitor, ctx.monitorIds, ctx.clock, ctx.epochClock,
                disruptor.start(), ops,
                handOff, kv, seqClientFactory, sub, pub);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(kv, sub, pub);
            disruptor.halt();
            throw ex;
        }
        kvClient = kv;
        requests = sub;
        replies = pub;
    }

    /**
     * Start a service: its ring and stages run at once; run {@link #agent()} to connect it to the gateway.
     *
     * @param ctx       the settings; concluded here.
     * @param opFactory creates the service's ops by slot.
     * @param wiring    adds the service's stages.
     * @return the running pipeline.
     */
    public static ServicePipeline launch(final Context ctx, final IntFunction<? extends ServiceOp> opFactory,
        final Wiring wiring)
    {
        ctx.conclude();
        ctx.monitor.declare(ctx.monitorIds.declared());
        return new ServicePipeline(ctx, opFactory, wiring);
    }

    /** @return the service's name. */
    public String name()
    {
        return ctx.name;
    }

    /** @return the agent that does the service's I/O; the caller runs it. */
    public Agent agent()
    {
        return agent;
    }

    /** Stop the stages (after the agent's runner was closed) and release what the agent did not. */
    public void close()
    {
        disruptor.halt();
        CloseHelper.quietCloseAll(kvClient, requests, replies);
    }

    /**
     * Settings of a {@link ServicePipeline}; defaults from {@link ServiceConfiguration}.
     */
    public static final class Context
    {
        private String name;
        private Aeron aeron;
        private Monitor monitor;
        private ServiceMonitorIds monitorIds;
        private String requestChannel;
        private int requestStreamId;
        private String replyChannel;
        private int replyStreamId;
        private ClusterConfig cluster;
        private String kvResponseEndpoint = "127.0.0.1:0";
        private long kvTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ServiceConfiguration.kvTimeoutMs());
        private long kvAttemptTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ServiceConfiguration.kvAttemptTimeoutMs());
        private int ringSize = ServiceConfiguration.ringSize();
        private int maxInFlight = ServiceConfiguration.maxInFlight();
        private String waitStrategy = ServiceConfiguration.waitStrategy();
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private EpochClock epochClock = SystemEpochClock.INSTANCE;
        private String seqRequestChannel;
        private String seqReplyChannel;
        private int seqReplyStreamId;
        private long seqTimeoutMs = SeqConfiguration.timeoutMs();

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == name || !name.matches("[a-z][a-z0-9-]{0,31}"))
            {
                throw new IllegalArgumentException("name=" + name + " must be 1-32 of [a-z0-9-], a letter first");
            }
            if (null == aeron)
            {
                throw new IllegalArgumentException("aeron must be set");
            }
            if (null == monitor)
            {
                throw new IllegalArgumentException("monitor must be set");
            }
            if (null == monitorIds)
            {
                throw new IllegalArgumentException("monitorIds must be set");
            }
            if (null == requestChannel || requestStreamId == 0)
            {
                throw new IllegalArgumentException("requestChannel=" + requestChannel + " and requestStreamId=" +
                    requestStreamId + " must be set");
            }
            if (null == replyChannel || replyStreamId == 0)
            {
                throw new IllegalArgumentException("replyChannel=" + replyChannel + " and replyStreamId=" +
                    replyStreamId + " must be set");
            }
            if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize=" + ringSize + " must be a power of two >= 2");
            }
            if (maxInFlight < 1 || maxInFlight > 1 << 20)
            {
                throw new IllegalArgumentException("maxInFlight=" + maxInFlight + " must be in [1, 1048576]");
            }
            WaitStrategies.of(waitStrategy);
            if (kvTimeoutNs <= 0 || kvAttemptTimeoutNs <= 0)
            {
                throw new IllegalArgumentException("kvTimeoutNs=" + kvTimeoutNs + " and kvAttemptTimeoutNs=" +
                    kvAttemptTimeoutNs + " must be > 0");
            }
            if (!kvResponseEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("kvResponseEndpoint=" + kvResponseEndpoint + " must be host:port");
            }
            if (null != seqRequestChannel && (null == seqReplyChannel || seqReplyStreamId == 0))
            {
                throw new IllegalArgumentException("seqReplyChannel=" + seqReplyChannel + " and seqReplyStreamId=" +
                    seqReplyStreamId + " must be set with seqRequestChannel");
            }
            if (seqTimeoutMs <= 0)
            {
                throw new IllegalArgumentException("seqTimeoutMs=" + seqTimeoutMs + " must be > 0");
            }
            return this;
        }

        /** @param name the service's name, e.g. {@code account}: thread and role names. */
        public Context name(final String name)
        {
            this.name = name;
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

        public Monitor monitor()
        {
            return monitor;
        }

        public Context monitorIds(final ServiceMonitorIds monitorIds)
        {
            this.monitorIds = monitorIds;
            return this;
        }

        /** @param channel where the service takes ServiceRequests: {@code aeron:ipc} or its UDP endpoint. */
        public Context requestChannel(final String channel, final int streamId)
        {
            this.requestChannel = channel;
            this.requestStreamId = streamId;
            return this;
        }

        /** @param channel where the service sends ServiceReplies: the gateway's. */
        public Context replyChannel(final String channel, final int streamId)
        {
            this.replyChannel = channel;
            this.replyStreamId = streamId;
            return this;
        }

        /** @param cluster the KVSvr cluster; null for a service without storage (KV operations are UNAVAILABLE). */
        public Context cluster(final ClusterConfig cluster)
        {
            this.cluster = cluster;
            return this;
        }

        /** @param kvResponseEndpoint host:port the service's KV client receives on; port 0 for any. */
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

        /** @return how long a KV operation may take, retries included, ns. */
        public long kvTimeoutNs()
        {
            return kvTimeoutNs;
        }

        public Context kvAttemptTimeoutNs(final long kvAttemptTimeoutNs)
        {
            this.kvAttemptTimeoutNs = kvAttemptTimeoutNs;
            return this;
        }

        public Context ringSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return this;
        }

        public Context maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Context waitStrategy(final String waitStrategy)
        {
            this.waitStrategy = waitStrategy;
            return this;
        }

        public Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /** @param epochClock the wall clock, for what a service stamps on data (ms since the epoch). */
        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        public EpochClock epochClock()
        {
            return epochClock;
        }

        /**
         * A service that allocates sequences (the send services) reaches the engine's allocator here.
         *
         * @param requestChannel where the allocator takes requests: {@code aeron:ipc}, or its UDP channel.
         * @param replyChannel   where this service takes replies: {@code aeron:ipc}, or a UDP channel (port 0: any).
         * @param replyStreamId  the reply stream, unique per service in one media driver.
         */
        public Context seqChannels(final String requestChannel, final String replyChannel, final int replyStreamId)
        {
            this.seqRequestChannel = requestChannel;
            this.seqReplyChannel = replyChannel;
            this.seqReplyStreamId = replyStreamId;
            return this;
        }

        /** @param seqTimeoutMs how long an allocation waits for the allocator's reply before it is UNAVAILABLE. */
        public Context seqTimeoutMs(final long seqTimeoutMs)
        {
            this.seqTimeoutMs = seqTimeoutMs;
            return this;
        }

        /** @return the service's name. */
        public String name()
        {
            return name;
        }
    }
}
