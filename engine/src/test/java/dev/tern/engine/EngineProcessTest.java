package dev.tern.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.codecs.monitor.MonitorFileReader;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.gateway.GatewayConfiguration;
import dev.tern.engine.service.account.AccountConfiguration;
import dev.tern.engine.test.TestClients;
import dev.tern.engine.test.TestEngines;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.TransportConfiguration;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernClient;
import dev.tern.transport.client.TernClientListener;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.ChildJvm;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tern run} as real processes ({@link EngineMain} in child JVMs), clients over real UDP: the whole engine in
 * one process, and the gateway and the services split across processes from one config file, a part restarted on
 * its own.
 */
@Timeout(180)
class EngineProcessTest
{
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EmbeddedDriver clientDriver;

    @AfterEach
    void stop()
    {
        final List<AutoCloseable> reversed = new ArrayList<>(closeables);
        java.util.Collections.reverse(reversed);
        CloseHelper.quietCloseAll(reversed);
    }

    private ChildJvm.Builder engine(final String name)
    {
        return ChildJvm.builder(EngineMain.class)
            // in the test's directory, so that a child killed with -9 leaves nothing behind in /dev/shm
            .property(TransportConfiguration.AERON_DIR_PROP_NAME, new File(dir, "aeron-" + name).getPath())
            .property(TransportConfiguration.TERM_LENGTH_PROP_NAME, "262144")
            .property(MonitorConfiguration.DIR_PROP_NAME, new File(dir, "monitor").getPath())
            .property(AccountConfiguration.PBKDF2_ITERATIONS_PROP_NAME,
                Integer.toString(TestEngines.TEST_PBKDF2_ITERATIONS))
            .output(new File(dir, name + ".log"));
    }

    private ChildJvm started(final ChildJvm.Builder builder, final String expectedOutput)
    {
        final ChildJvm child = builder.start();
        closeables.add(child);
        child.awaitOutput(expectedOutput, START);
        return child;
    }

    private TernBlockingClient client(final String gateway)
    {
        if (null == clientDriver)
        {
            clientDriver = TestMediaDriver.launch();
            closeables.add(0, clientDriver);
        }
        final TernBlockingClient client = TestClients.connect(clientDriver, gateway);
        closeables.add(client);
        return client;
    }

