package dev.tern.transport;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Idle strategies by name, so that every Tern setting that chooses one reads the same words.
 * <ul>
 *   <li>{@code backoff} (default): spin briefly, yield, then park up to 1 ms: right for laptops and 2-core boxes.</li>
 *   <li>{@code sleep}: park 1 ms between empty duty cycles: lowest CPU.</li>
 *   <li>{@code yield}: Thread.yield between cycles.</li>
 *   <li>{@code busy}: busy spin: only on a dedicated core of a real server.</li>
 *   <li>{@code noop}: return at once: only for agents stepped by the caller.</li>
 * </ul>
 */
public final class IdleStrategies
{
    public static final String DEFAULT = "backoff";

    private IdleStrategies()
    {
    }

    /**
     * @param name one of backoff, sleep, yield, busy, noop.
     * @return a new idle strategy.
     * @throws IllegalArgumentException on an unknown name.
     */
    public static IdleStrategy of(final String name)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            case "yield":
                return new YieldingIdleStrategy();
            case "busy":
                return new BusySpinIdleStrategy();
            case "noop":
                return new NoOpIdleStrategy();
            default:
                throw new IllegalArgumentException("idle strategy=" + name + " must be one of backoff, sleep, yield, busy, noop");
        }
    }
}
