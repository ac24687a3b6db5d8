package dev.tern.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.engine.service.message.MessagesConfiguration;
import dev.tern.engine.test.TestUsers;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Sent;
import dev.tern.transport.test.Await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The isolation checks, against an engine however it is deployed: send-media made to throw on every request
 * (a poison media type) and, separately, stalled (a handler blocked while a file exists); meanwhile send-text and
 * sync keep answering OK within their normal timeouts, and their latency is measured beside a quiet run (printed,
 * not asserted: speed is measured in perf/); afterwards send-media serves again.
 */
final class IsolationChecks implements AutoCloseable
{
    private static final int ROUNDS = 30;
    private static final AtomicLong IDS = new AtomicLong(1000);

    private final TestUsers users;
    private final File stallFile;
    private final String aliceName;
    private final TernBlockingClient alice;
    private final TernBlockingClient bob;
    private final long bobUin;
    private final long carolUin;
    private long bobKey;

    /**
     * @param driver    the clients' media driver.
     * @param gateway   the engine's gateway.
     * @param stallFile the file send-media's stall hook waits on.
     * @param prefix    makes the account names unique per engine.
     */
    IsolationChecks(final EmbeddedDriver driver, final String gateway, final File stallFile, final String prefix)
    {
        this.stallFile = stallFile;
        aliceName = prefix + "alice";
        users = new TestUsers(driver, gateway);
        final long aliceUin = awaitRegistered(aliceName);
        bobUin = awaitRegistered(prefix + "bob");
        carolUin = awaitRegistered(prefix + "carol");
        alice = users.device(aliceName, 1);
        bob = users.device(prefix + "bob", 1);
        final TernBlockingClient carol = users.device(prefix + "carol", 1);
        TestUsers.befriend(alice, aliceUin, bob, bobUin);
        TestUsers.befriend(alice, aliceUin, carol, carolUin);
        Await.await(() -> ErrorCode.OK == sendImage("image/png").code(), "send-media to serve");
    }

    private long awaitRegistered(final String name)
    {
        final long[] uin = new long[1];
        final TernBlockingClient admin = users.connect();
        Await.await(() ->
        {
            final TernBlockingClient.Registered registered = admin.register(name, TestUsers.password(name));
            uin[0] = registered.uin();
            return ErrorCode.OK == registered.code() || ErrorCode.NAME_TAKEN == registered.code();
        }, "the engine to register " + name);
        return uin[0];
    }

    private Sent sendImage(final String type)
    {
        return alice.sendImage(carolUin, IDS.incrementAndGet(), "blob:photo", type, 1000, new byte[]{ 1, 2 });
    }

    /**
     * Send text and sync, each {@link #ROUNDS} times, asserting every answer is OK.
     *
     * @param label printed with the latencies.
     * @param media called between rounds: what send-media is put through meanwhile.
     */
    void textAndSyncKeepServing(final String label, final Runnable media)
    {
        final long[] send = new long[ROUNDS];
        final long[] sync = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++)
        {
            media.run();
            long start = System.nanoTime();
            final Sent sent = alice.sendText(bobUin, IDS.incrementAndGet(), "still here " + round);
            send[round] = System.nanoTime() - start;
            assertEquals(ErrorCode.OK, sent.code(), () -> label + ": send-text answered " + sent);

            start = System.nanoTime();
            final TernBlockingClient.Synced synced = bob.sync(bobKey, 100);
            sync[round] = System.nanoTime() - start;
            assertEquals(ErrorCode.OK, synced.code(), () -> label + ": sync answered " + synced);
            bobKey = synced.syncKey();
        }
        Arrays.sort(send);
        Arrays.sort(sync);
        System.out.printf("isolation, %s: send-text p50 %.2f ms, max %.2f ms; sync p50 %.2f ms, max %.2f ms%n",
            label, send[ROUNDS / 2] / 1e6, send[ROUNDS - 1] / 1e6, sync[ROUNDS / 2] / 1e6, sync[ROUNDS - 1] / 1e6);
    }

    /** A quiet run, the measure to compare with. */
    void quiet()
    {
        textAndSyncKeepServing("quiet", () -> { });
    }

    /** send-media throws on every request meanwhile; then it serves again. */
    void mediaThrowing()
    {
        textAndSyncKeepServing("send-media throwing", () ->
            assertEquals(ErrorCode.INTERNAL, sendImage(MessagesConfiguration.TEST_POISON_MEDIA_TYPE).code()));
        assertEquals(ErrorCode.OK, sendImage("image/jpeg").code(), "send-media serves after the poison");
    }

    /** send-media is stalled meanwhile (its handler blocked); then released, it serves again. */
    void mediaStalled() throws IOException, InterruptedException
    {
        Files.writeString(stallFile.toPath(), "stall");
        final Map<String, Sent> stalled = new ConcurrentHashMap<>();
        final TernBlockingClient stallingDevice = users.device(aliceName, 2);
        final Thread stall = new Thread(() -> stalled.put("stall", stallingDevice.sendImage(carolUin,
            IDS.incrementAndGet(), "blob:slow", MessagesConfiguration.TEST_STALL_MEDIA_TYPE, 10, new byte[0])));
        stall.start();
        try
        {
            textAndSyncKeepServing("send-media stalled", () -> { });
            assertTrue(!stalled.containsKey("stall"), "send-media stayed stalled the whole time");
        }
        finally
        {
            Files.delete(stallFile.toPath());
        }
        stall.join(Duration.ofSeconds(30).toMillis());
        Await.await(() -> ErrorCode.OK == sendImage("image/gif").code(), "send-media to serve after the stall");
    }

    public void close()
    {
        users.close();
    }
}
