package dev.tern.engine.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class TokenBucketTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void shouldAllowTheBurstAtOnceThenRefuse()
    {
        final TokenBucket bucket = new TokenBucket(10, 5);
        bucket.reset(0);

        for (int i = 0; i < 5; i++)
        {
            assertTrue(bucket.tryAcquire(0), "request " + i);
        }
        assertFalse(bucket.tryAcquire(0));
    }

    @Test
    void shouldRefillAtTheRate()
    {
        final TokenBucket bucket = new TokenBucket(10, 1);
        bucket.reset(0);
        assertTrue(bucket.tryAcquire(0));

        assertFalse(bucket.tryAcquire(SECOND / 10 - 1));
        assertTrue(bucket.tryAcquire(SECOND / 10));
    }

    @Test
    void shouldHoldTheRateOverALongRun()
    {
        final TokenBucket bucket = new TokenBucket(100, 10);
        bucket.reset(0);
        int allowed = 0;
        for (long now = 0; now <= 10 * SECOND; now += SECOND / 1000)
        {
            if (bucket.tryAcquire(now))
            {
                allowed++;
            }
        }

        assertEquals(10 + 100 * 10, allowed);
    }

    @Test
    void shouldNotSaveUpMoreThanTheBurstWhileIdle()
    {
        final TokenBucket bucket = new TokenBucket(10, 3);
        bucket.reset(0);

        final long muchLater = 1000 * SECOND;
        int allowed = 0;
        while (bucket.tryAcquire(muchLater))
        {
            allowed++;
        }

        assertEquals(3, allowed);
    }

    @Test
    void shouldRejectABadRateOrBurst()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0));
    }
}
