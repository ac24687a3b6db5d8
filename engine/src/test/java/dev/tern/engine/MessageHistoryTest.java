package dev.tern.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.engine.test.DeviceTimeline;
import dev.tern.engine.test.TestEngines;
import dev.tern.engine.test.TestUsers;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.client.TernBlockingClient.Sent;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checker over recorded histories: several users, each on two devices in threads of their own, send to random
 * contacts, retry with the same client message id (also from the other device, also while the first attempt is in
 * flight: one device of each user gives up on its requests after a few milliseconds), reconnect at random and sync
 * concurrently, against a whole engine over real UDP and real KVSvr storage.
 * Then, per timeline: every device saw the same messages in increasing sequence order, with no duplicate and nothing
 * missing (a fresh device syncing from 0 sees exactly the same); every acknowledged send is in the recipient's and
 * the sender's timeline exactly once, at the sequences it was acknowledged with; every answer to one client message
 * id names the same sequences; nothing is there that nobody sent.
 */
@Timeout(300)
class MessageHistoryTest
{
    private static final int USERS = 4;
    private static final int DEVICES = 2;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private Engine engine;
    private EmbeddedDriver clientDriver;
    private TestUsers users;

    /** What a user sent: an id, its recipient and content; every answer it got. */
    private record Attempt(long senderUin, long clientMessageId, long toUin, MessageKind kind, byte[] content)
    {
    }

    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final Map<String, List<Sent>> answers = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(users, clientDriver, engine);
    }

    @Test
    void shouldKeepEveryTimelineGapFreeAndEveryAcknowledgedSendExactlyOnce() throws InterruptedException
    {
        run(Duration.ofSeconds(6), 0x5EED);
    }

    @Test
    @Tag("slow")
    void shouldKeepEveryTimelineGapFreeAndEveryAcknowledgedSendExactlyOnceForAMinute() throws InterruptedException
    {
        run(Duration.ofSeconds(60), 0xC0FFEE);
    }

    private void run(final Duration duration, final long seed) throws InterruptedException
    {
        engine = Engine.launch(TestEngines.context(dir));
        clientDriver = TestMediaDriver.launch();
        users = new TestUsers(clientDriver, engine.gatewayEndpoint());
        final long[] uins = new long[USERS];
        for (int i = 0; i < USERS; i++)
        {
            uins[i] = users.register("user" + i);
        }
        for (int i = 0; i < USERS; i++)
        {
            final TernBlockingClient client = users.device("user" + i, 0);
            for (int j = 0; j < USERS; j++)
            {
                if (i != j)
                {
                    assertEquals(ErrorCode.OK, client.addContact(uins[j]).code());
                }
            }
        }

        final AtomicLong[] nextIds = new AtomicLong[USERS];
        final List<List<Long>> sentIds = new ArrayList<>();
        for (int i = 0; i < USERS; i++)
        {
            nextIds[i] = new AtomicLong();
            sentIds.add(new CopyOnWriteArrayList<>());
        }
        final DeviceTimeline[][] timelines = new DeviceTimeline[USERS][DEVICES];
        final List<Thread> threads = new ArrayList<>();
        final long endNs = System.nanoTime() + duration.toNanos();
        for (int user = 0; user < USERS; user++)
        {
            for (int device = 0; device < DEVICES; device++)
            {
                final DeviceTimeline timeline = new DeviceTimeline(users.device("user" + user, device + 1,
                    requestTimeout(device)));
                timelines[user][device] = timeline;
                final Device worker = new Device(user, device + 1, uins, timeline, nextIds[user], sentIds.get(user),
                    new Random(seed * 31 + user * 7 + device), endNs);
                final Thread thread = new Thread(worker, "history-user" + user + "-device" + device);
                threads.add(thread);
                thread.start();
            }
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(List.of(), failures, "the devices ran without failing");

        for (int user = 0; user < USERS; user++)
        {
            final DeviceTimeline fresh = new DeviceTimeline(users.device("user" + user, 99));
            fresh.catchUp(Duration.ofSeconds(30));
            for (final DeviceTimeline timeline : timelines[user])
            {
                timeline.catchUp(Duration.ofSeconds(30));
                assertEquals(seqs(fresh), seqs(timeline), "every device of user" + user + " has the same timeline");
            }
            check(uins[user], fresh.messages());
        }
        final long acknowledged = answers.values().stream()
            .filter(list -> list.stream().anyMatch(sent -> ErrorCode.OK == sent.code())).count();
        System.out.println("message history, seed " + seed + ": " + attempts.size() + " messages tried, " +
            acknowledged + " acknowledged, " + answers.values().stream().mapToInt(List::size).sum() + " answers");
        assertTrue(acknowledged > 20, "enough acknowledged sends to mean something: " + acknowledged);
    }

    /**
     * The first device of each user gives up on a request after a few milliseconds: its sends time out while they
     * are still in flight, and it retries them (or the other device does) against the attempt still running.
     */
    private static Duration requestTimeout(final int device)
    {
        return 0 == device ? Duration.ofMillis(15) : Duration.ofSeconds(10);
    }

    private static List<Long> seqs(final DeviceTimeline timeline)
    {
        return timeline.messages().stream().map(Message::seq).toList();
    }

    /** The checks of one user's timeline, as a fresh device synced it from 0. */
    private void check(final long uin, final List<Message> timeline)
    {
        final Set<Long> seen = new HashSet<>();
        final Set<String> messageIds = new HashSet<>();
        final Map<String, Long> seqOf = new HashMap<>();
        for (final Message message : timeline)
        {
            assertTrue(seen.add(message.seq()), "sequence " + message.seq() + " twice in " + uin);
            final String id = message.fromUin() + "/" + message.clientMessageId();
            assertTrue(messageIds.add(id), "message " + id + " twice in the timeline of " + uin);
            final Attempt attempt = attempts.get(id);
            assertNotNull(attempt, "message " + id + " in the timeline of " + uin + " was never sent");
            assertTrue(uin == attempt.toUin() || uin == attempt.senderUin(), "message " + id + " in " + uin);
            assertEquals(attempt.kind(), message.kind());
            final boolean inline = MessageKind.TEXT == message.kind() || MessageKind.VOICE == message.kind();
            assertArrayEquals(attempt.content(), inline ? message.body() :
                message.mediaRef().getBytes(StandardCharsets.US_ASCII), "the content of " + id);
            seqOf.put(id, message.seq());
        }
        for (final Map.Entry<String, List<Sent>> entry : answers.entrySet())
        {
            final Attempt attempt = attempts.get(entry.getKey());
            final List<Sent> ok = entry.getValue().stream().filter(sent -> ErrorCode.OK == sent.code()).toList();
            if (ok.isEmpty() || (uin != attempt.toUin() && uin != attempt.senderUin()))
            {
                continue;
            }
            assertEquals(1, ok.stream().distinct().count(), "every answer to " + entry.getKey() + " names the same " +
                "sequences: " + ok);
            final long expected = uin == attempt.toUin() ? ok.get(0).recipientSeq() : ok.get(0).senderSeq();
            assertEquals(Long.valueOf(expected), seqOf.get(entry.getKey()),
                "acknowledged " + entry.getKey() + " in the timeline of " + uin);
        }
    }

    /** One device: random sends, retries, syncs and reconnects until the end. */
    private final class Device implements Runnable
    {
        private final int user;
        private final int deviceId;
        private final long[] uins;
        private final DeviceTimeline timeline;
        private final AtomicLong nextId;
        private final List<Long> sentIds;
        private final Random random;
        private final long endNs;
        private TernBlockingClient client;

        Device(final int user, final int deviceId, final long[] uins, final DeviceTimeline timeline,
            final AtomicLong nextId, final List<Long> sentIds, final Random random, final long endNs)
        {
            this.user = user;
            this.deviceId = deviceId;
            this.uins = uins;
            this.timeline = timeline;
            this.nextId = nextId;
            this.sentIds = sentIds;
            this.random = random;
            this.endNs = endNs;
            this.client = timeline.client();
        }

        public void run()
        {
            try
            {
                while (System.nanoTime() - endNs < 0)
                {
                    final int action = random.nextInt(100);
                    if (action < 40)
                    {
                        final long id = nextId.incrementAndGet();
                        sentIds.add(id);
                        send(id);
                    }
                    else if (action < 55 && !sentIds.isEmpty())
                    {
                        send(sentIds.get(random.nextInt(sentIds.size())));
                    }
                    else if (action < 95)
                    {
                        timeline.trySync(1 + random.nextInt(20));
                    }
                    else
                    {
                        final TernBlockingClient next = users.device("user" + user, deviceId,
                            requestTimeout(deviceId - 1));
                        client.close();
                        client = next;
                        timeline.reconnected(next);
                    }
                }
            }
            catch (final Throwable ex)
            {
                failures.add(ex);
            }
        }

        private void send(final long id)
        {
            final long senderUin = uins[user];
            final String key = senderUin + "/" + id;
            final Attempt attempt = attempts.computeIfAbsent(key, k -> newAttempt(senderUin, id));
            final Sent sent;
            switch (attempt.kind())
            {
                case TEXT:
                    sent = client.sendText(attempt.toUin(), id, new String(attempt.content(), StandardCharsets.UTF_8));
                    break;
                case VOICE:
                    sent = client.sendVoice(attempt.toUin(), id, 1000, attempt.content());
                    break;
                case IMAGE:
                    sent = client.sendImage(attempt.toUin(), id, ascii(attempt), "image/png", 100, new byte[]{ 1 });
                    break;
                default:
                    sent = client.sendVideo(attempt.toUin(), id, ascii(attempt), "video/mp4", 100, 500, new byte[0]);
                    break;
            }
            assertTrue(ErrorCode.OK == sent.code() || ErrorCode.UNAVAILABLE == sent.code() ||
                ErrorCode.TIMEOUT == sent.code() || ErrorCode.BUSY == sent.code(), () -> key + ": " + sent);
            answers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(sent);
        }

        private Attempt newAttempt(final long senderUin, final long id)
        {
            int to = random.nextInt(USERS - 1);
            to = to >= user ? to + 1 : to;
            final MessageKind kind = MessageKind.values()[random.nextInt(4)];
            final String content = "m-" + senderUin + "-" + id;
            return new Attempt(senderUin, id, uins[to], kind, content.getBytes(StandardCharsets.US_ASCII));
        }

        private String ascii(final Attempt attempt)
        {
            return new String(attempt.content(), StandardCharsets.US_ASCII);
        }
    }
}
