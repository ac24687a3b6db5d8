package dev.tern.perf.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.engine.sbe.MessageHeaderEncoder;
import dev.tern.codecs.engine.sbe.ServiceRequestEncoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.service.ServiceConfiguration;
import dev.tern.engine.service.ServiceEvent;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.service.ServiceStage;
import dev.tern.engine.service.WaitStrategies;
import dev.tern.engine.service.contacts.ContactsPipeline;
import dev.tern.perf.codec.Messages;
import dev.tern.perf.transport.RequestWindow;
import dev.tern.transport.Channels;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Tern service pipeline against its raw parts, in one run:
 * <ul>
 *   <li>{@code rawDisruptor}: an LMAX Disruptor ring of Tern's ring size with {@code depth} chained handlers that do
 *   nothing, one producer: events per second. The ceiling of the ring.</li>
 *   <li>{@code servicePipeline}: a real {@link ServicePipeline} with {@code depth} trivial stages (the last answers
 *   OK at once), fed ServiceRequest envelopes over Aeron IPC with {@code window} in flight, as the gateway feeds it:
 *   requests answered per second. Compare with {@code rawDisruptor} of the same depth and with
 *   {@code AeronBenchmark.echo} over IPC with the same window (two IPC hops, no ring).</li>
 * </ul>
 * Both use the service's wait strategy ({@code waitStrategy}: Tern's default, blocking, on a 2-core machine).
 * <p>
 * Run: {@code java -jar perf/target/tern-benchmarks.jar PipelineBenchmark -p depth=2}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dsbe.enable.precedence.checks=false"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark
{
    static final int REQUEST_STREAM_ID = 1101;
    static final int REPLY_STREAM_ID = 1102;

    /** A ring of {@code depth} chained do-nothing handlers. */
    @State(Scope.Benchmark)
    public static class RawState
    {
        @Param({ "2", "4" })
        public int depth;

        @Param(WaitStrategies.DEFAULT)
        public String waitStrategy;

        /** An entry of the raw ring. */
        static final class Event
        {
            long value;
        }

        Disruptor<Event> disruptor;
        RingBuffer<Event> ring;
        final AtomicLong processed = new AtomicLong();

        @Setup(Level.Trial)
        public void setUp()
        {
            disruptor = new Disruptor<>(Event::new, ServiceConfiguration.ringSize(), runnable ->
            {
                final Thread thread = new Thread(runnable, "bench-stage");
                thread.setDaemon(true);
                return thread;
            }, ProducerType.SINGLE, WaitStrategies.of(waitStrategy));
            EventHandlerGroup<Event> group = null;
            for (int i = 0; i < depth; i++)
            {
                final boolean last = i == depth - 1;
                final EventHandler<Event> handler = last ?
                    (event, sequence, endOfBatch) -> processed.lazySet(sequence) :
                    (event, sequence, endOfBatch) -> event.value++;
                group = null == group ? disruptor.handleEventsWith(handler) : group.then(handler);
            }
            ring = disruptor.start();
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            disruptor.halt();
        }
    }

    /** A stage that passes the op on. */
    static final class PassStage extends ServiceStage
    {
        PassStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
        {
            super(handOff, false);
        }

        protected void onOp(final ServiceOp op)
        {
            op.state++;
        }
    }

    /** The last stage: answers OK at once. */
    static final class AnswerStage extends ServiceStage
    {
        AnswerStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
        {
            super(handOff, true);
        }

        protected void onOp(final ServiceOp op)
        {
            replyCode(op, ErrorCode.OK);
        }
    }

    /** A running service of {@code depth} trivial stages, reached over IPC. */
    @State(Scope.Benchmark)
    public static class ServiceState
    {
        @Param({ "2", "4" })
        public int depth;

        @Param(WaitStrategies.DEFAULT)
        public String waitStrategy;

        @Param("64")
        public int window;

        File dir;
        EmbeddedDriver driver;
        Monitor monitor;
        ServicePipeline pipeline;
        AgentRunner io;
        ExclusivePublication requests;
        Subscription replies;
        final UnsafeBuffer envelope = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final UnsafeBuffer clientFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final ServiceRequestEncoder request = new ServiceRequestEncoder();
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 50_000);
        int clientLength;
        long nextRequestId;
        RequestWindow requestWindow;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("tern-pipeline-bench").toFile();
            driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
                .aeronDir(CommonContext.generateRandomDirName()));
            monitor = Monitor.launch(new Monitor.Context().dir(dir).name("bench").heartbeatIntervalMs(0));
            pipeline = ServicePipeline.launch(new ServicePipeline.Context()
                .name("bench")
                .aeron(driver.aeron())
                .monitor(monitor)
                .monitorIds(ContactsPipeline.MONITOR_IDS)
                .requestChannel(Channels.IPC, REQUEST_STREAM_ID)
                .replyChannel(Channels.IPC, REPLY_STREAM_ID)
                .waitStrategy(waitStrategy), ServiceOp::new, (disruptor, handOff) ->
                {
                    final ServiceStage[] stages = new ServiceStage[depth];
                    EventHandlerGroup<ServiceEvent> group = null;
                    for (int i = 0; i < depth; i++)
                    {
                        stages[i] = i == depth - 1 ? new AnswerStage(handOff) : new PassStage(handOff);
                        group = null == group ? disruptor.handleEventsWith(stages[i]) : group.then(stages[i]);
                    }
                    return stages;
                });
            io = new AgentRunner(IdleStrategies.of(IdleStrategies.DEFAULT), Throwable::printStackTrace, null,
                pipeline.agent());
            AgentRunner.startOnThread(io);
            replies = driver.aeron().addSubscription(Channels.IPC, REPLY_STREAM_ID);
            requests = driver.aeron().addExclusivePublication(Channels.IPC, REQUEST_STREAM_ID);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!requests.isConnected() || !replies.isConnected())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("the service did not connect");
                }
                idle.idle();
            }
            idle.reset();
            clientLength = new Messages().encodeClientRequest(clientFrame, 0, 1);
            requestWindow = new RequestWindow(window, this::offer, replies);
        }

        private boolean offer()
        {
            request.wrapAndApplyHeader(envelope, 0, header)
                .gatewayRequestId(++nextRequestId)
                .connectionId(1)
                .uin(1)
                .deviceId(1)
                .putRequest(clientFrame, 0, clientLength);
            return requests.offer(envelope, 0, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength()) > 0;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.quietCloseAll(io, pipeline, requests, replies, monitor, driver);
            IoUtil.delete(dir, true);
        }
    }

    @Benchmark
    public long rawDisruptor(final RawState state)
    {
        final RingBuffer<RawState.Event> ring = state.ring;
        final long sequence = ring.next();
        ring.get(sequence).value = sequence;
        ring.publish(sequence);
        return sequence;
    }

    @Benchmark
    public int servicePipeline(final ServiceState state)
    {
        return state.requestWindow.roundTrip();
    }
}
