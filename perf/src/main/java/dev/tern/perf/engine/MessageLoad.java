package dev.tern.perf.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernClient;
import dev.tern.transport.client.TernClientListener;
import io.aeron.CommonContext;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Issue 6's figures against a running engine ({@code tern run}), over Aeron UDP with the Java client:
 * <ol>
 *   <li>end-to-end send (client to reply after both timelines are stored by quorum): the maximum throughput, closed
 *   loop with {@code --max-in-flight} sends in flight;</li>
 *   <li>p50/p99/p99.9 of sends at {@code --rate-fraction} of that throughput, open loop: each send has an intended
 *   time on a fixed schedule and its latency counts from then (no coordinated omission);</li>
 *   <li>sync of {@code --sync-messages} new messages: p50/p99 over {@code --sync-rounds} rounds;</li>
 *   <li>with {@code --stall-file}: the same open-loop send-text load while send-media is stalled (the engine runs with
 *   {@code -Dtern.messages.test.hooks=true -Dtern.messages.test.stall.file=FILE}; this program creates the file,
 *   stalls send-media with one image of the stall type, and deletes the file at the end).</li>
 * </ol>
 * Sets itself up first: fresh sender and recipient accounts (each recipient takes messages from every sender). Run
 * the engine with the per-connection limits raised, else the load measures the rate limiter (refusals are printed):
 * {@code -Dtern.gateway.rate.limit=1000000 -Dtern.gateway.rate.burst=100000 -Dtern.gateway.max.in.flight=4096}.
 * <p>
 * Run: {@code java <tern flags> -cp perf/target/tern-benchmarks.jar dev.tern.perf.engine.MessageLoad
 * --gateway 127.0.0.1:7070 --seconds 10}
 */
@Command(name = "MessageLoad", mixinStandardHelpOptions = true,
    description = "Measure message send (throughput, latency at a fraction of it) and sync through the gateway.")
public final class MessageLoad implements Callable<Integer>
{
    @Option(names = "--gateway", defaultValue = "127.0.0.1:7070", description = "Gateway host:port. Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--connections", defaultValue = "8",
        description = "Sender connections (one account each). Default: ${DEFAULT-VALUE}.")
    private int connections;

    @Option(names = "--recipients", defaultValue = "8", description = "Recipient accounts. Default: ${DEFAULT-VALUE}.")
    private int recipients;

    @Option(names = "--max-in-flight", defaultValue = "256",
        description = "Sends in flight in total in the throughput run. Default: ${DEFAULT-VALUE}.")
    private int maxInFlight;

    @Option(names = "--rate-fraction", defaultValue = "0.5",
        description = "The open-loop rate as a fraction of the measured throughput. Default: ${DEFAULT-VALUE}.")
    private double rateFraction;

    @Option(names = "--rate", defaultValue = "0",
        description = "The open-loop rate, sends/s; 0: the fraction of the measured throughput. Default: ${DEFAULT-VALUE}.")
    private double fixedRate;

    @Option(names = "--sync-messages", defaultValue = "100",
        description = "New messages each sync returns. Default: ${DEFAULT-VALUE}.")
    private int syncMessages;

    @Option(names = "--sync-rounds", defaultValue = "50", description = "Syncs measured. Default: ${DEFAULT-VALUE}.")
    private int syncRounds;

    @Option(names = "--text-bytes", defaultValue = "64", description = "Bytes of each text. Default: ${DEFAULT-VALUE}.")
    private int textBytes;

    @Option(names = "--stall-file", description = "Also measure with send-media stalled through this file (see above).")
    private File stallFile;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured time per run, s. Default: ${DEFAULT-VALUE}.")
    private int seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured time before each run, s. Default: ${DEFAULT-VALUE}.")
    private int warmupSeconds;

    @Option(names = "--idle", defaultValue = "backoff", description = "The client's idle strategy. Default: ${DEFAULT-VALUE}.")
    private String idleStrategy;

    private static final String PASSWORD = "load-password";

    private final List<Sender> senders = new ArrayList<>();
    private final List<Long> recipientUins = new ArrayList<>();
    private final List<String> recipientNames = new ArrayList<>();
    private UnsafeBuffer text;

