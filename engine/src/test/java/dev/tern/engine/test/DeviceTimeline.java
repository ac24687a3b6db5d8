package dev.tern.engine.test;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.client.TernBlockingClient.Message;
import dev.tern.transport.client.TernBlockingClient.Synced;
import dev.tern.transport.test.Await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one device of a user has synced: its key (the device keeps it, the server keeps nothing) and every message
 * it got, checking on every sync that the key never goes backwards and that sequences only increase.
 */
public final class DeviceTimeline
{
    private TernBlockingClient client;
    private long key;
    private final List<Message> messages = new ArrayList<>();

    /**
     * @param client the device's logged-in connection.
     */
    public DeviceTimeline(final TernBlockingClient client)
    {
        this(client, 0);
    }

    /**
     * @param client the device's logged-in connection.
     * @param key    the key the device kept.
     */
    public DeviceTimeline(final TernBlockingClient client, final long key)
    {
        this.client = client;
        this.key = key;
    }

    /** @param client the device's new connection (after a reconnect or a restart); the key is kept. */
    public void reconnected(final TernBlockingClient client)
    {
        this.client = client;
    }

    /** @return the device's connection. */
    public TernBlockingClient client()
    {
        return client;
    }

    /** @return the device's sync key. */
    public long key()
    {
        return key;
    }

    /** @return every message synced so far, in the order they came. */
    public List<Message> messages()
    {
        return messages;
    }

    /**
     * One sync from the device's key.
     *
     * @return the answer, after checking it and taking its messages and key.
     */
    public Synced syncOnce(final int maxMessages)
    {
        final Synced synced = trySync(maxMessages);
        assertEquals(ErrorCode.OK, synced.code(), () -> "sync from " + key + ": " + synced);
        return synced;
    }

    /**
     * One sync from the device's key that may fail the way a sync under load may (UNAVAILABLE, BUSY, TIMEOUT: the
     * key stays); any other failure fails the test.
     *
     * @return the answer, its messages and key taken when OK.
     */
    public Synced trySync(final int maxMessages)
    {
        final Synced synced = client.sync(key, maxMessages);
        if (ErrorCode.OK != synced.code())
        {
            assertTrue(ErrorCode.UNAVAILABLE == synced.code() || ErrorCode.BUSY == synced.code() ||
                ErrorCode.TIMEOUT == synced.code(), () -> "sync from " + key + ": " + synced);
            return synced;
        }
        assertTrue(synced.syncKey() >= key, () -> "the key went backwards: " + key + " -> " + synced.syncKey());
        long previous = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
        for (final Message message : synced.messages())
        {
            assertTrue(message.seq() > previous && message.seq() > key && message.seq() <= synced.syncKey(),
                () -> "message " + message.seq() + " out of order after key " + key + ": " + synced);
            previous = message.seq();
        }
        messages.addAll(synced.messages());
        key = synced.syncKey();
        return synced;
    }

    /**
     * Sync until nothing more can be had and nothing is held back (waiting out held-back gaps, trying again after
     * failures a sync under load may have).
     *
     * @return every message synced so far.
     */
    public List<Message> catchUp(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final Synced synced = trySync(100);
            assertTrue(System.nanoTime() - deadline < 0, () -> "not caught up after " + timeout + ": " + synced);
            if (synced.more() || ErrorCode.OK != synced.code())
            {
                continue;
            }
            if (0 == synced.retryAfterMs())
            {
                return messages;
            }
            final long until = System.nanoTime() + Duration.ofMillis(synced.retryAfterMs()).toNanos();
            assertTrue(until - deadline < 0, () -> "still held back after " + timeout + ": " + synced);
            Await.await(() -> System.nanoTime() - until >= 0, timeout, () -> "the held-back gap to age");
        }
    }
}
