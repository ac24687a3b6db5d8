package dev.tern.engine;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.gateway.GatewayAgent;
import dev.tern.engine.gateway.ServiceLink;
import dev.tern.engine.seq.SeqAgent;
import dev.tern.engine.service.account.AccountPipeline;
import dev.tern.engine.service.message.MessagePipelines;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.transport.Channels;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Context refuses a bad setting and names the field.
 */
@Timeout(30)
class ContextTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private EmbeddedDriver driver;
    private Monitor monitor;

    @BeforeEach
    void start()
    {
        driver = TestMediaDriver.launch();
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("context-test").heartbeatIntervalMs(0));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(monitor, driver);
    }

    private static String refusal(final Supplier<Object> conclude)
    {
        return assertThrows(IllegalArgumentException.class, conclude::get).getMessage();
    }

    private GatewayAgent.Context gateway()
    {
        return new GatewayAgent.Context().aeron(driver.aeron()).monitor(monitor);
    }

    @Test
    void shouldNameTheMissingPartsOfTheGatewayContext()
    {
        assertEquals("aeron must be set", refusal(() -> new GatewayAgent.Context().monitor(monitor).conclude()));
        assertEquals("monitor must be set", refusal(() -> new GatewayAgent.Context().aeron(driver.aeron()).conclude()));
    }

    @Test
    void shouldNameTheBadLimitOfTheGatewayContext()
    {
        assertEquals("endpoint=nowhere must be host:port", refusal(() -> gateway().endpoint("nowhere").conclude()));
        assertEquals("maxSessions=11 must be in [1, maxConnections=10]",
            refusal(() -> gateway().maxConnections(10).maxSessions(11).conclude()));
        assertEquals("ratePerSecond=0 must be in [1, 1000000000]", refusal(() -> gateway().rateLimit(0).conclude()));
        assertEquals("maxInFlightPerSession=0 must be >= 1",
            refusal(() -> gateway().maxInFlightPerSession(0).conclude()));
        assertEquals("service x serviceId=0 must be in [1, 64)",
            refusal(() -> gateway().services(List.of(new ServiceLink(0, "x", Channels.IPC, 100))).conclude()));
        assertTrue(refusal(() -> gateway().sessionTtlNs(0).conclude()).startsWith("sessionTtlNs=0"));
    }

    @Test
    void shouldNameTheBadFieldOfTheAccountContext()
    {
        assertEquals("pbkdf2Iterations=10 must be >= 1000",
            refusal(() -> new AccountPipeline.Context().pbkdf2Iterations(10).conclude()));
        assertEquals("uinBlockSize=0 must be in [1, 1000000]",
            refusal(() -> new AccountPipeline.Context().uinBlockSize(0).conclude()));
        assertEquals("firstUin=0 must be in [1, 4294967294)",
            refusal(() -> new AccountPipeline.Context().firstUin(0).conclude()));
    }

    @Test
    void shouldNameTheBadFieldOfTheEngineContext()
    {
        assertTrue(refusal(() -> new Engine.Context().parts("gateway,mail").conclude())
            .startsWith("parts=gateway,mail: 'mail' is not one of all, kv, gateway"));
        assertEquals("threading=many must be shared or dedicated",
            refusal(() -> new Engine.Context().parts("gateway").threading("many").conclude()));
        assertEquals("kvReplicas=[127.0.0.1:1, 127.0.0.1:2] must name an odd number of host:port",
            refusal(() -> new Engine.Context().parts("gateway").kvReplicas(List.of("127.0.0.1:1", "127.0.0.1:2"))
                .conclude()));
        assertEquals("endpoint of service account=x must be host:port", refusal(() -> new Engine.Context()
            .parts("account").serviceEndpoint(ServiceCatalog.ACCOUNT, "x").conclude()));
        assertEquals("seqEndpoint=here must be host:port",
            refusal(() -> new Engine.Context().parts("seq").seqEndpoint("here").conclude()));
    }

    @Test
    void shouldNameTheBadFieldOfTheMessagesContext()
    {
        final long kvTimeoutNs = 2_000_000_000L;
        assertEquals("gapTimeoutMs=3000 must be >= storeWindowMs=2000 + the KV timeout 2000 ms (plus the machines' " +
            "clock skew)", refusal(() -> new MessagePipelines.Context().storeWindowMs(2000).gapTimeoutMs(3000)
            .conclude(kvTimeoutNs)));
        assertEquals("storeWindowMs=0 must be >= 1",
            refusal(() -> new MessagePipelines.Context().storeWindowMs(0).conclude(kvTimeoutNs)));
        assertEquals("syncMaxMessages=101 must be in [1, 100]",
            refusal(() -> new MessagePipelines.Context().syncMaxMessages(101).conclude(kvTimeoutNs)));
        assertEquals("syncMaxBytes=10 must be >= 1024",
            refusal(() -> new MessagePipelines.Context().syncMaxBytes(10).conclude(kvTimeoutNs)));
    }

    @Test
    void shouldNameTheBadFieldOfTheSeqContext()
    {
        final ClusterConfig cluster = ClusterConfig.singleGroup(List.of("127.0.0.1:1"));
        assertEquals("aeron, monitor and cluster must be set",
            refusal(() -> new SeqAgent.Context().monitor(monitor).cluster(cluster).conclude()));
        assertEquals("step=1 must be in [2, 2^40]", refusal(() -> seq(cluster).step(1).conclude()));
        assertEquals("sectionSize=0 must be in [1, 16777216]", refusal(() -> seq(cluster).sectionSize(0).conclude()));
        assertEquals("leaseMs=10 must be >= 100", refusal(() -> seq(cluster).leaseMs(10).conclude()));
        assertEquals("requestChannels must name at least one channel",
            refusal(() -> seq(cluster).requestChannels(List.of()).conclude()));
    }

    private SeqAgent.Context seq(final ClusterConfig cluster)
    {
        return new SeqAgent.Context().aeron(driver.aeron()).monitor(monitor).cluster(cluster);
    }
}