    /** One sender connection: its sends in flight, each with the time it counts from. */
    private final class Sender implements TernClientListener
    {
        final String name;
        TernClient client;
        final Long2LongHashMap startNs = new Long2LongHashMap(-1);
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Map<ErrorCode, Long> refusals = new EnumMap<>(ErrorCode.class);
        final long idBase = ThreadLocalRandom.current().nextLong(1L << 40) << 20;
        long nextId;
        long completed;
        int next;
        int target;
        long intervalNs;
        long nextIntendedNs;

        Sender(final String name)
        {
            this.name = name;
        }

        private boolean send(final long countFromNs)
        {
            final long to = recipientUins.get(next++ % recipientUins.size());
            final long correlationId = client.sendText(to, idBase + ++nextId, text, 0, text.capacity());
            if (correlationId < 0)
            {
                return false;
            }
            startNs.put(correlationId, countFromNs);
            return true;
        }

        /** Closed loop: keep {@link #target} sends in flight. */
        void pumpClosed()
        {
            boolean sent = true;
            while (sent && startNs.size() < target)
            {
                sent = send(System.nanoTime());
            }
        }

        /** Open loop: send everything whose intended time has come, latency counted from that time. */
        void pumpOpen(final long nowNs)
        {
            while (nowNs - nextIntendedNs >= 0 && send(nextIntendedNs))
            {
                nextIntendedNs += intervalNs;
            }
        }

