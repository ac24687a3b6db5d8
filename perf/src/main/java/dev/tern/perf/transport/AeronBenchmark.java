package dev.tern.perf.transport;

import dev.tern.perf.codec.Messages;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The raw ceilings of Tern's transport: Aeron message rates over IPC and over UDP on 127.0.0.1, through a real
 * media driver configured as Tern configures its own (the {@code tern.aeron.*} settings: shared threading, backoff
 * idle, 4 MiB terms, by default), for the very messages Tern sends (a client request, a KV put request: see
 * {@link Messages}).
 * <ul>
 *   <li>{@code stream}: one-way, one publisher, one subscriber thread: messages per second.</li>
 *   <li>{@code echo}: round trips with {@code window} messages in flight, bounced back by an echo thread: round trips
 *   per second. The ceiling of a request/response service over the same transport (gateway services, KVSvr).</li>
 * </ul>
 * Run: {@code java -jar perf/target/tern-benchmarks.jar AeronBenchmark -p transport=udp}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AeronBenchmark
{
    static final int STREAM_ID = 1001;
    static final int ECHO_STREAM_ID = 1002;

    /** A driver, and a channel of the chosen transport. */
    @State(Scope.Benchmark)
    public abstract static class TransportState
    {
        @Param({ "ipc", "udp" })
        public String transport;

        @Param({ Messages.CLIENT_REQUEST, Messages.KV_PUT_REQUEST })
        public String message;

        EmbeddedDriver driver;
        Aeron aeron;
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        int length;
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 50_000);

        void launch()
        {
            driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
                .aeronDir(CommonContext.generateRandomDirName()));
            aeron = driver.aeron();
            length = new Messages().encode(message, frame);
        }

        /** @return a subscription on a new channel of the transport (UDP: a free port of 127.0.0.1). */
        Subscription subscribe(final int streamId)
        {
            return aeron.addSubscription("ipc".equals(transport) ? "aeron:ipc" : "aeron:udp?endpoint=127.0.0.1:0",
                streamId);
        }

        /** @return a publication to the subscription's channel, connected. */
        ExclusivePublication publishTo(final Subscription subscription, final int streamId)
        {
            final String channel = "ipc".equals(transport) ? "aeron:ipc" :
                "aeron:udp?endpoint=" + awaitResolved(subscription);
            final ExclusivePublication publication = aeron.addExclusivePublication(channel, streamId);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!publication.isConnected() || !subscription.isConnected())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("publication to " + channel + " did not connect");
                }
                idle.idle();
            }
            idle.reset();
            return publication;
        }

        private String awaitResolved(final Subscription subscription)
        {
            String endpoint;
            while (null == (endpoint = subscription.resolvedEndpoint()))
            {
                idle.idle();
            }
            idle.reset();
            return endpoint;
        }

        void close()
        {
            CloseHelper.quietClose(driver);
        }
    }

    /** A publication, and a subscriber thread reading and counting. */
    @State(Scope.Benchmark)
    public static class StreamState extends TransportState
    {
        ExclusivePublication publication;
        AgentRunner subscriber;

        @Setup(Level.Trial)
        public void setUp()
        {
            launch();
            final Subscription subscription = subscribe(STREAM_ID);
            publication = publishTo(subscription, STREAM_ID);
            final FragmentHandler count = (buffer, offset, length, header) ->
            {
            };
            subscriber = new AgentRunner(IdleStrategies.of(IdleStrategies.DEFAULT), Throwable::printStackTrace, null,
                new Agent()
                {
                    public int doWork()
                    {
                        return subscription.poll(count, 256);
                    }

                    public String roleName()
                    {
                        return "bench-subscriber";
                    }
                });
            AgentRunner.startOnThread(subscriber);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.quietCloseAll(subscriber, publication);
            close();
        }
    }

    /** A publication to an echo thread, which bounces every message back on a second channel. */
    @State(Scope.Benchmark)
    public static class EchoState extends TransportState
    {
        @Param("64")
        public int window;

        ExclusivePublication requests;
        Subscription replies;
        AgentRunner echo;
        RequestWindow requestWindow;

        @Setup(Level.Trial)
        public void setUp()
        {
            launch();
            final Subscription echoIn = subscribe(STREAM_ID);
            replies = subscribe(ECHO_STREAM_ID);
            requests = publishTo(echoIn, STREAM_ID);
            final ExclusivePublication echoOut = publishTo(replies, ECHO_STREAM_ID);
            final ControlledFragmentHandler bounce = (buffer, offset, length, header) ->
                echoOut.offer(buffer, offset, length) > 0 ? ControlledFragmentHandler.Action.CONTINUE :
                    ControlledFragmentHandler.Action.ABORT;
            echo = new AgentRunner(IdleStrategies.of(IdleStrategies.DEFAULT), Throwable::printStackTrace, null,
                new Agent()
                {
                    public int doWork()
                    {
                        return echoIn.controlledPoll(bounce, 256);
                    }

                    public String roleName()
                    {
                        return "bench-echo";
                    }
                });
            AgentRunner.startOnThread(echo);
            requestWindow = new RequestWindow(window, () -> requests.offer(frame, 0, length) > 0, replies);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.quietCloseAll(echo, requests, replies);
            close();
        }
    }

    @Benchmark
    public long stream(final StreamState state)
    {
        long result;
        while ((result = state.publication.offer(state.frame, 0, state.length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED)
            {
                throw new IllegalStateException("publication lost: " + result);
            }
            state.idle.idle();
        }
        state.idle.reset();
        return result;
    }

    @Benchmark
    public int echo(final EchoState state)
    {
        return state.requestWindow.roundTrip();
    }
}
