package dev.tern.transport.client;

import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(30)
class TernClientContextTest
{
    private EmbeddedDriver driver;

    @BeforeEach
    void start()
    {
        driver = TestMediaDriver.launch();
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietClose(driver);
    }

    private TernClient.Context valid()
    {
        return new TernClient.Context().aeron(driver.aeron()).gatewayEndpoint("127.0.0.1:7070")
            .listener(new TernClientListener()
            {
            });
    }

    private static String refusal(final Supplier<Object> conclude)
    {
        return assertThrows(IllegalArgumentException.class, conclude::get).getMessage();
    }

    @Test
    void shouldNameTheBadFieldOfItsContext()
    {
        assertEquals("aeron must be set", refusal(() -> new TernClient.Context().conclude()));
        assertEquals("gatewayEndpoint=gateway must be host:port",
            refusal(() -> valid().gatewayEndpoint("gateway").conclude()));
        assertEquals("maxInFlight=0 must be >= 1", refusal(() -> valid().maxInFlight(0).conclude()));
        assertEquals("listener must be set", refusal(() -> valid().listener(null).conclude()));
        assertEquals("responseStreamId=0 must be > 0", refusal(() -> valid().responseStreamId(0).conclude()));
    }

    @Test
    void shouldAnswerOnTheLoopbackForAGatewayOnTheLoopback()
    {
        assertEquals("127.0.0.1:0", valid().conclude().responseEndpoint());
    }
}