        public void onSent(final long correlationId, final ErrorCode code, final long recipientSeq,
            final long senderSeq)
        {
            final long start = startNs.remove(correlationId);
            if (start < 0)
            {
                return;
            }
            if (ErrorCode.OK == code)
            {
                histogram.recordValue(Math.max(0, System.nanoTime() - start));
                completed++;
            }
            else
            {
                refusals.merge(code, 1L, Long::sum);
            }
        }
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new MessageLoad()).execute(args));
    }

    public Integer call() throws IOException
    {
        final byte[] bytes = new byte[textBytes];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)('a' + i % 26);
        }
        text = new UnsafeBuffer(bytes);
        try (EmbeddedDriver driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
            .aeronDir(CommonContext.generateRandomDirName())))
        {
            setUp(driver);
            System.out.printf("%-28s %12s %10s %10s %10s %10s  %s%n",
                "run", "sends/s", "p50 us", "p99 us", "p99.9 us", "max us", "refused");
            final double maxRate = closedLoop("send, max throughput");
            final double rate = fixedRate > 0 ? fixedRate : maxRate * rateFraction;
            final Histogram quiet = openLoop("send at " + Math.round(rate) + "/s", rate);
            syncs(driver);
            if (null != stallFile)
            {
                stalled(driver, rate, quiet);
            }
            return 0;
        }
        finally
        {
            for (final Sender sender : senders)
            {
                CloseHelper.quietClose(sender.client);
            }
        }
    }

    private TernBlockingClient blocking(final EmbeddedDriver driver)
    {
        return TernBlockingClient.connect(new TernClient.Context().aeron(driver.aeron()).gatewayEndpoint(gateway),
            Duration.ofSeconds(20));
    }

    private long register(final TernBlockingClient setup, final String name)
    {
        final TernBlockingClient.Registered registered = setup.register(name, PASSWORD);
        if (ErrorCode.OK != registered.code())
        {
            throw new IllegalStateException("register " + name + ": " + registered.code());
        }
        return registered.uin();
    }

    private void setUp(final EmbeddedDriver driver)
    {
        final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        final List<Long> senderUins = new ArrayList<>();
        try (TernBlockingClient setup = blocking(driver))
        {
            for (int i = 0; i < connections; i++)
            {
                final Sender sender = new Sender("msg" + run + "s" + i);
                senderUins.add(register(setup, sender.name));
                senders.add(sender);
            }
            for (int i = 0; i < recipients; i++)
            {
                final String name = "msg" + run + "r" + i;
                recipientUins.add(register(setup, name));
                recipientNames.add(name);
                check(setup.login(name, PASSWORD).code(), "login " + name);
                for (final long sender : senderUins)
                {
                    check(setup.addContact(sender).code(), name + " adds a sender");
                }
            }
        }
        for (final Sender sender : senders)
        {
            sender.client = TernClient.connect(new TernClient.Context()
                .aeron(driver.aeron())
                .gatewayEndpoint(gateway)
                .maxInFlight(100_000)
                .listener(sender));
            final IdleStrategy idle = IdleStrategies.of(idleStrategy);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!sender.client.isConnected() && System.nanoTime() - deadline < 0)
            {
                idle.idle(sender.client.poll());
            }
            sender.client.login(sender.name, PASSWORD, 0);
            while (!sender.client.isLoggedIn() && System.nanoTime() - deadline < 0)
            {
                idle.idle(sender.client.poll());
            }
            if (!sender.client.isLoggedIn())
            {
                throw new IllegalStateException(sender.name + " could not log in");
            }
        }
        System.out.println("MessageLoad: " + connections + " senders and " + recipients + " recipients at " + gateway +
            ", " + textBytes + "-byte texts");
    }

    private static void check(final ErrorCode code, final String what)
    {
        if (ErrorCode.OK != code)
        {
            throw new IllegalStateException(what + ": " + code);
        }
    }

    private double closedLoop(final String label)
    {
        for (int i = 0; i < senders.size(); i++)
        {
            senders.get(i).target = maxInFlight / senders.size() + (i < maxInFlight % senders.size() ? 1 : 0);
        }
        run(TimeUnit.SECONDS.toNanos(warmupSeconds), false);
        reset();
        final long start = System.nanoTime();
        run(TimeUnit.SECONDS.toNanos(seconds), false);
        final double rate = report(label, System.nanoTime() - start);
        for (final Sender sender : senders)
        {
            sender.target = 0;
        }
        drain();
        return rate;
    }

    private Histogram openLoop(final String label, final double rate)
    {
        final long intervalNs = (long)(1e9 * senders.size() / rate);
        final long now = System.nanoTime();
        for (int i = 0; i < senders.size(); i++)
        {
            final Sender sender = senders.get(i);
            sender.intervalNs = intervalNs;
            sender.nextIntendedNs = now + intervalNs * i / senders.size();
        }
        run(TimeUnit.SECONDS.toNanos(warmupSeconds), true);
        reset();
        final long start = System.nanoTime();
        run(TimeUnit.SECONDS.toNanos(seconds), true);
        final long elapsed = System.nanoTime() - start;
        drain();
        report(label, elapsed);
        final Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        senders.forEach(sender -> total.add(sender.histogram));
        return total;
    }

    private void reset()
    {
        for (final Sender sender : senders)
        {
            sender.histogram.reset();
            sender.completed = 0;
            sender.refusals.clear();
        }
    }

    private double report(final String label, final long elapsedNs)
    {
        final Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Map<ErrorCode, Long> refusals = new EnumMap<>(ErrorCode.class);
        long completed = 0;
        for (final Sender sender : senders)
        {
            total.add(sender.histogram);
            completed += sender.completed;
            sender.refusals.forEach((code, n) -> refusals.merge(code, n, Long::sum));
        }
        final double rate = completed * 1e9 / elapsedNs;
        print(label, rate, total, refusals.isEmpty() ? "-" : refusals.toString());
        return rate;
    }

    private static void print(final String label, final double rate, final Histogram histogram, final String note)
    {
        System.out.printf("%-28s %12.0f %10.1f %10.1f %10.1f %10.1f  %s%n", label, rate,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getValueAtPercentile(99.9) / 1000.0, histogram.getMaxValue() / 1000.0, note);
    }

    private void run(final long durationNs, final boolean open)
    {
        final IdleStrategy idle = IdleStrategies.of(idleStrategy);
        final long end = System.nanoTime() + durationNs;
        long now;
        while ((now = System.nanoTime()) - end < 0)
        {
            int work = 0;
            for (final Sender sender : senders)
            {
                if (open)
                {
                    sender.pumpOpen(now);
                }
                else
                {
                    sender.pumpClosed();
                }
                work += sender.client.poll();
            }
            idle.idle(work);
        }
    }

    private void drain()
    {
        final IdleStrategy idle = IdleStrategies.of(idleStrategy);
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean busy = true;
        while (busy && System.nanoTime() - end < 0)
        {
            busy = false;
            int work = 0;
            for (final Sender sender : senders)
            {
                work += sender.client.poll();
                busy |= !sender.startNs.isEmpty();
            }
            idle.idle(work);
        }
    }

    /** Sync of N new messages: a fresh recipient gets N messages, then syncs them from its last key. */
    private void syncs(final EmbeddedDriver driver)
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final String name = recipientNames.get(0);
        try (TernBlockingClient device = blocking(driver); TernBlockingClient sender = blocking(driver))
        {
            check(device.login(name, PASSWORD, 7).code(), "login " + name);
            check(sender.login(senders.get(0).name, PASSWORD, 7).code(), "login " + senders.get(0).name);
            long key = catchUp(device, 0);
            final long base = ThreadLocalRandom.current().nextLong(1L << 40) << 20;
            final String body = new String(text.byteArray(), StandardCharsets.US_ASCII);
            for (int round = 0; round < syncRounds; round++)
            {
                for (int i = 0; i < syncMessages; i++)
                {
                    check(sender.sendText(recipientUins.get(0), base + round * (long)syncMessages + i, body).code(),
                        "send for sync");
                }
                final long start = System.nanoTime();
                final TernBlockingClient.Synced synced = device.sync(key, syncMessages);
                histogram.recordValue(System.nanoTime() - start);
                check(synced.code(), "sync");
                if (synced.messages().size() != syncMessages)
                {
                    throw new IllegalStateException("sync returned " + synced.messages().size() + " of " +
                        syncMessages + " new messages (more=" + synced.more() + ", retry after " +
                        synced.retryAfterMs() + " ms)");
                }
                key = catchUp(device, synced.syncKey());
            }
        }
        print("sync of " + syncMessages + " new messages", syncRounds, histogram, syncRounds + " syncs");
    }

    private static long catchUp(final TernBlockingClient device, final long from)
    {
        long key = from;
        TernBlockingClient.Synced synced;
        do
        {
            synced = device.sync(key, 100);
            check(synced.code(), "sync");
            key = synced.syncKey();
        }
        while (synced.more());
        return key;
    }

    /** The open-loop send-text load again with send-media stalled, beside the quiet run. */
    private void stalled(final EmbeddedDriver driver, final double rate, final Histogram quiet) throws IOException
    {
        Files.writeString(stallFile.toPath(), "stall", StandardCharsets.US_ASCII);
        final TernClient media = TernClient.connect(new TernClient.Context()
            .aeron(driver.aeron())
            .gatewayEndpoint(gateway)
            .listener(new TernClientListener()
            {
            }));
        try
        {
            final IdleStrategy idle = IdleStrategies.of(idleStrategy);
            while (!media.isConnected())
            {
                idle.idle(media.poll());
            }
            media.login(senders.get(0).name, PASSWORD, 9);
            while (!media.isLoggedIn())
            {
                idle.idle(media.poll());
            }
            media.sendImage(recipientUins.get(0), System.nanoTime(), "blob:stall", "x-test/stall", 1,
                new UnsafeBuffer(new byte[0]), 0, 0);
            media.poll();
            final Histogram stalledRun = openLoop("send at " + Math.round(rate) + "/s, media stalled", rate);
            System.out.printf("send-text p99 with send-media stalled: %.1f us, quiet: %.1f us (%+.1f%%)%n",
                stalledRun.getValueAtPercentile(99) / 1000.0, quiet.getValueAtPercentile(99) / 1000.0,
                100.0 * (stalledRun.getValueAtPercentile(99) - quiet.getValueAtPercentile(99)) /
                quiet.getValueAtPercentile(99));
        }
        finally
        {
            Files.deleteIfExists(stallFile.toPath());
            media.close();
        }
    }
}
