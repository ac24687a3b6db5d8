package dev.tern.engine.test;

import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernClient;

import java.time.Duration;

/**
 * Clients of a test engine, each its own connection (its own Aeron publication and response port).
 */
public final class TestClients
{
    private TestClients()
    {
    }

    /**
     * @param driver  the clients' media driver (not the engine's: client to gateway is real UDP).
     * @param gateway the gateway's host:port.
     * @return a connected blocking client.
     */
    public static TernBlockingClient connect(final EmbeddedDriver driver, final String gateway)
    {
        return TernBlockingClient.connect(context(driver, gateway), Duration.ofSeconds(20));
    }

    /**
     * @return the settings of a client of the gateway, on 127.0.0.1.
     */
    public static TernClient.Context context(final EmbeddedDriver driver, final String gateway)
    {
        return new TernClient.Context()
            .aeron(driver.aeron())
            .gatewayEndpoint(gateway)
            .responseEndpoint("127.0.0.1:0");
    }
}
