package dev.tern.perf.load;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * The measured outcome of one workload (or of all together) in one step.
 *
 * @param name              the workload's name, or {@code all}.
 * @param offeredPerSecond  the rate the schedule offered.
 * @param achievedPerSecond successful answers per second of the measured window.
 * @param sent              requests sent in the measured window.
 * @param latency           latencies of the successful answers from their intended send time, ns.
 * @param errors            answers that were not successful, by code (NO_RESPONSE: none before the drain
 *                          deadline), in a stable order.
 */
public record OpResult(String name, double offeredPerSecond, double achievedPerSecond, long sent, Histogram latency,
    Map<String, Long> errors)
{
    /** @return successful answers. */
    public long ok()
    {
        return latency.getTotalCount();
    }

    /** @return answers that were errors, of every code. */
    public long errorCount()
    {
        long total = 0;
        for (final long count : errors.values())
        {
            total += count;
        }
        return total;
    }
}
