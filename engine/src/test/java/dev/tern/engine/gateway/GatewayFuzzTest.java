package dev.tern.engine.gateway;

import dev.tern.codecs.client.sbe.ClientHelloEncoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.ServiceCatalog;
import dev.tern.engine.test.FrameFuzzer;
import dev.tern.transport.Channels;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes through the gateway's whole request path (decode, session checks, routing): every input is a
 * valid request or gets a clear error, no exception escapes, and an input that is not a valid request changes no
 * state: the session's login, token and requests in flight, the session count, the requests pending.
 */
@Timeout(120)
class GatewayFuzzTest
{
    private static final long SEED = 0x7E4E_2025L;
    private static final int INPUTS = 200_000;
    private static final int CONNECTION = 4242;
    private static final long UIN = 10_001;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private EmbeddedDriver driver;
    private Monitor monitor;
    private GatewayAgent gateway;
    private Subscription responses;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start()
    {
        driver = TestMediaDriver.launch();
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("gateway-fuzz").heartbeatIntervalMs(0));
        final List<ServiceLink> links = new ArrayList<>();
        for (final ServiceCatalog service : ServiceCatalog.values())
        {
            links.add(new ServiceLink(service.serviceId(), service.serviceName(), Channels.IPC,
                service.requestStreamId()));
        }
        gateway = GatewayAgent.launch(new GatewayAgent.Context()
            .aeron(driver.aeron())
            .monitor(monitor)
            .endpoint(FreePorts.endpoint())
            .routes(ServiceCatalog.allRoutes())
            .services(links)
            .rateLimit(1_000_000_000L)
            .rateBurst(1_000_000)
            .maxConnections(4096)
            .maxSessions(4096));
        closeables.add(gateway::onClose);
        final String responseEndpoint = "127.0.0.1:" + FreePorts.next();
        responses = driver.aeron().addSubscription(Channels.udp(responseEndpoint), Channels.CLIENT_RESPONSE_STREAM_ID);
        gateway.doWork();
        say(hello(responseEndpoint), CONNECTION);
        Await.await(() ->
        {
            gateway.doWork();
            responses.poll((buffer, offset, length, header) -> { }, 100);
            final Session session = gateway.sessions().get(CONNECTION);
            return null != session && Session.READY == session.state() && session.publication().isConnected();
        }, "the gateway to bind the fuzzing connection");
        logIn();
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
        CloseHelper.quietCloseAll(responses, monitor, driver);
    }

    private void logIn()
    {
        assertEquals(ErrorCode.OK, gateway.sessions().logIn(gateway.sessions().get(CONNECTION), UIN, 0,
            System.nanoTime()));
    }

    private void say(final byte[] frame, final int connectionId)
    {
        gateway.onClientFrame(new UnsafeBuffer(frame), 0, frame.length, connectionId, "127.0.0.1:40000");
    }

    private static byte[] hello(final String responseEndpoint)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);
        final ClientHelloEncoder encoder = new ClientHelloEncoder()
            .wrapAndApplyHeader(buffer, 0, new dev.tern.codecs.client.sbe.MessageHeaderEncoder())
            .correlationId(1)
            .responseStreamId(Channels.CLIENT_RESPONSE_STREAM_ID)
            .responseChannel(Channels.udp(responseEndpoint));
        final byte[] frame = new byte[8 + encoder.encodedLength()];
        buffer.getBytes(0, frame);
        return frame;
    }

    private record State(int sessions, int pending, int state, long uin, long tokenHi, long tokenLo, int inFlight)
    {
    }

    private State state()
    {
        final SessionTable sessions = gateway.sessions();
        final Session session = sessions.get(CONNECTION);
        return new State(sessions.sessions(), gateway.pendingRequests(), session.state(), session.uin(),
            sessions.tokenHi(session), sessions.tokenLo(session), session.inFlight());
    }

    @Test
    void shouldAnswerEveryInputWithAValidRequestOrAClearErrorAndChangeNothingOnErrors()
    {
        final SessionTable sessions = gateway.sessions();
        final Session session = sessions.get(CONNECTION);
        final FrameFuzzer fuzzer = new FrameFuzzer(SEED, sessions.tokenHi(session), sessions.tokenLo(session), UIN);
        final ClientFrameDecoder classifier = new ClientFrameDecoder(ServiceCatalog.allRoutes());
        final Map<String, Integer> outcomes = new TreeMap<>();

        for (int i = 0; i < INPUTS; i++)
        {
            final byte[] frame = fuzzer.next();
            final int expected = classifier.decode(new UnsafeBuffer(frame), 0, frame.length);
            final boolean hello = ErrorCode.OK.value() == expected &&
                ClientHelloEncoder.TEMPLATE_ID == classifier.templateId();
            final State before = state();

            say(frame, hello ? CONNECTION + 1 + i : CONNECTION);

            final String outcome = ClientFrameDecoder.DROP == expected ? "DROP" :
                ErrorCode.get((short)expected).name();
            outcomes.merge(outcome, 1, Integer::sum);
            if (ErrorCode.OK.value() != expected)
            {
                assertEquals(before, state(), () -> "input " + outcome + " changed the gateway's state");
            }
            else if (!sessions.get(CONNECTION).isLoggedIn())
            {
                // a valid Logout (the corpus carries the real token): log in again to keep fuzzing a session
                logIn();
                fuzzer.corpus().clear();
                fuzzer.corpus().addAll(FrameFuzzer.validFrames(sessions.tokenHi(session), sessions.tokenLo(session),
                    UIN));
            }
            if (i % 64 == 0)
            {
                responses.poll((buffer, offset, length, header) -> { }, 1000);
            }
        }

        System.out.println("gateway fuzz, seed " + SEED + ", " + INPUTS + " inputs: " + outcomes);
        for (final String outcome : List.of("OK", "DROP", "BAD_REQUEST", "UNSUPPORTED_VERSION", "UNKNOWN_REQUEST"))
        {
            assertTrue(outcomes.getOrDefault(outcome, 0) > 0, () -> "no input was " + outcome + ": " + outcomes);
        }
        assertTrue(monitor.get(MonitorId.GATEWAY_FRAMES.id()) >= 0);
    }
}
