package dev.tern.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.engine.gateway.GatewayConfiguration;
import dev.tern.engine.seq.SeqConfiguration;
import dev.tern.engine.service.account.AccountConfiguration;
import dev.tern.engine.service.message.MessagesConfiguration;
import dev.tern.engine.test.DeviceTimeline;
import dev.tern.engine.test.TestEngines;
import dev.tern.engine.test.TestUsers;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.TransportConfiguration;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.client.TernBlockingClient.Sent;
import dev.tern.transport.test.ChildJvm;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages against {@code tern run} as a real process ({@link EngineMain} in a child JVM), clients over real UDP:
 * two users, the recipient on two devices, all four kinds, retries, sync keys; then the engine stops and starts again
 * on the same data directory (or is killed and started again), and nothing acknowledged is lost and no sequence is
 * handed out twice.
 */
@Timeout(180)
class MessagesProcessTest
{
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Long> bobSeqs = new ArrayList<>();
    private final List<Long> aliceSeqs = new ArrayList<>();
    private String gateway;
    private String replicas;
    private ChildJvm engine;
    private EmbeddedDriver clientDriver;
    private TestUsers users;
    private long aliceUin;
    private long bobUin;
    private TernBlockingClient alice;
    private DeviceTimeline bobPhone;
    private DeviceTimeline bobLaptop;
    private DeviceTimeline aliceLaptop;

    @BeforeEach
    void setUp()
    {
        gateway = FreePorts.endpoint();
        replicas = FreePorts.endpoint() + "," + FreePorts.endpoint() + "," + FreePorts.endpoint();
        clientDriver = TestMediaDriver.launch();
        closeables.add(clientDriver);
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(users, engine);
        final List<AutoCloseable> reversed = new ArrayList<>(closeables);
        java.util.Collections.reverse(reversed);
        CloseHelper.quietCloseAll(reversed);
    }

    private void startEngine(final String name)
    {
        engine = ChildJvm.builder(EngineMain.class)
            .property(TransportConfiguration.AERON_DIR_PROP_NAME, new File(dir, "aeron-" + name).getPath())
            .property(TransportConfiguration.TERM_LENGTH_PROP_NAME, "262144")
            .property(MonitorConfiguration.DIR_PROP_NAME, new File(dir, "monitor").getPath())
            .property(AccountConfiguration.PBKDF2_ITERATIONS_PROP_NAME,
                Integer.toString(TestEngines.TEST_PBKDF2_ITERATIONS))
            .property(GatewayConfiguration.ENDPOINT_PROP_NAME, gateway)
            .property(EngineConfiguration.KV_REPLICAS_PROP_NAME, replicas)
            .property(MessagesConfiguration.STORE_WINDOW_MS_PROP_NAME,
                Long.toString(TestEngines.TEST_STORE_WINDOW_MS))
            .property(MessagesConfiguration.GAP_TIMEOUT_MS_PROP_NAME, Long.toString(TestEngines.TEST_GAP_TIMEOUT_MS))
            .property(SeqConfiguration.LEASE_MS_PROP_NAME, "3000")
            .arg("--data-dir", new File(dir, "data").getPath())
            .output(new File(dir, name + ".log"))
            .start();
        engine.awaitOutput("clients connect to " + gateway, START);
    }

    /** New connections for every device: a restarted gateway knows no session. */
    private void connectDevices()
    {
        CloseHelper.quietClose(users);
        users = new TestUsers(clientDriver, gateway);
        alice = users.device("alice", 1);
        final TernBlockingClient bobOne = users.device("bob", 1);
        final TernBlockingClient bobTwo = users.device("bob", 2);
        final TernBlockingClient aliceTwo = users.device("alice", 2);
        if (null == bobPhone)
        {
            bobPhone = new DeviceTimeline(bobOne);
            bobLaptop = new DeviceTimeline(bobTwo);
            aliceLaptop = new DeviceTimeline(aliceTwo);
        }
        else
        {
            bobPhone.reconnected(bobOne);
            bobLaptop.reconnected(bobTwo);
            aliceLaptop.reconnected(aliceTwo);
        }
    }

    private void startConversation()
    {
        startEngine("engine-1");
        users = new TestUsers(clientDriver, gateway);
        aliceUin = users.register("alice");
        bobUin = users.register("bob");
        connectDevices();
        TestUsers.befriend(alice, aliceUin, bobPhone.client(), bobUin);
    }

