package dev.tern.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.test.DeviceTimeline;
import dev.tern.engine.test.TestClients;
import dev.tern.engine.test.TestEngines;
import dev.tern.engine.test.TestUsers;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.client.TernBlockingClient.Notification;
import dev.tern.transport.client.TernBlockingClient.Sent;
import dev.tern.transport.client.TernBlockingClient.Synced;
import dev.tern.transport.client.TernClient;
import dev.tern.transport.client.TernClientListener;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Send and sync against a whole engine in this process, clients over real UDP, real KVSvr storage: the four kinds
 * on several devices, retries, sync keys, contacts and blocks, notifications, and the gap rule holding a sync back
 * before a sequence that is still being stored.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesTest
{
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static File dir;

    private File stallFile;
    private Engine engine;
    private EmbeddedDriver clientDriver;
    private TestUsers users;

    @BeforeAll
    void start()
    {
        stallFile = new File(dir, "stall");
        final Engine.Context ctx = TestEngines.context(dir);
        ctx.messages().testHooks(true).stallFile(stallFile);
        engine = Engine.launch(ctx);
        clientDriver = TestMediaDriver.launch();
        users = new TestUsers(clientDriver, engine.gatewayEndpoint());
    }

    @AfterEach
    void closeClients()
    {
        users.close();
    }

    @AfterAll
    void stop()
    {
        CloseHelper.quietCloseAll(users, clientDriver, engine);
    }

    private static String name(final String prefix)
    {
        return prefix + NAMES.incrementAndGet();
    }

    /**
     * Two new accounts, each in the other's contacts, each with one device logged in.
     */
    private record Friends(String alice, long aliceUin, TernBlockingClient aliceOne, String bob, long bobUin,
        TernBlockingClient bobOne)
    {
    }

    private Friends friends()
    {
        final String alice = name("alice");
        final String bob = name("bob");
        final long aliceUin = users.register(alice);
        final long bobUin = users.register(bob);
        final TernBlockingClient aliceOne = users.device(alice, 1);
        final TernBlockingClient bobOne = users.device(bob, 1);
        TestUsers.befriend(aliceOne, aliceUin, bobOne, bobUin);
        return new Friends(alice, aliceUin, aliceOne, bob, bobUin, bobOne);
    }

    @Test
    void shouldSyncMessagesOfAllFourKindsInOrderOnEveryDevice()
    {
        final Friends friends = friends();
        final long aliceUin = friends.aliceUin();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient aliceTwo = users.device(friends.alice(), 2);
        final TernBlockingClient bobOne = friends.bobOne();
        final TernBlockingClient bobTwo = users.device(friends.bob(), 2);

        final byte[] voice = { 1, 2, 3, 4, 5 };
        final byte[] thumbnail = { 9, 8, 7 };
        final List<Sent> sent = List.of(
            aliceOne.sendText(bobUin, 1, "hello bob"),
            aliceOne.sendVoice(bobUin, 2, 1500, voice),
            aliceOne.sendImage(bobUin, 3, "blob:cat-42", "image/jpeg", 123_456, thumbnail),
            aliceOne.sendVideo(bobUin, 4, "https://cdn.example/v/7", "video/mp4", 9_999_999, 61_000, thumbnail));
        for (final Sent one : sent)
        {
            assertEquals(ErrorCode.OK, one.code(), one.toString());
        }

        for (final TernBlockingClient device : List.of(bobOne, bobTwo))
        {
            final List<Message> messages = syncAll(device, 0);
            assertEquals(4, messages.size(), messages.toString());
            assertEquals(List.of(MessageKind.TEXT, MessageKind.VOICE, MessageKind.IMAGE, MessageKind.VIDEO),
                messages.stream().map(Message::kind).toList());
            for (int i = 0; i < 4; i++)
            {
                assertEquals(sent.get(i).recipientSeq(), messages.get(i).seq());
                assertEquals(aliceUin, messages.get(i).fromUin());
                assertEquals(bobUin, messages.get(i).toUin());
                assertEquals(i + 1, messages.get(i).clientMessageId());
            }
            assertEquals("hello bob", messages.get(0).text());
            assertArrayEquals(voice, messages.get(1).body());
            assertEquals(1500, messages.get(1).durationMs());
            assertEquals("blob:cat-42", messages.get(2).mediaRef());
            assertEquals("image/jpeg", messages.get(2).mediaType());
            assertEquals(123_456, messages.get(2).sizeBytes());
            assertArrayEquals(thumbnail, messages.get(2).body());
            assertEquals("https://cdn.example/v/7", messages.get(3).mediaRef());
            assertEquals(61_000, messages.get(3).durationMs());
        }

        final List<Message> aliceTimeline = syncAll(aliceTwo, 0);
        assertEquals(sent.stream().map(Sent::senderSeq).toList(), aliceTimeline.stream().map(Message::seq).toList(),
            "the sender's other device syncs what it sent");
        assertTrue(aliceTimeline.stream().allMatch(message -> message.fromUin() == aliceUin));
    }

    @Test
    void shouldNotifyTheRecipientsDevicesAndTheSendersOtherDevices()
    {
        final Friends friends = friends();
        final long aliceUin = friends.aliceUin();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient aliceTwo = users.device(friends.alice(), 2);
        final TernBlockingClient bobOne = friends.bobOne();
        final TernBlockingClient bobTwo = users.device(friends.bob(), 2);

        final Sent sent = aliceOne.sendText(bobUin, 77, "ping");
        assertEquals(ErrorCode.OK, sent.code());

        for (final TernBlockingClient device : List.of(bobOne, bobTwo))
        {
            final Notification notification = device.awaitNotification(Duration.ofSeconds(10));
            assertEquals(new Notification(sent.recipientSeq(), aliceUin, MessageKind.TEXT), notification);
        }
        assertEquals(new Notification(sent.senderSeq(), aliceUin, MessageKind.TEXT),
            aliceTwo.awaitNotification(Duration.ofSeconds(10)));
        assertEquals(List.of(), aliceOne.takeNotifications(), "the sending device is not notified of its own send");
    }

    @Test
    void shouldStoreARetriedSendOnceWithTheSameSequences()
    {
        final Friends friends = friends();
        final String alice = friends.alice();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient bobOne = friends.bobOne();

        final Sent first = aliceOne.sendText(bobUin, 5, "once");
        final Sent retry = aliceOne.sendText(bobUin, 5, "once");
        final Sent fromAnotherDevice = users.device(alice, 2).sendText(bobUin, 5, "once");

        assertEquals(ErrorCode.OK, first.code());
        assertEquals(first, retry);
        assertEquals(first, fromAnotherDevice);
        assertEquals(List.of(first.recipientSeq()), syncAll(bobOne, 0).stream().map(Message::seq).toList());
    }

    @Test
    void shouldStoreConcurrentRetriesOnce()
    {
        final Friends friends = friends();
        final String alice = friends.alice();
        final long bobUin = friends.bobUin();
        final TernBlockingClient bobOne = friends.bobOne();
        final Map<Long, Sent> outcomes = new ConcurrentHashMap<>();
        final TernClient async = TernClient.connect(TestClients.context(clientDriver,
            engine.gatewayEndpoint()).listener(new TernClientListener()
            {
                public void onSent(final long correlationId, final ErrorCode code, final long recipientSeq,
                    final long senderSeq)
                {
                    outcomes.put(correlationId, new Sent(code, recipientSeq, senderSeq));
                }

                public void onLoggedIn(final long correlationId, final ErrorCode code, final long uin,
                    final long expiresInMs)
                {
                    outcomes.put(correlationId, new Sent(code, uin, 0));
                }
            }));
        try
        {
            Await.await(() -> async.poll() >= 0 && async.isConnected(), "the client to connect");
            async.login(alice, TestUsers.password(alice), 3);
            Await.await(() -> async.poll() >= 0 && async.isLoggedIn(), "the login");

            final List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                ids.add(async.sendText(bobUin, 900, "at the same time"));
            }
            Await.await(() -> async.poll() >= 0 && ids.stream().allMatch(outcomes::containsKey), "every answer");

            final List<Sent> answers = ids.stream().map(outcomes::get).toList();
            final List<Sent> ok = answers.stream().filter(sent -> ErrorCode.OK == sent.code()).toList();
            assertTrue(ok.size() >= 1, answers.toString());
            assertTrue(ok.stream().distinct().count() == 1, "every OK answer has the same sequences: " + answers);
            final List<Message> messages = syncAll(bobOne, 0);
            assertEquals(1, messages.size(), messages.toString());
            assertEquals(ok.get(0).recipientSeq(), messages.get(0).seq());
        }
        finally
        {
            async.close();
        }
    }

    @Test
    void shouldRefuseAnotherMessageUnderAUsedClientMessageId()
    {
        final Friends friends = friends();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient bobOne = friends.bobOne();

        assertEquals(ErrorCode.OK, aliceOne.sendText(bobUin, 6, "first").code());
        assertEquals(ErrorCode.ID_REUSED, aliceOne.sendText(bobUin, 6, "second").code());
        assertEquals(List.of("first"), syncAll(bobOne, 0).stream().map(Message::text).toList());
    }

    @Test
    void shouldRefuseASyncKeyFromTheFutureAndNeverMoveAKeyBackwards()
    {
        final Friends friends = friends();
        final String alice = friends.alice();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient bobOne = friends.bobOne();
        final Sent sent = aliceOne.sendText(bobUin, 1, "one");

        final Synced synced = bobOne.sync(0, 10);
        assertEquals(sent.recipientSeq(), synced.syncKey());
        final Synced again = bobOne.sync(synced.syncKey(), 10);
        assertEquals(ErrorCode.OK, again.code());
        assertEquals(List.of(), again.messages());
        assertEquals(synced.syncKey(), again.syncKey(), "nothing new: the key stays");

        assertEquals(ErrorCode.BAD_SYNC_KEY, bobOne.sync(synced.syncKey() + 1, 10).code());
        assertEquals(ErrorCode.BAD_SYNC_KEY, bobOne.sync(Long.MAX_VALUE, 10).code());
        assertEquals(ErrorCode.BAD_SYNC_KEY, users.device(alice, 5).sync(sent.recipientSeq() + 100, 10).code());
        assertEquals(ErrorCode.BAD_REQUEST, bobOne.sync(-1, 10).code());
        assertEquals(ErrorCode.BAD_REQUEST, bobOne.sync(0, 0).code());
    }

    @Test
    void shouldRefuseStrangersAndBlockedSenders()
    {
        final Friends friends = friends();
        final long aliceUin = friends.aliceUin();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient bobOne = friends.bobOne();
        final String eve = name("eve");
        users.register(eve);
        final TernBlockingClient eveOne = users.device(eve, 1);
        assertEquals(ErrorCode.OK, eveOne.addContact(bobUin).code());

        assertEquals(ErrorCode.NOT_CONTACT, eveOne.sendText(bobUin, 1, "let me in").code(),
            "bob never added eve: adding bob is not enough");
        assertEquals(ErrorCode.OK, bobOne.block(aliceUin).code());
        assertEquals(ErrorCode.BLOCKED, aliceOne.sendText(bobUin, 1, "hi?").code());
        assertEquals(ErrorCode.BLOCKED, aliceOne.sendImage(bobUin, 2, "blob:x", "image/png", 1, new byte[0]).code());
        assertEquals(ErrorCode.OK, bobOne.unblock(aliceUin).code());
        assertEquals(ErrorCode.NOT_FOUND, bobOne.unblock(aliceUin).code());
        assertEquals(ErrorCode.OK, aliceOne.sendText(bobUin, 3, "hi!").code());
        assertEquals(ErrorCode.BAD_REQUEST, aliceOne.sendText(aliceUin, 4, "me").code());
        assertEquals(List.of("hi!"), syncAll(bobOne, 0).stream().map(Message::text).toList());
    }

    @Test
    void shouldHoldASyncBackBeforeASequenceStillBeingStored() throws IOException
    {
        final Friends friends = friends();
        final long bobUin = friends.bobUin();
        final TernBlockingClient aliceOne = friends.aliceOne();
        final TernBlockingClient aliceTwo = users.device(friends.alice(), 2);
        final TernBlockingClient bobOne = friends.bobOne();
        final Sent before = aliceOne.sendText(bobUin, 1, "before");
        final Synced caughtUp = bobOne.sync(0, 10);
        assertEquals(before.recipientSeq(), caughtUp.syncKey());

        Files.writeString(stallFile.toPath(), "stall", StandardCharsets.US_ASCII);
        final long allocated = engine.monitor().get(MonitorId.SEQ_ALLOCATED.id());
        final Map<String, Sent> stalled = new ConcurrentHashMap<>();
        final Thread media = new Thread(() -> stalled.put("image",
            aliceTwo.sendImage(bobUin, 2, "blob:slow", "x-test/stall", 10, new byte[0])));
        media.start();
        try
        {
            // the image has its sequences (one for bob, one for alice) and is held before it stores them
            Await.await(() -> engine.monitor().get(MonitorId.SEQ_ALLOCATED.id()) >= allocated + 2,
                "the stalled send to allocate");
            final Sent after = aliceOne.sendText(bobUin, 3, "after");
            assertEquals(ErrorCode.OK, after.code());
            assertEquals(before.recipientSeq() + 2, after.recipientSeq(), "the image holds the sequence between");

            final Synced held = bobOne.sync(caughtUp.syncKey(), 10);
            assertEquals(ErrorCode.OK, held.code());
            assertEquals(List.of(), held.messages(), "nothing after the sequence still being stored");
            assertEquals(caughtUp.syncKey(), held.syncKey(), "the key does not pass the sequence");
            assertTrue(held.retryAfterMs() > 0, held.toString());
        }
        finally
        {
            Files.delete(stallFile.toPath());
        }
        Await.await(() -> stalled.containsKey("image"), "the stalled send to finish");
        assertEquals(ErrorCode.OK, stalled.get("image").code());

        final List<Message> messages = syncAll(bobOne, caughtUp.syncKey());
        assertEquals(List.of(before.recipientSeq() + 1, before.recipientSeq() + 2),
            messages.stream().map(Message::seq).toList());
        assertEquals(List.of(MessageKind.IMAGE, MessageKind.TEXT), messages.stream().map(Message::kind).toList());
    }

    private static List<Message> syncAll(final TernBlockingClient device, final long fromKey)
    {
        return new DeviceTimeline(device, fromKey).catchUp(Duration.ofSeconds(30));
    }
}
