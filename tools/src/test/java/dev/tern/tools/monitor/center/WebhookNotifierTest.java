package dev.tern.tools.monitor.center;

import dev.tern.tools.monitor.TestHttp;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The webhook's retries, driven step by step with an injected clock: no waiting for real backoff delays.
 */
@Timeout(30)
class WebhookNotifierTest
{
    private final CachedEpochClock clock = new CachedEpochClock();

    @Test
    void shouldRetryAFailedPostCountEachFailureAndDeliverOnce()
    {
        try (TestHttp.WebhookReceiver receiver = new TestHttp.WebhookReceiver(2))
        {
            final WebhookNotifier notifier = new WebhookNotifier(URI.create(receiver.url()), clock);
            notifier.offer("{\"event\":\"fire\"}");

            assertEquals(1, notifier.doWork());
            assertEquals(0, notifier.doWork(), "waits for the first retry delay");
            clock.advance(WebhookNotifier.FIRST_RETRY_DELAY_MS);
            assertEquals(1, notifier.doWork());
            clock.advance(2 * WebhookNotifier.FIRST_RETRY_DELAY_MS);
            assertEquals(1, notifier.doWork());

            assertEquals(List.of("{\"event\":\"fire\"}"), receiver.bodies());
            assertEquals(2, notifier.failures());
            assertEquals(1, notifier.delivered());
            assertEquals(0, notifier.dropped());
        }
    }

    @Test
    void shouldGiveUpAfterItsLastAttemptAndCountTheEventDropped()
    {
        try (TestHttp.WebhookReceiver receiver = new TestHttp.WebhookReceiver(100))
        {
            final WebhookNotifier notifier = new WebhookNotifier(URI.create(receiver.url()), clock);
            notifier.offer("{\"event\":\"clear\"}");
            for (int attempt = 0; attempt < WebhookNotifier.MAX_ATTEMPTS; attempt++)
            {
                assertEquals(1, notifier.doWork());
                clock.advance(60_000);
            }

            assertEquals(0, notifier.doWork(), "nothing left to send");
            assertEquals(WebhookNotifier.MAX_ATTEMPTS, notifier.failures());
            assertEquals(1, notifier.dropped());
            assertTrue(receiver.bodies().isEmpty());
        }
    }

    @Test
    void shouldCountAnUnreachableReceiverAsAFailure()
    {
        final WebhookNotifier notifier = new WebhookNotifier(URI.create("http://127.0.0.1:1/hook"), clock);
        notifier.offer("{}");

        notifier.doWork();

        assertEquals(1, notifier.failures());
    }
}
