package dev.tern.perf.engine;

import dev.tern.codecs.client.sbe.ContactListResponseDecoder;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Login and contact-list round trips against a running gateway ({@code tern run}), over Aeron UDP with the Java
 * client: requests per second and the round-trip latency percentiles (HdrHistogram), with a fixed number of
 * requests in flight spread over several connections (closed loop: each response sends the next request).
 * <p>
 * Sets itself up first: registers one account per connection (fresh names each run), logs each connection in, and
 * gives each account {@code --contacts} contacts. The gateway's per-connection limits apply: run the engine with
 * them raised, e.g. {@code -Dtern.gateway.rate.limit=1000000 -Dtern.gateway.rate.burst=100000}, else the load
 * measures the rate limiter (refusals are printed).
 * <p>
 * Run: {@code java <tern flags> -cp perf/target/tern-benchmarks.jar dev.tern.perf.engine.AccountLoad
 * --gateway 127.0.0.1:7070 --in-flight 1,64 --seconds 10}
 */
@Command(name = "AccountLoad", mixinStandardHelpOptions = true,
    description = "Measure login and contact-list round trips through the gateway.")
public final class AccountLoad implements Callable<Integer>
{
    @Option(names = "--gateway", defaultValue = "127.0.0.1:7070", description = "Gateway host:port. Default: ${DEFAULT-VALUE}.")
    private String gateway;

    @Option(names = "--connections", defaultValue = "8", description = "Client connections (one account each). Default: ${DEFAULT-VALUE}.")
    private int connections;

    @Option(names = "--in-flight", defaultValue = "1,64", split = ",",
        description = "Requests in flight in total, one run each. Default: ${DEFAULT-VALUE}.")
    private List<Integer> inFlights;

    @Option(names = "--ops", defaultValue = "login,contacts", split = ",",
        description = "What to measure: login, contacts. Default: ${DEFAULT-VALUE}.")
    private List<String> ops;

    @Option(names = "--contacts", defaultValue = "10", description = "Contacts per account. Default: ${DEFAULT-VALUE}.")
    private int contactsPerAccount;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured time per run, s. Default: ${DEFAULT-VALUE}.")
    private int seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured time before each run, s. Default: ${DEFAULT-VALUE}.")
    private int warmupSeconds;

    @Option(names = "--idle", defaultValue = "backoff", description = "The client's idle strategy. Default: ${DEFAULT-VALUE}.")
    private String idleStrategy;

    private final List<Connection> all = new ArrayList<>();

    /** One client connection logged in as its own account; keeps its share of the requests in flight. */
    private static final class Connection implements TernClientListener
    {
        final String name;
        final String password = "load-password";
        TernClient client;
        long uin;
        final Long2LongHashMap sentNs = new Long2LongHashMap(-1);
        Histogram histogram;
        final Map<ErrorCode, Long> refusals = new EnumMap<>(ErrorCode.class);
        boolean login;
        int target;
        long completed;

        Connection(final String name)
        {
            this.name = name;
        }

        void pump()
        {
            while (sentNs.size() < target)
            {
                final long correlationId = login ? client.login(name, password, 0) : client.listContacts(0, 1000);
                if (correlationId < 0)
                {
                    return;
                }
                sentNs.put(correlationId, System.nanoTime());
            }
        }

        private void completed(final long correlationId, final ErrorCode code)
        {
            final long sent = sentNs.remove(correlationId);
            if (sent < 0)
            {
                return;
            }
            if (ErrorCode.OK == code)
            {
                histogram.recordValue(System.nanoTime() - sent);
                completed++;
            }
            else
            {
                refusals.merge(code, 1L, Long::sum);
            }
        }

        public void onLoggedIn(final long correlationId, final ErrorCode code, final long uin, final long expiresInMs)
        {
            completed(correlationId, code);
        }

