package dev.tern.perf.load;

import dev.tern.transport.IdleStrategies;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.collections.Object2LongCounterMap;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The controller of a load run: starts every {@link LoadSenderAgent} on its own thread, runs steps at a given rate
 * (split evenly between the senders, their schedules interleaved), takes each sender's interval histograms every
 * interval to print progress and to write the HdrHistogram log, and gathers each step's {@link StepResult}.
 * <p>
 * Runs on the caller's thread; the senders run on theirs. Not thread-safe.
 */
public final class LoadRunner implements AutoCloseable
{
    private static final long START_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long WAIT_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Context ctx;
    private final List<LoadSenderAgent> senders;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final int ops;
    private final Histogram[][] recycled;
    private final Histogram[] interval;
    private int step;

    private LoadRunner(final Context ctx)
    {
        this.ctx = ctx;
        senders = ctx.senders;
        ops = ctx.mix.size();
        recycled = new Histogram[senders.size()][ops];
        interval = new Histogram[ops];
        for (int op = 0; op < ops; op++)
        {
            interval[op] = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        }
        try
        {
            for (final LoadSenderAgent sender : senders)
            {
                final AgentRunner runner = new AgentRunner(idleStrategy(ctx), Throwable::printStackTrace, null,
                    sender);
                runners.add(runner);
                AgentRunner.startOnThread(runner);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(runners);
            throw ex;
        }
    }

    private static IdleStrategy idleStrategy(final Context ctx)
    {
        if ("backoff".equals(ctx.idleStrategy))
        {
            // parks at most maxParkNs: an idle sender wakes in time for the next due request and for answers
            return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), ctx.maxParkNs);
        }
        return IdleStrategies.of(ctx.idleStrategy);
    }

    /**
     * Start the senders' threads.
     *
     * @param ctx the settings; concluded here.
     * @return the running controller.
     */
    public static LoadRunner launch(final Context ctx)
    {
        ctx.conclude();
        return new LoadRunner(ctx);
    }

    /**
     * Run one step: warm up, measure, stop, drain; print progress every interval and log the interval histograms.
     *
     * @param label      names the step in reports and in the log's tags (no spaces or commas there).
     * @param rate       requests per second offered, all senders together.
     * @param warmupNs   unmeasured time at the rate before the measured window.
     * @param durationNs the measured window.
     * @return what was measured.
     */
    public StepResult runStep(final String label, final double rate, final long warmupNs, final long durationNs)
    {
        final int number = ++step;
        final NanoClock clock = ctx.clock;
        final long startNs = clock.nanoTime() + START_LEAD_NS;
        final long measureStartNs = startNs + warmupNs;
        final long endNs = measureStartNs + durationNs;
        final int count = senders.size();
        for (int i = 0; i < count; i++)
        {
            // each sender's schedule starts a fraction of an interval after the previous one's: together they
            // send evenly spaced requests at the full rate
            final long offsetNs = (long)(i * 1e9 / rate);
            senders.get(i).begin(new StepPlan(number, rate / count, startNs + offsetNs, measureStartNs, endNs,
                endNs + ctx.drainTimeoutNs));
        }

        final Histogram[] totals = new Histogram[ops];
        for (int op = 0; op < ops; op++)
        {
            totals[op] = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        }
        final String tag = label.replaceAll("[\\s,]+", "_");
        if (null != ctx.progress && warmupNs > 0)
        {
            ctx.progress.printf("  warming up for %.1f s at %.0f/s, then measuring for %.1f s%n", warmupNs / 1e9,
                rate, durationNs / 1e9);
        }
        long nextSampleNs = startNs + ctx.intervalNs;
        while (!allDone(number))
        {
            final long nowNs = clock.nanoTime();
            if (nowNs - nextSampleNs >= 0)
            {
                sample(tag, totals, nowNs - measureStartNs);
                nextSampleNs += ctx.intervalNs;
            }
            LockSupport.parkNanos(Math.min(WAIT_SLICE_NS, Math.max(1, nextSampleNs - nowNs)));
        }
        sample(tag, totals, Long.MIN_VALUE);
        return result(label, rate, durationNs, totals);
    }

    private boolean allDone(final int number)
    {
        for (final LoadSenderAgent sender : senders)
        {
            if (sender.doneStep() != number)
            {
                return false;
            }
        }
        return true;
    }

    private void sample(final String tag, final Histogram[] totals, final long sinceMeasureStartNs)
    {
        long completed = 0;
        final Histogram combined = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        for (int op = 0; op < ops; op++)
        {
            final Histogram merged = interval[op];
            merged.reset();
            long start = Long.MAX_VALUE;
            long end = 0;
            for (int s = 0; s < senders.size(); s++)
            {
                final Histogram part = senders.get(s).recorder(op).getIntervalHistogram(recycled[s][op]);
                recycled[s][op] = part;
                merged.add(part);
                start = Math.min(start, part.getStartTimeStamp());
                end = Math.max(end, part.getEndTimeStamp());
            }
            if (merged.getTotalCount() > 0)
            {
                merged.setStartTimeStamp(start);
                merged.setEndTimeStamp(end);
                merged.setTag(tag + "/" + ctx.mix.names().get(op));
                if (null != ctx.log)
                {
                    ctx.log.outputIntervalHistogram(merged);
                }
                totals[op].add(merged);
                combined.add(merged);
                completed += merged.getTotalCount();
            }
        }
        // warm-up answers are not recorded: progress starts with the measured window
        if (null != ctx.progress && sinceMeasureStartNs > 0)
        {
            final double seconds = ctx.intervalNs / 1e9;
            ctx.progress.printf("  %7.1f s  answered %,10.0f/s  p50 %9s  p99 %9s  max %9s%n",
                sinceMeasureStartNs / 1e9, completed / seconds, SummaryTable.formatNs(combined.getValueAtPercentile(50)),
                SummaryTable.formatNs(combined.getValueAtPercentile(99)),
                SummaryTable.formatNs(combined.getMaxValue()));
        }
    }

    private StepResult result(final String label, final double rate, final long durationNs, final Histogram[] totals)
    {
        final double seconds = durationNs / 1e9;
        final List<OpResult> results = new ArrayList<>();
        final Histogram allLatency = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        final Map<String, Long> allErrors = new TreeMap<>();
        final Histogram sendLag = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        long allSent = 0;
        long scheduled = 0;
        long refused = 0;
        long unsent = 0;
        for (final LoadSenderAgent sender : senders)
        {
            scheduled += sender.scheduledMeasured();
            sendLag.add(sender.sendLag());
            refused += sender.refused();
            unsent += sender.unsent();
        }
        for (int op = 0; op < ops; op++)
        {
            final Map<String, Long> errors = new TreeMap<>();
            long sent = 0;
            for (final LoadSenderAgent sender : senders)
            {
                sent += sender.sentMeasured(op);
                final Object2LongCounterMap<String> counts = sender.errors(op);
                counts.forEach((code, n) -> errors.merge(code, n, Long::sum));
            }
            errors.forEach((code, n) -> allErrors.merge(code, n, Long::sum));
            allLatency.add(totals[op]);
            allSent += sent;
            results.add(new OpResult(ctx.mix.names().get(op), rate * ctx.mix.share(op),
                totals[op].getTotalCount() / seconds, sent, totals[op], Collections.unmodifiableMap(errors)));
        }
        final OpResult all = new OpResult("all", scheduled / seconds, allLatency.getTotalCount() / seconds, allSent,
            allLatency, Collections.unmodifiableMap(allErrors));
        return new StepResult(label, rate, seconds, List.copyOf(results), all, sendLag, refused, unsent,
            senders.size());
    }

    /** Stop the senders (each closes its connections on its own thread). */
    public void close()
    {
        CloseHelper.closeAll(runners);
    }

    /**
     * Settings of a {@link LoadRunner}.
     */
    public static final class Context
    {
        private List<LoadSenderAgent> senders;
        private Mix mix;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private String idleStrategy = "backoff";
        private long maxParkNs = TimeUnit.MICROSECONDS.toNanos(50);
        private long intervalNs = TimeUnit.SECONDS.toNanos(1);
        private long drainTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private HistogramLogWriter log;
        private PrintStream progress;

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == senders || senders.isEmpty())
            {
                throw new IllegalArgumentException("senders must be set: at least one");
            }
            if (null == mix)
            {
                throw new IllegalArgumentException("mix must be set");
            }
            if (null == clock)
            {
                throw new IllegalArgumentException("clock must be set");
            }
            if (!"backoff".equals(idleStrategy))
            {
                IdleStrategies.of(idleStrategy);
            }
            if (maxParkNs < TimeUnit.MICROSECONDS.toNanos(1) || maxParkNs > TimeUnit.MILLISECONDS.toNanos(10))
            {
                throw new IllegalArgumentException("maxParkNs=" + maxParkNs + " must be in [1 us, 10 ms]");
            }
            if (intervalNs < TimeUnit.MILLISECONDS.toNanos(10))
            {
                throw new IllegalArgumentException("intervalNs=" + intervalNs + " must be >= 10 ms");
            }
            if (drainTimeoutNs < 0)
            {
                throw new IllegalArgumentException("drainTimeoutNs=" + drainTimeoutNs + " must be >= 0");
            }
            return this;
        }

        /** @param senders the senders, each owning its connections; the runner runs and closes them. */
        public Context senders(final List<LoadSenderAgent> senders)
        {
            this.senders = List.copyOf(senders);
            return this;
        }

        /** @param mix the workloads' names and shares, as the senders were built with. */
        public Context mix(final Mix mix)
        {
            this.mix = mix;
            return this;
        }

        /** @param clock the senders' clock. */
        public Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /** @param idleStrategy of the senders: backoff (default, parks at most maxParkNs), yield, busy, sleep. */
        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /** @param maxParkNs the longest a backing-off sender parks: bounds how late it notices a due request. */
        public Context maxParkNs(final long maxParkNs)
        {
            this.maxParkNs = maxParkNs;
            return this;
        }

        /** @param intervalNs how often progress is printed and interval histograms are logged. */
        public Context intervalNs(final long intervalNs)
        {
            this.intervalNs = intervalNs;
            return this;
        }

        /** @param drainTimeoutNs how long after a step's end unanswered requests are waited for. */
        public Context drainTimeoutNs(final long drainTimeoutNs)
        {
            this.drainTimeoutNs = drainTimeoutNs;
            return this;
        }

        /** @param log where interval histograms go (tagged step/workload), or null. */
        public Context log(final HistogramLogWriter log)
        {
            this.log = log;
            return this;
        }

        /** @param progress where a line per interval goes, or null. */
        public Context progress(final PrintStream progress)
        {
            this.progress = progress;
            return this;
        }
    }
}