    @Test
    void shouldRegisterLogInAndKeepContactsAgainstTernRun()
    {
        final String gateway = FreePorts.endpoint();
        final ChildJvm engine = started(engine("engine")
            .property(GatewayConfiguration.ENDPOINT_PROP_NAME, gateway)
            .property(EngineConfiguration.KV_REPLICAS_PROP_NAME,
                FreePorts.endpoint() + "," + FreePorts.endpoint() + "," + FreePorts.endpoint())
            .arg("--data-dir", new File(dir, "data").getPath()), "clients connect to " + gateway);
        final TernBlockingClient alice = client(gateway);

        final TernBlockingClient.Registered registered = alice.register("alice", "alice-password");
        final TernBlockingClient.Registered bob = alice.register("bob", "bob-password");
        assertEquals(ErrorCode.OK, registered.code());
        assertEquals(ErrorCode.OK, bob.code());
        assertNotEquals(registered.uin(), bob.uin());
        assertEquals(registered.uin(), alice.login("alice", "alice-password").uin());
        assertEquals(ErrorCode.OK, alice.addContact(bob.uin()).code());
        assertEquals(ErrorCode.NOT_FOUND, alice.addContact(4_000_000_000L).code());
        assertEquals(List.of(bob.uin()), alice.listAllContacts().uins());
        assertEquals(ErrorCode.OK, alice.removeContact(bob.uin()).code());
        assertEquals(List.of(), alice.listAllContacts().uins());
        assertEquals(ErrorCode.OK, alice.logout().code());
        assertEquals(ErrorCode.UNAUTHENTICATED, alice.listContacts(0, 10).code());

        assertCountersVisible("engine");
        engine.close();
        assertTrue(engine.output().contains("tern run: stopping"), engine.output());
        try (MonitorFileReader reader = MonitorFileReader.open(new File(new File(dir, "monitor"), "engine.tern-monitor")))
        {
            assertEquals(MonitorFileReader.Liveness.CLOSED, reader.liveness());
        }
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingClientsRegisterAName()
    {
        final String gateway = FreePorts.endpoint();
        started(engine("engine")
            .property(GatewayConfiguration.ENDPOINT_PROP_NAME, gateway)
            .property(EngineConfiguration.KV_REPLICAS_PROP_NAME,
                FreePorts.endpoint() + "," + FreePorts.endpoint() + "," + FreePorts.endpoint())
            .arg("--data-dir", new File(dir, "data").getPath()), "clients connect to " + gateway);
        client(gateway);
        final Map<Long, ErrorCode> outcomes = new ConcurrentHashMap<>();
        final TernClientListener listener = new TernClientListener()
        {
            public void onRegistered(final long correlationId, final ErrorCode code, final long uin)
            {
                outcomes.put(correlationId, code);
            }
        };
        final TernClient first = TernClient.connect(TestClients.context(clientDriver, gateway).listener(listener));
        closeables.add(first);
        final TernClient second = TernClient.connect(TestClients.context(clientDriver, gateway).listener(
            (TernClientListener)new TernClientListener()
            {
                public void onRegistered(final long correlationId, final ErrorCode code, final long uin)
                {
                    outcomes.put(-correlationId, code);
                }
            }));
        closeables.add(second);
        Await.await(() -> first.poll() + second.poll() >= 0 && first.isConnected() && second.isConnected(),
            "both clients to connect");

        for (int round = 0; round < 20; round++)
        {
            outcomes.clear();
            final String name = "racer" + round;
            final long a = first.register(name, "password-a");
            final long b = second.register(name, "password-b");
            assertTrue(a > 0 && b > 0);
            Await.await(() -> first.poll() + second.poll() >= 0 && outcomes.size() == 2, "both registrations");

            final List<ErrorCode> codes = List.of(outcomes.get(a), outcomes.get(-b));
            assertEquals(1, codes.stream().filter(code -> code == ErrorCode.OK).count(), name + ": " + codes);
            assertEquals(1, codes.stream().filter(code -> code == ErrorCode.NAME_TAKEN).count(), name + ": " + codes);
        }
    }

    @Test
    void shouldRunTheGatewayAndTheServicesAsSeparateProcessesAndRestartAServiceOnItsOwn() throws IOException
    {
        final String gateway = FreePorts.endpoint();
        final File config = new File(dir, "tern.properties");
        Files.writeString(config.toPath(), String.join("\n",
            "# one file for every part",
            GatewayConfiguration.ENDPOINT_PROP_NAME + "=" + gateway,
            EngineConfiguration.KV_REPLICAS_PROP_NAME + "=" + FreePorts.endpoint() + "," + FreePorts.endpoint() + "," +
                FreePorts.endpoint(),
            EngineConfiguration.GATEWAY_REPLY_ENDPOINT_PROP_NAME + "=" + FreePorts.endpoint(),
            EngineConfiguration.SERVICE_ENDPOINT_PROP_NAME_PREFIX + "account.endpoint=" + FreePorts.endpoint(),
            EngineConfiguration.SERVICE_ENDPOINT_PROP_NAME_PREFIX + "contacts.endpoint=" + FreePorts.endpoint(),
            GatewayConfiguration.SERVICE_TIMEOUT_MS_PROP_NAME + "=2000",
            EngineConfiguration.DATA_DIR_PROP_NAME + "=" + new File(dir, "data").getPath(),
            ""), StandardCharsets.UTF_8);

        started(engine("front").arg("--config", config.getPath(), "--services", "kv,gateway"),
            "clients connect to " + gateway);
        ChildJvm services = started(engine("services-1").arg("--config", config.getPath(), "--services",
            "account,contacts"), "running: account, contacts");
        final TernBlockingClient alice = client(gateway);
        final long bob = awaitRegistered(alice, "bob");
        awaitRegistered(alice, "alice");
        assertEquals(ErrorCode.OK, alice.login("alice", "alice-password").code());
        assertEquals(ErrorCode.OK, alice.addContact(bob).code());

        services.kill9();
        assertEquals(ErrorCode.UNAVAILABLE, alice.listContacts(0, 10).code());
        services = started(engine("services-2").arg("--config", config.getPath(), "--services",
            "account,contacts"), "running: account, contacts");

        Await.await(() -> ErrorCode.OK == alice.listContacts(0, 10).code(), "the restarted services to serve");
        assertEquals(List.of(bob), alice.listAllContacts().uins());
        assertEquals(ErrorCode.OK, alice.login("alice", "alice-password").code());
        assertCountersVisible("engine-kv-gateway");
        assertCountersVisible("engine-account-contacts");
    }

    private static long awaitRegistered(final TernBlockingClient client, final String name)
    {
        final long[] uin = new long[1];
        Await.await(() ->
        {
            final TernBlockingClient.Registered registered = client.register(name, name + "-password");
            uin[0] = registered.uin();
            return ErrorCode.OK == registered.code();
        }, "the split engine to register " + name);
        return uin[0];
    }

    private void assertCountersVisible(final String name)
    {
        final File file = new File(new File(dir, "monitor"), name + ".tern-monitor");
        try (MonitorFileReader reader = MonitorFileReader.open(file))
        {
            assertNotNull(reader, "monitor file " + file);
            final long[] requests = new long[1];
            reader.forEach((id, kind, unit, metric, value) ->
            {
                if (id == MonitorId.GATEWAY_FORWARDED.id() || id == MonitorId.ACCOUNT_REQUESTS.id())
                {
                    requests[0] += value;
                }
            });
            assertTrue(requests[0] > 0, "requests counted in " + file);
        }
    }
}
