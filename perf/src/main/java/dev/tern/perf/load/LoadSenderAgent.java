package dev.tern.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.collections.Object2LongCounterMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One sender of the load: an open-loop duty cycle that sends every request when its {@link Schedule} says it is
 * due, whether or not earlier ones were answered, and records each answer's latency from the request's intended
 * send time (coordinated omission corrected) into a per-workload {@link SingleWriterRecorder}. Owns its
 * {@link Connections}; several senders split the rate when one thread cannot keep up.
 * <p>
 * The controller hands it a {@link StepPlan} with {@link #begin(StepPlan)}; the sender warms up, measures, stops
 * sending at the step's end, waits for the answers (or the drain deadline) and then reports the step done
 * ({@link #doneStep()}), after which its step statistics may be read. The interval histograms may be taken by the
 * controller at any time ({@link #recorder(int)}).
 * <p>
 * Besides latency, it measures itself: how late each request actually left after its intended time (the send
 * lag), how often a client refused a request (in-flight cap or back-pressure: the request stays due and is retried),
 * and how many requests due in the step were never sent. A large send lag with no refusals means the generator fell
 * behind its schedule, not the system under test.
 */
public final class LoadSenderAgent implements Agent
{
    /** The code counted for a measured request still unanswered at the drain deadline. */
    public static final String NO_RESPONSE = "NO_RESPONSE";
    /** The largest latency or lag recorded, ns; larger values are recorded as this. */
    public static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(2);

    private static final int SENDS_PER_CYCLE = 256;
    private static final int SENDING = 1;
    private static final int DRAINING = 2;
    private static final int DONE = 3;

    private final int index;
    private final NanoClock clock;
    private final Workload[] workloads;
    private final Mix mix;
    private final Connections connections;
    private final SingleWriterRecorder[] recorders;
    private final ArrayDeque<Pending> pool = new ArrayDeque<>();

    private volatile StepPlan nextPlan;
    private volatile int doneStep;

    private StepPlan plan;
    private Schedule schedule;
    private int state = DONE;
    private long sequence;
    private long nextIntendedNs;
    private int nextOp = -1;
    private int inFlight;

    // statistics of the current step: written by this thread, read by the controller after doneStep says so
    private final Histogram sendLag = new Histogram(HIGHEST_NS, 3);
    private final long[] measuredInFlight;
    private final long[] sentMeasured;
    private final Object2LongCounterMap<String>[] errors;
    private long scheduledMeasured;
    private long refused;
    private long unsent;

    /**
     * @param index       the sender's number, for its thread's name.
     * @param clock       the clock of schedules and latencies.
     * @param workloads   the sender's own workload instances, indexed as in the mix.
     * @param mix         the sender's own mix (its position is its own).
     * @param connections the clients this sender owns.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public LoadSenderAgent(final int index, final NanoClock clock, final Workload[] workloads, final Mix mix,
        final Connections connections)
    {
        if (workloads.length != mix.size())
        {
            throw new IllegalArgumentException("workloads=" + workloads.length + " must match mix=" + mix);
        }
        this.index = index;
        this.clock = clock;
        this.workloads = workloads.clone();
        this.mix = mix;
        this.connections = connections;
        recorders = new SingleWriterRecorder[workloads.length];
        errors = new Object2LongCounterMap[workloads.length];
        for (int i = 0; i < workloads.length; i++)
        {
            recorders[i] = new SingleWriterRecorder(HIGHEST_NS, 3);
            errors[i] = new Object2LongCounterMap<>(0);
        }
        measuredInFlight = new long[workloads.length];
        sentMeasured = new long[workloads.length];
    }

    public String roleName()
    {
        return "tern-load-sender-" + index;
    }

    /**
     * Start a step (any thread). The sender picks it up on its next duty cycle.
     *
     * @param plan this sender's part of the step; its number must be new.
     */
    public void begin(final StepPlan plan)
    {
        nextPlan = plan;
    }

    /** @return the number of the last step this sender finished; its statistics are then stable. */
    public int doneStep()
    {
        return doneStep;
    }

    /**
     * @param op a workload's index.
     * @return the recorder of its measured latencies, ns; take interval histograms from it on any one thread.
     */
    public SingleWriterRecorder recorder(final int op)
    {
        return recorders[op];
    }

    public int doWork()
    {
        int work = 0;
        final StepPlan latest = nextPlan;
        if (latest != plan)
        {
            start(latest);
            work++;
        }
        if (SENDING == state)
        {
            work += sendDue(clock.nanoTime());
        }
        work += connections.poll();
        if (DRAINING == state && (0 == inFlight || clock.nanoTime() - plan.drainDeadlineNs() >= 0))
        {
            finish();
            work++;
        }
        return work;
    }

    private void start(final StepPlan latest)
    {
        plan = latest;
        schedule = new Schedule(latest.startNs(), latest.ratePerSecond());
        sequence = 0;
        nextIntendedNs = schedule.intendedNs(0);
        nextOp = -1;
        inFlight = 0;
        sendLag.reset();
        for (int op = 0; op < workloads.length; op++)
        {
            measuredInFlight[op] = 0;
            sentMeasured[op] = 0;
            errors[op].clear();
        }
        scheduledMeasured = schedule.countBefore(latest.endNs()) - schedule.countBefore(latest.measureStartNs());
        refused = 0;
        unsent = 0;
        state = SENDING;
    }

    private int sendDue(final long nowNs)
    {
        int sent = 0;
        while (sent < SENDS_PER_CYCLE)
        {
            final long intendedNs = nextIntendedNs;
            if (intendedNs - plan.endNs() >= 0 || intendedNs - nowNs > 0)
            {
                break;
            }
            if (nextOp < 0)
            {
                nextOp = mix.next();
            }
            final int op = nextOp;
            final boolean measured = intendedNs - plan.measureStartNs() >= 0;
            final Pending pending = pool.isEmpty() ? new Pending(this) : pool.pollFirst();
            pending.step = plan.step();
            pending.op = op;
            pending.intendedNs = intendedNs;
            pending.measured = measured;
            // counted before the send: a client may complete a request before send returns
            inFlight++;
            if (measured)
            {
                measuredInFlight[op]++;
            }
            if (!workloads[op].send(connections, pending))
            {
                inFlight--;
                if (measured)
                {
                    measuredInFlight[op]--;
                }
                pool.addLast(pending);
                refused++;
                break;
            }
            if (measured)
            {
                sentMeasured[op]++;
                sendLag.recordValue(Math.min(Math.max(0, nowNs - intendedNs), HIGHEST_NS));
            }
            nextOp = -1;
            nextIntendedNs = schedule.intendedNs(++sequence);
            sent++;
        }
        if (nextIntendedNs - plan.endNs() >= 0 || nowNs - plan.endNs() >= 0)
        {
            // requests due in the measured window that never left: refused until the end, or a generator too slow
            final long firstMeasured = schedule.countBefore(plan.measureStartNs());
            unsent = Math.max(0, schedule.countBefore(plan.endNs()) - Math.max(sequence, firstMeasured));
            state = DRAINING;
        }
        return sent;
    }

    void onComplete(final Pending pending, final String errorCode)
    {
        if (null != plan && pending.step == plan.step() && DONE != state)
        {
            inFlight--;
            if (pending.measured)
            {
                final int op = pending.op;
                measuredInFlight[op]--;
                if (null == errorCode)
                {
                    // the clock is read per answer, not once per cycle: answers polled late in a cycle would
                    // otherwise look faster than they were
                    recorders[op].recordValue(Math.min(Math.max(0, clock.nanoTime() - pending.intendedNs),
                        HIGHEST_NS));
                }
                else
                {
                    errors[op].getAndAdd(errorCode, 1);
                }
            }
        }
        pool.addLast(pending);
    }

    private void finish()
    {
        for (int op = 0; op < workloads.length; op++)
        {
            if (measuredInFlight[op] > 0)
            {
                errors[op].getAndAdd(NO_RESPONSE, measuredInFlight[op]);
            }
        }
        state = DONE;
        doneStep = plan.step();
    }

    // ---- statistics of the last finished step: read only after doneStep() returned its number

    /** @return requests due in the measured window. */
    long scheduledMeasured()
    {
        return scheduledMeasured;
    }

    /** @return requests of a workload sent in the measured window. */
    long sentMeasured(final int op)
    {
        return sentMeasured[op];
    }

    /** @return errors of a workload by code in the measured window, NO_RESPONSE included. */
    Object2LongCounterMap<String> errors(final int op)
    {
        return errors[op];
    }

    /** @return how late measured requests left after their intended time, ns. */
    Histogram sendLag()
    {
        return sendLag;
    }

    /** @return times a client refused a due request (it was retried). */
    long refused()
    {
        return refused;
    }

    /** @return requests due in the measured window that were never sent. */
    long unsent()
    {
        return unsent;
    }

    public void onClose()
    {
        connections.close();
    }
}
