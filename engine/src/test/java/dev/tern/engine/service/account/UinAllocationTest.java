package dev.tern.engine.service.account;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.RegisterEncoder;
import dev.tern.codecs.client.sbe.RegisterResponseDecoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.kv.LocalKvGroup;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.test.ServiceHarness;
import dev.tern.engine.test.TestEngines;
import dev.tern.transport.Channels;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two account services (as two deployments would run) over one KVSvr group, with small UIN blocks so that they
 * keep racing for the shared counter: every UIN is handed out once, and of two registrations of one name exactly one
 * wins.
 */
@Timeout(120)
class UinAllocationTest
{
    private static final int BLOCK = 3;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private EmbeddedDriver driver;
    private Monitor monitor;
    private LocalKvGroup kv;
    private final List<ServicePipeline> services = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<ServiceHarness> gateways = new ArrayList<>();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(128);
    private long nextCorrelationId;

    @BeforeEach
    void start()
    {
        driver = TestMediaDriver.launch();
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("uin-test").heartbeatIntervalMs(0));
        kv = LocalKvGroup.launch(driver.aeron(),
            List.of(FreePorts.endpoint(), FreePorts.endpoint(), FreePorts.endpoint()), new File(dir, "kv"), dir, "uin");
        for (int i = 0; i < 2; i++)
        {
            final int requestStream = 910 + 2 * i;
            final ServicePipeline service = AccountPipeline.launch(new ServicePipeline.Context()
                .name("account")
                .aeron(driver.aeron())
                .monitor(monitor)
                .requestChannel(Channels.IPC, requestStream)
                .replyChannel(Channels.IPC, requestStream + 1)
                .cluster(kv.cluster())
                .ringSize(64)
                .maxInFlight(32), new AccountPipeline.Context()
                .pbkdf2Iterations(TestEngines.TEST_PBKDF2_ITERATIONS)
                .uinBlockSize(BLOCK));
            services.add(service);
            final AgentRunner runner = new AgentRunner(IdleStrategies.of("backoff"), Throwable::printStackTrace,
                null, service.agent());
            runners.add(runner);
            AgentRunner.startOnThread(runner);
            final ServiceHarness gateway = new ServiceHarness(driver.aeron(), Channels.IPC, requestStream,
                requestStream + 1);
            gateway.awaitConnected();
            gateways.add(gateway);
        }
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(runners);
        CloseHelper.quietCloseAll(services);
        CloseHelper.quietCloseAll(gateways);
        CloseHelper.quietCloseAll(kv, monitor, driver);
    }

    private long register(final ServiceHarness gateway, final String name)
    {
        final long correlationId = ++nextCorrelationId;
        final byte[] password = "password-1".getBytes(StandardCharsets.UTF_8);
        final RegisterEncoder register = new RegisterEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).name(name);
        register.putPassword(password, 0, password.length);
        gateway.send(frame, MessageHeaderEncoder.ENCODED_LENGTH + register.encodedLength(), 0);
        return correlationId;
    }

    private RegisterResponseDecoder response(final ServiceHarness gateway, final long correlationId)
    {
        final UnsafeBuffer response = gateway.awaitResponse(correlationId);
        return new RegisterResponseDecoder().wrapAndApplyHeader(response, 0,
            new dev.tern.codecs.client.sbe.MessageHeaderDecoder().wrap(response, 0));
    }

    @Test
    void shouldNeverHandOutAUinTwiceAcrossAccountServices()
    {
        final List<long[]> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final int service = i % 2;
            sent.add(new long[]{ service, register(gateways.get(service), "user" + i) });
        }
        final Set<Long> uins = new HashSet<>();
        for (final long[] request : sent)
        {
            final RegisterResponseDecoder response = response(gateways.get((int)request[0]), request[1]);
            assertEquals(ErrorCode.OK, response.code());
            assertTrue(uins.add(response.uin()), "UIN " + response.uin() + " handed out twice");
        }
        assertEquals(40, uins.size());
        assertTrue(monitor.get(dev.tern.codecs.monitor.MonitorId.ACCOUNT_UIN_BLOCKS.id()) >= 40 / BLOCK);
    }

    @Test
    void shouldLetExactlyOneOfTwoServicesRegisterAName()
    {
        for (int round = 0; round < 10; round++)
        {
            final String name = "contested" + round;
            final long first = register(gateways.get(0), name);
            final long second = register(gateways.get(1), name);

            final ErrorCode a = response(gateways.get(0), first).code();
            final ErrorCode b = response(gateways.get(1), second).code();

            assertEquals(Set.of(ErrorCode.OK, ErrorCode.NAME_TAKEN), Set.of(a, b), name + ": " + a + ", " + b);
        }
    }
}
