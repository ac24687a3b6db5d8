package dev.tern.perf.load;

import java.util.Locale;

/**
 * Finds the highest rate that meets a latency target: steps the offered rate up by a factor from {@code fromRate}
 * until a step fails (its p99 is above the target, or it achieved less than {@code minAchieved} of the offered
 * rate) or {@code toRate} passes; then, when {@code refineSteps > 0}, bisects between the last good and the first
 * failed rate that many times. The answer is the last good rate.
 * <p>
 * Pure logic, no clock: the caller runs each step and reports it. Not thread-safe.
 */
public final class RampSearch
{
    private final double factor;
    private final double toRate;
    private final int refineSteps;
    private final long p99TargetNs;
    private final double minAchieved;

    private double nextRate;
    private double bestRate = -1;
    private double failedRate = -1;
    private int refined;
    private boolean done;
    private String stopReason = "";

    /**
     * @param fromRate    the first step's rate, per second, > 0.
     * @param factor      each next step's rate is this times the last, > 1.
     * @param toRate      no step goes above this rate.
     * @param refineSteps bisection steps after the first failure, >= 0.
     * @param p99TargetNs a step fails when its p99 is above this; 0 for no latency target.
     * @param minAchieved a step fails when it achieved less than this share of the offered rate, in (0, 1].
     */
    public RampSearch(final double fromRate, final double factor, final double toRate, final int refineSteps,
        final long p99TargetNs, final double minAchieved)
    {
        if (!(fromRate > 0) || !(factor > 1) || toRate < fromRate || refineSteps < 0 || p99TargetNs < 0 ||
            !(minAchieved > 0 && minAchieved <= 1))
        {
            throw new IllegalArgumentException("ramp: need fromRate > 0, factor > 1, toRate >= fromRate, " +
                "refineSteps >= 0, p99Target >= 0, 0 < minAchieved <= 1");
        }
        this.factor = factor;
        this.toRate = toRate;
        this.refineSteps = refineSteps;
        this.p99TargetNs = p99TargetNs;
        this.minAchieved = minAchieved;
        this.nextRate = fromRate;
    }

    /** @return true when no more steps are needed. */
    public boolean isDone()
    {
        return done;
    }

    /** @return the rate of the next step, per second (whole requests). */
    public double nextRate()
    {
        return nextRate;
    }

    /**
     * @param offered  the offered rate.
     * @param achieved the achieved rate.
     * @param p99Ns    the step's p99 latency, ns.
     * @return null when the step meets the target, else why it does not.
     */
    private String failure(final double offered, final double achieved, final long p99Ns)
    {
        if (achieved < minAchieved * offered)
        {
            return String.format(Locale.ROOT, "achieved %.1f%% < %.0f%% of offered", 100 * achieved / offered,
                100 * minAchieved);
        }
        if (p99TargetNs > 0 && p99Ns > p99TargetNs)
        {
            return "p99 " + SummaryTable.formatNs(p99Ns) + " > target " + SummaryTable.formatNs(p99TargetNs);
        }
        return null;
    }

    /**
     * Record the outcome of the step run at {@link #nextRate()} and choose the next.
     *
     * @param achieved the achieved rate.
     * @param p99Ns    the step's p99 latency, ns.
     * @return null when the step meets the target, else why it does not.
     */
    public String record(final double achieved, final long p99Ns)
    {
        if (done)
        {
            throw new IllegalStateException("the ramp is done");
        }
        final double rate = nextRate;
        final String failure = failure(rate, achieved, p99Ns);
        if (null == failure)
        {
            bestRate = rate;
        }
        else
        {
            failedRate = rate;
        }

        if (failedRate < 0)
        {
            if (rate >= toRate)
            {
                stop("reached --ramp-to " + Math.round(toRate) + "/s with every step meeting the target");
            }
            else
            {
                nextRate = Math.min(Math.ceil(rate * factor), toRate);
            }
        }
        else if (bestRate < 0)
        {
            stop("the first step already failed: " + failure);
        }
        else if (refined < refineSteps && failedRate - bestRate > Math.max(1, bestRate * 0.01))
        {
            refined++;
            nextRate = Math.floor((bestRate + failedRate) / 2);
        }
        else
        {
            stop("between " + Math.round(bestRate) + "/s (met) and " + Math.round(failedRate) + "/s (failed)");
        }
        return failure;
    }

    private void stop(final String reason)
    {
        done = true;
        stopReason = reason;
    }

    /** @return the highest rate that met the target, per second, or -1 when none did. */
    public double bestRate()
    {
        return bestRate;
    }

    /** @return why the ramp stopped, for people. */
    public String stopReason()
    {
        return stopReason;
    }
}
