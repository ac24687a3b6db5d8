package dev.tern.engine.test;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Accounts and logged-in devices for message tests: register once, log in as many devices (connections) as needed.
 * Devices may be added from several threads; registration is for one thread.
 */
public final class TestUsers implements AutoCloseable
{
    private final EmbeddedDriver driver;
    private final String gateway;
    private final List<TernBlockingClient> clients = new CopyOnWriteArrayList<>();
    private TernBlockingClient admin;

    /**
     * @param driver  the clients' media driver.
     * @param gateway the gateway's host:port.
     */
    public TestUsers(final EmbeddedDriver driver, final String gateway)
    {
        this.driver = driver;
        this.gateway = gateway;
    }

    /**
     * @return the new account's UIN.
     */
    public long register(final String name)
    {
        if (null == admin)
        {
            admin = connect();
        }
        final TernBlockingClient.Registered registered = admin.register(name, password(name));
        assertEquals(ErrorCode.OK, registered.code(), () -> "register " + name);
        return registered.uin();
    }

    /**
     * @return a new connection logged in as the account, as a device.
     */
    public TernBlockingClient device(final String name, final long deviceId)
    {
        final TernBlockingClient client = connect();
        assertEquals(ErrorCode.OK, client.login(name, password(name), deviceId).code(), () -> "login " + name);
        return client;
    }

    /**
     * @param requestTimeout how long the device's requests wait for an answer before they complete with TIMEOUT.
     * @return a new connection logged in as the account, as a device.
     */
    public TernBlockingClient device(final String name, final long deviceId, final Duration requestTimeout)
    {
        final TernBlockingClient client = TernBlockingClient.connect(TestClients.context(driver, gateway)
            .requestTimeoutNs(requestTimeout.toNanos()), Duration.ofSeconds(20));
        clients.add(client);
        ErrorCode code;
        do
        {
            code = client.login(name, password(name), deviceId).code();
        }
        while (ErrorCode.TIMEOUT == code);
        assertEquals(ErrorCode.OK, code, () -> "login " + name);
        return client;
    }

    /**
     * @return a new connection, not logged in.
     */
    public TernBlockingClient connect()
    {
        final TernBlockingClient client = TestClients.connect(driver, gateway);
        clients.add(client);
        return client;
    }

    /** Make two users each other's contacts. */
    public static void befriend(final TernBlockingClient a, final long aUin, final TernBlockingClient b,
        final long bUin)
    {
        assertEquals(ErrorCode.OK, a.addContact(bUin).code());
        assertEquals(ErrorCode.OK, b.addContact(aUin).code());
    }

    /**
     * @return the password tests give an account.
     */
    public static String password(final String name)
    {
        return name + "-password";
    }

    public void close()
    {
        clients.forEach(TernBlockingClient::close);
        clients.clear();
        admin = null;
    }
}
