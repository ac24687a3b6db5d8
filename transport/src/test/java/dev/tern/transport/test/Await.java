package dev.tern.transport.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Wait for a condition under a deadline, polling: the only way tests wait. Never sleeps a fixed time.
 */
public final class Await
{
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Await()
    {
    }

    /**
     * @param condition polled until true.
     * @param timeout   how long to wait.
     * @param what      describes the condition for the failure message; evaluated only on timeout.
     * @throws AssertionError when the condition stays false.
     */
    public static void await(final BooleanSupplier condition, final Duration timeout, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        long parkNs = TimeUnit.MICROSECONDS.toNanos(50);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    public static void await(final BooleanSupplier condition, final String what)
    {
        await(condition, DEFAULT_TIMEOUT, () -> what);
    }

    /**
     * Poll a supplier until it returns a non-null value.
     *
     * @return the value.
     */
    public static <T> T awaitValue(final Supplier<T> supplier, final Duration timeout, final String what)
    {
        final Object[] holder = new Object[1];
        await(() -> (holder[0] = supplier.get()) != null, timeout, () -> what);
        @SuppressWarnings("unchecked") final T value = (T)holder[0];
        return value;
    }
}
