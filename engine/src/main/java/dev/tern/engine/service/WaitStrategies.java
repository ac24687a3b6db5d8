package dev.tern.engine.service;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * Disruptor wait strategies by name, the words of the {@code tern.service.wait.strategy} setting.
 * <ul>
 *   <li>{@code blocking} (default): a stage sleeps on a condition until an event arrives: no CPU when idle, a few
 *   microseconds to wake. Right for laptops and 2-core machines.</li>
 *   <li>{@code sleeping}: spin, yield, then park briefly: less wake-up latency, some CPU when idle.</li>
 *   <li>{@code yielding}: spin then Thread.yield: low latency, a core busy per stage.</li>
 *   <li>{@code busy}: busy spin: lowest latency, only with a dedicated core per stage.</li>
 * </ul>
 */
public final class WaitStrategies
{
    public static final String DEFAULT = "blocking";

    private WaitStrategies()
    {
    }

    /**
     * @param name one of blocking, sleeping, yielding, busy.
     * @return a new wait strategy.
     * @throws IllegalArgumentException on an unknown name.
     */
    public static WaitStrategy of(final String name)
    {
        switch (name)
        {
            case "blocking":
                return new BlockingWaitStrategy();
            case "sleeping":
                return new SleepingWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "busy":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("wait strategy=" + name +
                    " must be one of blocking, sleeping, yielding, busy");
        }
    }
}