        public void onContacts(final long correlationId, final ErrorCode code,
            final ContactListResponseDecoder response)
        {
            completed(correlationId, code);
        }
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new AccountLoad()).execute(args));
    }

    public Integer call()
    {
        try (EmbeddedDriver driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
            .aeronDir(CommonContext.generateRandomDirName())))
        {
            setUp(driver);
            System.out.printf("%-9s %10s %12s %10s %10s %10s %10s  %s%n",
                "op", "in-flight", "requests/s", "p50 us", "p90 us", "p99 us", "max us", "refused");
            for (final String op : ops)
            {
                for (final int inFlight : inFlights)
                {
                    measure(op, inFlight);
                }
            }
            return 0;
        }
        finally
        {
            for (final Connection connection : all)
            {
                CloseHelper.quietClose(connection.client);
            }
        }
    }

    private void setUp(final EmbeddedDriver driver)
    {
        final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        final List<Long> uins = new ArrayList<>();
        for (int i = 0; i < connections; i++)
        {
            final Connection connection = new Connection("load" + run + "x" + i);
            connection.client = TernClient.connect(new TernClient.Context()
                .aeron(driver.aeron())
                .gatewayEndpoint(gateway)
                .maxInFlight(100_000)
                .listener(connection));
            all.add(connection);
        }
        // set up through a blocking client per account, then keep the asynchronous ones for the load
        for (final Connection connection : all)
        {
            try (TernBlockingClient setup = TernBlockingClient.connect(new TernClient.Context()
                .aeron(driver.aeron()).gatewayEndpoint(gateway), Duration.ofSeconds(20)))
            {
                final TernBlockingClient.Registered registered = setup.register(connection.name, connection.password);
                if (ErrorCode.OK != registered.code())
                {
                    throw new IllegalStateException("register " + connection.name + ": " + registered.code());
                }
                connection.uin = registered.uin();
                uins.add(registered.uin());
            }
        }
        for (int i = 0; i < all.size(); i++)
        {
            final Connection connection = all.get(i);
            connection.histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            connection.login = true;
            connection.target = 1;
            awaitCompleted(connection, 1);
            try (TernBlockingClient setup = TernBlockingClient.connect(new TernClient.Context()
                .aeron(driver.aeron()).gatewayEndpoint(gateway), Duration.ofSeconds(20)))
            {
                setup.login(connection.name, connection.password);
                for (int c = 1; c <= Math.min(contactsPerAccount, uins.size() - 1); c++)
                {
                    setup.addContact(uins.get((i + c) % uins.size()));
                }
            }
        }
        System.out.println("AccountLoad: " + connections + " connections to " + gateway + ", accounts " +
            all.get(0).name + ".." + all.get(all.size() - 1).name + ", " + contactsPerAccount + " contacts each");
    }

    private void awaitCompleted(final Connection connection, final long count)
    {
        final IdleStrategy idle = IdleStrategies.of(idleStrategy);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connection.client.isConnected() || connection.completed < count)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(connection.name + " got no answer: " + connection.refusals);
            }
            if (connection.client.isConnected())
            {
                connection.pump();
            }
            idle.idle(connection.client.poll());
        }
        connection.target = 0;
    }

    private void measure(final String op, final int inFlight)
    {
        final boolean login = "login".equals(op);
        if (!login && !"contacts".equals(op))
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "unknown op " + op);
        }
        for (int i = 0; i < all.size(); i++)
        {
            final Connection connection = all.get(i);
            connection.login = login;
            connection.target = inFlight / all.size() + (i < inFlight % all.size() ? 1 : 0);
        }
        run(TimeUnit.SECONDS.toNanos(warmupSeconds));
        final Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long completed = 0;
        final Map<ErrorCode, Long> refusals = new EnumMap<>(ErrorCode.class);
        for (final Connection connection : all)
        {
            connection.histogram.reset();
            connection.completed = 0;
            connection.refusals.clear();
        }
        final long start = System.nanoTime();
        run(TimeUnit.SECONDS.toNanos(seconds));
        final long elapsed = System.nanoTime() - start;
        for (final Connection connection : all)
        {
            total.add(connection.histogram);
            completed += connection.completed;
            connection.refusals.forEach((code, n) -> refusals.merge(code, n, Long::sum));
            connection.target = 0;
        }
        drain();
        System.out.printf("%-9s %10d %12.0f %10.1f %10.1f %10.1f %10.1f  %s%n", op, inFlight,
            completed * 1e9 / elapsed, total.getValueAtPercentile(50) / 1000.0,
            total.getValueAtPercentile(90) / 1000.0, total.getValueAtPercentile(99) / 1000.0,
            total.getMaxValue() / 1000.0, refusals.isEmpty() ? "-" : refusals.toString());
    }

    private void run(final long durationNs)
    {
        final IdleStrategy idle = IdleStrategies.of(idleStrategy);
        final long end = System.nanoTime() + durationNs;
        while (System.nanoTime() - end < 0)
        {
            int work = 0;
            for (final Connection connection : all)
            {
                connection.pump();
                work += connection.client.poll();
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
            for (final Connection connection : all)
            {
                work += connection.client.poll();
                busy |= !connection.sentNs.isEmpty();
            }
            idle.idle(work);
        }
    }
}
