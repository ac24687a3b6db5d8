package dev.tern.engine;

import dev.tern.codecs.client.sbe.ContactAddEncoder;
import dev.tern.codecs.client.sbe.ContactListEncoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.LoginEncoder;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.SendTextEncoder;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.test.FrameFuzzer;
import dev.tern.engine.test.TestClients;
import dev.tern.engine.test.TestEngines;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.ClientProtocol;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Contacts;
import dev.tern.transport.client.TernBlockingClient.LoggedIn;
import dev.tern.transport.client.TernBlockingClient.Result;
import dev.tern.transport.client.TernClient;
import dev.tern.transport.client.TernClientListener;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's guarantees against hostile or confused clients, over real UDP against a whole engine: identity
 * comes from the session bound to the connection, never from the payload, and refused requests change nothing.
 */
@Timeout(120)
class GatewaySecurityTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private Engine engine;
    private EmbeddedDriver clientDriver;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
    private long aliceUin;
    private long bobUin;
    private long eveUin;

    private void start(final Consumer<Engine.Context> settings)
    {
        final Engine.Context ctx = TestEngines.context(dir);
        settings.accept(ctx);
        engine = Engine.launch(ctx);
        clientDriver = TestMediaDriver.launch();
        final TernBlockingClient admin = connect();
        aliceUin = admin.register("alice", "alice-password").uin();
        bobUin = admin.register("bob", "bob-password").uin();
        eveUin = admin.register("eve", "eve-password").uin();
    }

    private TernBlockingClient connect()
    {
        final TernBlockingClient client = TestClients.connect(clientDriver, engine.gatewayEndpoint());
        clients.add(client);
        return client;
    }

    private TernBlockingClient loggedIn(final String name)
    {
        final TernBlockingClient client = connect();
        assertEquals(ErrorCode.OK, client.login(name, name + "-password").code());
        return client;
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(clients);
        CloseHelper.quietCloseAll(clientDriver, engine);
    }

    private Object contactAdd(final TernBlockingClient client, final long tokenHi, final long tokenLo,
        final long actingUin, final long contactUin)
    {
        final long correlationId = client.client().nextCorrelationId();
        final ContactAddEncoder add = new ContactAddEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(correlationId);
        add.token().hi(tokenHi).lo(tokenLo);
        add.uin(actingUin).contactUin(contactUin);
        return client.sendRaw(frame, 0, MessageHeaderEncoder.ENCODED_LENGTH + add.encodedLength(), correlationId);
    }

    private Object contactList(final TernBlockingClient client, final long tokenHi, final long tokenLo,
        final long actingUin)
    {
        final long correlationId = client.client().nextCorrelationId();
        final ContactListEncoder list = new ContactListEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        list.token().hi(tokenHi).lo(tokenLo);
        list.uin(actingUin).fromUin(0).maxContacts(100);
        return client.sendRaw(frame, 0, MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength(), correlationId);
    }

    private void assertAliceKnowsOnlyBob(final TernBlockingClient alice)
    {
        final Contacts contacts = alice.listAllContacts();
        assertEquals(ErrorCode.OK, contacts.code());
        assertEquals(List.of(bobUin), contacts.uins());
    }

    @Test
    void shouldRefuseRequestsWithoutALoginAndChangeNothing()
    {
        start(ctx -> { });
        final TernBlockingClient alice = loggedIn("alice");
        alice.addContact(bobUin);
        final TernBlockingClient stranger = connect();

        assertEquals(ErrorCode.UNAUTHENTICATED, stranger.listContacts(0, 10).code());
        assertEquals(ErrorCode.UNAUTHENTICATED, stranger.addContact(eveUin).code());
        assertEquals(ErrorCode.UNAUTHENTICATED, stranger.removeContact(bobUin).code());
        assertEquals(ErrorCode.UNAUTHENTICATED, stranger.logout().code());
        assertAliceKnowsOnlyBob(alice);
    }

    @Test
    void shouldRefuseAForgedTokenAndChangeNothing()
    {
        start(ctx -> { });
        final TernBlockingClient alice = loggedIn("alice");
        alice.addContact(bobUin);
        final TernBlockingClient eve = loggedIn("eve");

        assertEquals(new Result(ErrorCode.UNAUTHENTICATED), contactAdd(eve, 0x1234, 0x5678, 0, aliceUin));
        assertEquals(new Result(ErrorCode.UNAUTHENTICATED), contactAdd(eve, 0, 0, 0, aliceUin));
        assertEquals(ErrorCode.UNAUTHENTICATED, ((Contacts)contactList(eve, 1, 1, 0)).code());
        assertEquals(ErrorCode.OK, eve.listContacts(0, 10).code());
        assertAliceKnowsOnlyBob(alice);
    }

    @Test
    void shouldRefuseATokenStolenFromAnotherConnection()
    {
        start(ctx -> { });
        final TernBlockingClient alice = loggedIn("alice");
        alice.addContact(bobUin);
        final TernBlockingClient eve = loggedIn("eve");
        final long hi = alice.client().sessionTokenHi();
        final long lo = alice.client().sessionTokenLo();

        assertEquals(new Result(ErrorCode.UNAUTHENTICATED), contactAdd(eve, hi, lo, 0, eveUin));
        assertEquals(new Result(ErrorCode.UNAUTHENTICATED), contactAdd(eve, hi, lo, aliceUin, eveUin));
        assertEquals(ErrorCode.UNAUTHENTICATED, ((Contacts)contactList(eve, hi, lo, aliceUin)).code());
        assertAliceKnowsOnlyBob(alice);
    }

    @Test
    void shouldForbidARequestNamingAnotherUsersUin()
    {
        start(ctx -> { });
        final TernBlockingClient alice = loggedIn("alice");
        alice.addContact(bobUin);
        final TernBlockingClient eve = loggedIn("eve");
        final long hi = eve.client().sessionTokenHi();
        final long lo = eve.client().sessionTokenLo();

        assertEquals(ErrorCode.FORBIDDEN, ((Contacts)contactList(eve, hi, lo, aliceUin)).code());
        assertEquals(new Result(ErrorCode.FORBIDDEN), contactAdd(eve, hi, lo, aliceUin, eveUin));
        assertEquals(new Result(ErrorCode.OK), contactAdd(eve, hi, lo, eveUin, bobUin));
        assertEquals(List.of(bobUin), eve.listAllContacts().uins());
        assertAliceKnowsOnlyBob(alice);
        assertTrue(engine.monitor().get(MonitorId.GATEWAY_REJECT_FORBIDDEN.id()) >= 2);
    }

    @Test
    void shouldExpireASessionAfterItsTtl()
    {
        start(ctx -> ctx.gateway().sessionTtlNs(TimeUnit.MILLISECONDS.toNanos(500)));
        final TernBlockingClient alice = loggedIn("alice");
        assertEquals(ErrorCode.OK, alice.addContact(bobUin).code());

        Await.await(() -> ErrorCode.SESSION_EXPIRED == alice.listContacts(0, 10).code(), "the session to expire");

        assertEquals(ErrorCode.UNAUTHENTICATED, alice.addContact(eveUin).code());
        assertEquals(ErrorCode.OK, alice.login("alice", "alice-password").code());
        assertAliceKnowsOnlyBob(alice);
    }

    @Test
    void shouldRateLimitAFloodWithoutHurtingAnotherSession()
    {
        start(ctx -> ctx.gateway().rateLimit(200).rateBurst(20));
        final TernBlockingClient victim = loggedIn("alice");
        final Map<ErrorCode, Integer> floodOutcomes = new EnumMap<>(ErrorCode.class);
        final TernClient flooder = TernClient.connect(TestClients.context(clientDriver, engine.gatewayEndpoint())
            .maxInFlight(100_000)
            .listener(new TernClientListener()
            {
                public void onContacts(final long correlationId, final ErrorCode code,
                    final dev.tern.codecs.client.sbe.ContactListResponseDecoder response)
                {
                    floodOutcomes.merge(code, 1, Integer::sum);
                }
            }));
        clients.add(flooder);
        Await.await(() -> flooder.poll() >= 0 && flooder.isConnected(), "the flooder to connect");
        flooder.login("eve", "eve-password", 0);
        Await.await(() -> flooder.poll() >= 0 && flooder.isLoggedIn(), "the flooder to log in");

        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 100; i++)
            {
                flooder.listContacts(0, 10);
            }
            flooder.poll();
            assertEquals(ErrorCode.OK, victim.listContacts(0, 10).code(), "victim request in round " + round);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (flooder.inFlight() > 0 && System.nanoTime() < deadline)
        {
            idle.idle(flooder.poll());
        }

        assertTrue(floodOutcomes.getOrDefault(ErrorCode.OK, 0) > 0, floodOutcomes.toString());
        assertTrue(floodOutcomes.getOrDefault(ErrorCode.RATE_LIMITED, 0) > 1000, floodOutcomes.toString());
        assertTrue(engine.monitor().get(MonitorId.GATEWAY_REJECT_RATE_LIMITED.id()) > 1000);
    }

    @Test
    void shouldRefuseLoginsBeyondTheSessionCap()
    {
        start(ctx -> ctx.gateway().maxSessions(1));
        loggedIn("alice");
        final TernBlockingClient eve = connect();

        final LoggedIn refused = eve.login("eve", "eve-password");

        assertEquals(ErrorCode.TOO_MANY_SESSIONS, refused.code());
        assertEquals(ErrorCode.UNAUTHENTICATED, eve.listContacts(0, 10).code());
    }

    @Test
    void shouldServeALoginOfAVersion1Client()
    {
        start(ctx -> { });
        final TernBlockingClient old = connect();
        final long correlationId = old.client().nextCorrelationId();
        final byte[] login = FrameFuzzer.loginVersion1(correlationId, "alice",
            "alice-password".getBytes(StandardCharsets.UTF_8));

        final LoggedIn loggedIn = (LoggedIn)old.sendRaw(new org.agrona.concurrent.UnsafeBuffer(login), 0,
            login.length, correlationId);

        assertEquals(ErrorCode.OK, loggedIn.code());
        assertEquals(aliceUin, loggedIn.uin());
        assertEquals(ErrorCode.OK, old.addContact(bobUin).code());
        assertEquals(List.of(bobUin), old.listAllContacts().uins());
    }

    @Test
    void shouldServeAVersion2ClientAsBeforeMessagesCame()
    {
        start(ctx -> { });
        final TernBlockingClient old = connect();
        final long loginId = old.client().nextCorrelationId();
        final LoginEncoder login = new LoginEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(loginId).deviceId(2).name("alice");
        final byte[] password = "alice-password".getBytes(StandardCharsets.UTF_8);
        login.putPassword(password, 0, password.length);
        frame.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN);
        final LoggedIn loggedIn = (LoggedIn)old.sendRaw(frame, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + login.encodedLength(), loginId);
        assertEquals(ErrorCode.OK, loggedIn.code());
        assertEquals(aliceUin, loggedIn.uin());

        final long addId = old.client().nextCorrelationId();
        final ContactAddEncoder add = new ContactAddEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(addId);
        add.token().hi(old.client().sessionTokenHi()).lo(old.client().sessionTokenLo());
        add.uin(0).contactUin(bobUin);
        frame.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN);
        assertEquals(new Result(ErrorCode.OK), old.sendRaw(frame, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + add.encodedLength(), addId));
        assertEquals(List.of(bobUin), old.listAllContacts().uins());

        final long sendId = old.client().nextCorrelationId();
        final SendTextEncoder send = new SendTextEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(sendId);
        send.token().hi(old.client().sessionTokenHi()).lo(old.client().sessionTokenLo());
        final byte[] text = "a version 2 client never sends this".getBytes(StandardCharsets.UTF_8);
        send.uin(0).toUin(bobUin).clientMessageId(1).putText(text, 0, text.length);
        frame.putShort(6, (short)2, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.BAD_REQUEST, ((TernBlockingClient.Sent)old.sendRaw(frame, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + send.encodedLength(), sendId)).code());
    }

    @Test
    void shouldRefuseAnUnknownTemplateAndAnUnsupportedVersion()
    {
        start(ctx -> { });
        final TernBlockingClient eve = loggedIn("eve");
        final long unknownId = eve.client().nextCorrelationId();
        final ContactListEncoder list = new ContactListEncoder()
            .wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder()).correlationId(unknownId);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength();
        frame.putShort(2, (short)99, ByteOrder.LITTLE_ENDIAN);
        assertEquals(new Result(ErrorCode.UNKNOWN_REQUEST), eve.sendRaw(frame, 0, length, unknownId));

        final long futureId = eve.client().nextCorrelationId();
        frame.putShort(2, (short)ContactListEncoder.TEMPLATE_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(6, (short)(ClientProtocol.CURRENT_VERSION + 1), ByteOrder.LITTLE_ENDIAN);
        frame.putLong(MessageHeaderEncoder.ENCODED_LENGTH, futureId, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, ((Contacts)eve.sendRaw(frame, 0, length, futureId)).code());
    }

    @Test
    void shouldAnswerBadCredentialsForAWrongPasswordOrAnUnknownName()
    {
        start(ctx -> { });
        final TernBlockingClient client = connect();

        assertEquals(ErrorCode.BAD_CREDENTIALS, client.login("alice", "wrong-password").code());
        assertEquals(ErrorCode.BAD_CREDENTIALS, client.login("nobody", "alice-password").code());
        assertEquals(ErrorCode.UNAUTHENTICATED, client.listContacts(0, 10).code());
    }

    @Test
    void shouldRefuseAMalformedRegistration()
    {
        start(ctx -> { });
        final TernBlockingClient client = connect();

        assertEquals(ErrorCode.BAD_REQUEST, client.register("no spaces", "password1").code());
        assertEquals(ErrorCode.BAD_REQUEST, client.register("ab", "password1").code());
        assertEquals(ErrorCode.BAD_REQUEST, client.register("carol", "short").code());
        assertEquals(ErrorCode.NAME_TAKEN, client.register("ALICE", "password1").code());
    }
}
