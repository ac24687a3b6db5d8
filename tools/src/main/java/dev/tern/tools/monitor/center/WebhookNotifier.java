package dev.tern.tools.monitor.center;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs alarm events as JSON to the configured webhook, on its own thread so that a slow or dead receiver never
 * holds up report intake. Events wait in a bounded queue (dropped and counted when full); a failed POST (an error or
 * a status other than 2xx) is counted and retried after 250 ms, 500 ms, 1 s, then given up and counted.
 */
final class WebhookNotifier implements Agent
{
    static final int QUEUE_CAPACITY = 1024;
    static final int MAX_ATTEMPTS = 4;
    static final long FIRST_RETRY_DELAY_MS = 250;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final EpochClock clock;
    private final HttpClient client;
    private final OneToOneConcurrentArrayQueue<String> queue = new OneToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private String current;
    private int attempts;
    private long nextAttemptMs;

    WebhookNotifier(final URI uri, final EpochClock clock)
    {
        this.uri = uri;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /**
     * Queue an event; the center's thread calls it.
     *
     * @param json the event.
     */
    void offer(final String json)
    {
        if (!queue.offer(json))
        {
            dropped.incrementAndGet();
        }
    }

    public int doWork()
    {
        if (null == current)
        {
            current = queue.poll();
            attempts = 0;
            nextAttemptMs = 0;
            if (null == current)
            {
                return 0;
            }
        }
        final long nowMs = clock.time();
        if (nowMs < nextAttemptMs)
        {
            return 0;
        }
        attempts++;
        if (post(current))
        {
            delivered.incrementAndGet();
            current = null;
        }
        else
        {
            failures.incrementAndGet();
            if (attempts >= MAX_ATTEMPTS)
            {
                dropped.incrementAndGet();
                current = null;
            }
            else
            {
                nextAttemptMs = nowMs + (FIRST_RETRY_DELAY_MS << (attempts - 1));
            }
        }
        return 1;
    }

    public String roleName()
    {
        return "tern-center-webhook";
    }

    /** @return failed POST attempts since start. */
    long failures()
    {
        return failures.get();
    }

    /** @return events given up or refused by a full queue since start. */
    long dropped()
    {
        return dropped.get();
    }

    /** @return events delivered since start. */
    long delivered()
    {
        return delivered.get();
    }

    private boolean post(final String json)
    {
        try
        {
            final HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
            final int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