    private Sent acknowledged(final Sent sent)
    {
        assertEquals(ErrorCode.OK, sent.code(), sent.toString());
        bobSeqs.add(sent.recipientSeq());
        aliceSeqs.add(sent.senderSeq());
        return sent;
    }

    private void sendAllFourKinds(final long firstId)
    {
        final byte[] small = { 1, 2, 3 };
        acknowledged(alice.sendText(bobUin, firstId, "text " + firstId));
        acknowledged(alice.sendVoice(bobUin, firstId + 1, 2000, small));
        acknowledged(alice.sendImage(bobUin, firstId + 2, "blob:" + firstId, "image/png", 2048, small));
        acknowledged(alice.sendVideo(bobUin, firstId + 3, "blob:v" + firstId, "video/mp4", 1 << 20, 3000, small));
    }

    private void assertEveryDeviceHasExactlyWhatWasAcknowledged()
    {
        for (final DeviceTimeline bob : List.of(bobPhone, bobLaptop))
        {
            bob.catchUp(CATCH_UP);
            assertEquals(bobSeqs, bob.messages().stream().map(Message::seq).toList());
        }
        aliceLaptop.catchUp(CATCH_UP);
        assertEquals(aliceSeqs, aliceLaptop.messages().stream().map(Message::seq).toList(),
            "alice's other device has everything she sent");
        assertEquals(List.of(MessageKind.TEXT, MessageKind.VOICE, MessageKind.IMAGE, MessageKind.VIDEO),
            bobPhone.messages().subList(0, 4).stream().map(Message::kind).toList());
    }

    private void restartAndCheck(final Consumer<ChildJvm> stop, final String name)
    {
        final Sent beforeStop = alice.sendText(bobUin, 500, "just before the stop");
        acknowledged(beforeStop);
        final long highestBob = bobSeqs.stream().mapToLong(Long::longValue).max().orElseThrow();
        final long highestAlice = aliceSeqs.stream().mapToLong(Long::longValue).max().orElseThrow();

        stop.accept(engine);
        startEngine(name);
        connectDevices();

        assertEquals(beforeStop, alice.sendText(bobUin, 500, "just before the stop"),
            "a retry after the restart is answered from the stored record");
        final Sent afterRestart = acknowledged(retryUntilOk(() -> alice.sendText(bobUin, 600, "after the restart")));
        assertTrue(afterRestart.recipientSeq() > highestBob, "no sequence reused: " + afterRestart);
        assertTrue(afterRestart.senderSeq() > highestAlice, "no sequence reused: " + afterRestart);
        sendAllFourKinds(700);
        assertEveryDeviceHasExactlyWhatWasAcknowledged();
    }

    /** After a crash the allocator waits for the old lease: sends fail UNAVAILABLE until then, and are retried. */
    private static Sent retryUntilOk(final java.util.function.Supplier<Sent> send)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Sent sent = send.get();
        while (ErrorCode.OK != sent.code() && System.nanoTime() - deadline < 0)
        {
            assertEquals(ErrorCode.UNAVAILABLE, sent.code(), sent.toString());
            sent = send.get();
        }
        return sent;
    }

    @Test
    void shouldDeliverEveryKindToEveryDeviceOnceAndKeepItAllAcrossARestart()
    {
        startConversation();
        sendAllFourKinds(1);
        final Sent once = acknowledged(alice.sendText(bobUin, 5, "retried"));
        assertEquals(once, alice.sendText(bobUin, 5, "retried"), "a retry is stored once, with the same sequences");
        while (bobPhone.syncOnce(2).more())
        {
            assertTrue(bobPhone.key() > 0);
        }
        sendAllFourKinds(10);
        assertEveryDeviceHasExactlyWhatWasAcknowledged();

        restartAndCheck(ChildJvm::close, "engine-2");
    }

    @Test
    @Tag("slow")
    void shouldKeepEverythingAcknowledgedAndReuseNoSequenceAfterAKill9()
    {
        startConversation();
        sendAllFourKinds(1);
        assertEveryDeviceHasExactlyWhatWasAcknowledged();

        restartAndCheck(ChildJvm::kill9, "engine-2");
    }
}
