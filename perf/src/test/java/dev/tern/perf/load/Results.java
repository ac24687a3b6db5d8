package dev.tern.perf.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * Step results with known histograms, for the tests of the outputs.
 */
final class Results
{
    private Results()
    {
    }

    /** @return a histogram holding 1, 2, ..., count microseconds once each. */
    static Histogram uniformUs(final int count)
    {
        final Histogram histogram = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        for (int us = 1; us <= count; us++)
        {
            histogram.recordValue(us * 1000L);
        }
        return histogram;
    }

    /** @return a 10 s step at 1000/s of one workload with 1..10000 us latencies and some errors. */
    static StepResult step(final String label)
    {
        final Histogram latency = uniformUs(10_000);
        final OpResult op = new OpResult("kv-get", 1000, 1000, 10_003, latency, Map.of("TIMEOUT", 3L));
        return new StepResult(label, 1000, 10, List.of(op), op, new Histogram(LoadSenderAgent.HIGHEST_NS, 3), 0, 0,
            1);
    }
}
