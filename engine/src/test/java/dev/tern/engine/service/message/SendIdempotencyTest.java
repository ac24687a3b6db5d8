package dev.tern.engine.service.message;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.SendTextEncoder;
import dev.tern.engine.Engine;
import dev.tern.engine.service.KvKeys;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.test.TestEngines;
import dev.tern.engine.test.TestUsers;
import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvBlockingClient;
import dev.tern.storage.client.KvClient;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.client.TernBlockingClient.Sent;
import dev.tern.transport.client.TernBlockingClient.Synced;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idempotent send past the store window, against a whole engine in this process: a retry answered from the rows a
 * first attempt stored, and a retry of a first attempt that bound its record but never stored (written into KVSvr
 * here as a crash would leave it) that gets new sequences and stores the message once.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendIdempotencyTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static File dir;

    private Engine engine;
    private EmbeddedDriver clientDriver;
    private TestUsers users;
    private KvBlockingClient kv;
    private int names;

    @BeforeAll
    void start()
    {
        engine = Engine.launch(TestEngines.context(dir));
        clientDriver = TestMediaDriver.launch();
        users = new TestUsers(clientDriver, engine.gatewayEndpoint());
        kv = new KvBlockingClient(KvClient.connect(new KvClient.Context()
            .aeron(clientDriver.aeron())
            .cluster(engine.cluster())));
    }

    @AfterEach
    void closeClients()
    {
        users.close();
    }

    @AfterAll
    void stop()
    {
        CloseHelper.quietCloseAll(kv, users, clientDriver, engine);
    }

    @Test
    void shouldAnswerARetryAfterTheStoreWindowFromTheRowsTheFirstAttemptStored()
    {
        final String alice = "alice" + ++names;
        final String bob = "bob" + names;
        final long aliceUin = users.register(alice);
        final long bobUin = users.register(bob);
        final TernBlockingClient aliceOne = users.device(alice, 1);
        final TernBlockingClient bobOne = users.device(bob, 1);
        TestUsers.befriend(aliceOne, aliceUin, bobOne, bobUin);

        final Sent first = aliceOne.sendText(bobUin, 31, "late retry");
        assertEquals(ErrorCode.OK, first.code());
        final long windowEnds = System.currentTimeMillis() + TestEngines.TEST_STORE_WINDOW_MS;
        Await.await(() -> System.currentTimeMillis() > windowEnds, Duration.ofSeconds(10), () -> "the store window");

        assertEquals(first, aliceOne.sendText(bobUin, 31, "late retry"));
        assertEquals(List.of(first.recipientSeq()), bobMessages(bobOne).stream().map(Message::seq).toList());
    }

    @Test
    void shouldGiveNewSequencesToARetryWhoseFirstAttemptNeverStored()
    {
        final String alice = "alice" + ++names;
        final String bob = "bob" + names;
        final long aliceUin = users.register(alice);
        final long bobUin = users.register(bob);
        final TernBlockingClient aliceOne = users.device(alice, 1);
        final TernBlockingClient bobOne = users.device(bob, 1);
        TestUsers.befriend(aliceOne, aliceUin, bobOne, bobUin);
        final long neverStored = 1L << 40;
        bindRecordOfACrashedSend(aliceUin, bobUin, 32, "lost in a crash", neverStored);

        final Sent retry = aliceOne.sendText(bobUin, 32, "lost in a crash");

        assertEquals(ErrorCode.OK, retry.code());
        assertNotEquals(neverStored, retry.recipientSeq());
        assertNotEquals(neverStored + 1, retry.senderSeq());
        assertEquals(retry, aliceOne.sendText(bobUin, 32, "lost in a crash"), "the new sequences are recorded");
        final List<Message> messages = bobMessages(bobOne);
        assertEquals(List.of(retry.recipientSeq()), messages.stream().map(Message::seq).toList());
        assertEquals("lost in a crash", messages.get(0).text());
        assertEquals(ErrorCode.ID_REUSED, aliceOne.sendText(bobUin, 32, "something else").code());
    }

    private List<Message> bobMessages(final TernBlockingClient bob)
    {
        final Synced synced = bob.sync(0, 100);
        assertEquals(ErrorCode.OK, synced.code());
        return synced.messages();
    }

    /**
     * Write the record a send leaves when it crashed after binding it and before storing its rows, its store window
     * long over.
     */
    private void bindRecordOfACrashedSend(final long senderUin, final long toUin, final long clientMessageId,
        final String text, final long recipientSeq)
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(256);
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final SendTextEncoder encoder = new SendTextEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(1);
        encoder.uin(0).toUin(toUin).clientMessageId(clientMessageId).putText(bytes, 0, bytes.length);
        final SendOp op = new SendOp(0);
        op.uin = senderUin;
        op.request(frame, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        assertEquals(ErrorCode.OK, new SendDecodeStage(new ManyToOneConcurrentArrayQueue<ServiceOp>(1)).decode(op));
        final long now = System.currentTimeMillis();
        op.recipientSeq = recipientSeq;
        op.senderSeq = recipientSeq + 1;
        op.storedAtMs = now - 60_000;
        op.deadlineMs = now - 50_000;

        final ExpandableArrayBuffer value = new ExpandableArrayBuffer(SendRecord.LENGTH);
        final int length = SendRecord.encode(value, op);
        final ExpandableArrayBuffer key = new ExpandableArrayBuffer(KvKeys.MAX_KEY_LENGTH);
        final int keyLength = KvKeys.sendRecord(key, senderUin, clientMessageId);
        assertEquals(ResultCode.OK, kv.putIfAbsent(Arrays.copyOf(key.byteArray(), keyLength),
            Arrays.copyOf(value.byteArray(), length)).result());
        assertTrue(SendRecord.isValid(value, length));
    }
}
