package dev.tern.perf.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender stepped by hand with a manual clock against a scripted system: what it records when the system
 * answers late, refuses, errs or never answers.
 */
@Timeout(10)
class LoadSenderAgentTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long[] now = new long[1];
    private final FakeWorkload workload = new FakeWorkload();
    private LoadSenderAgent sender;

    /** A system that takes requests while {@code accepting} and keeps them for the test to answer. */
    private static final class FakeWorkload implements Workload
    {
        final List<Pending> taken = new ArrayList<>();
        boolean accepting = true;

        public String name()
        {
            return "fake";
        }

        public Kind kind()
        {
            return Kind.KV;
        }

        public boolean send(final Connections connections, final Pending pending)
        {
            if (accepting)
            {
                taken.add(pending);
            }
            return accepting;
        }

        void answerAll(final String code)
        {
            final List<Pending> answered = new ArrayList<>(taken);
            taken.clear();
            answered.forEach(pending -> pending.complete(code));
        }
    }

    @BeforeEach
    void setUp()
    {
        sender = new LoadSenderAgent(0, () -> now[0], new Workload[]{ workload }, Mix.parse("fake"),
            new Connections(null, List.of()));
    }

    /** 1,000 requests per second, measured from 0 to 100 ms, no warm-up. */
    private void beginStep(final int step, final long startNs, final long measureStartNs)
    {
        sender.begin(new StepPlan(step, 1000, startNs, measureStartNs, startNs + 100 * MS, startNs + 200 * MS));
    }

    private void stepTo(final long timeNs)
    {
        while (now[0] < timeNs)
        {
            now[0] = Math.min(timeNs, now[0] + 100_000);
            sender.doWork();
        }
        sender.doWork();
    }

    private Histogram latency()
    {
        return sender.recorder(0).getIntervalHistogram();
    }

    @Test
    void shouldMeasureEveryRequestFromItsIntendedTimeWhenTheSystemStalls()
    {
        beginStep(1, 0, 0);
        stepTo(100 * MS);
        // open loop: all 100 requests went out on time although none was answered yet
        assertEquals(100, workload.taken.size());
        workload.answerAll(null);
        stepTo(101 * MS);

        final Histogram latency = latency();
        assertEquals(100, latency.getTotalCount());
        assertEquals(100 * MS, latency.getMaxValue(), 100 * MS / 1000);
        assertEquals(50 * MS, latency.getValueAtPercentile(50), MS / 10);
        assertEquals(1, sender.doneStep());
    }

    @Test
    void shouldChargeTheWaitForARefusedSendToTheRequests()
    {
        beginStep(1, 0, 0);
        workload.accepting = false;
        stepTo(50 * MS);
        assertEquals(0, workload.taken.size());
        workload.accepting = true;
        stepTo(50 * MS + 1);
        workload.answerAll(null);
        stepTo(100 * MS);
        workload.answerAll(null);
        stepTo(100 * MS + 1);

        final Histogram latency = latency();
        assertEquals(100, latency.getTotalCount());
        // the request due at 0 could only leave at 50 ms: its latency is 50 ms, not the instant answer it got
        assertEquals(50 * MS, latency.getMaxValue(), 50 * MS / 1000);
        sender.doWork();
        assertTrue(sender.refused() > 0);
        assertEquals(50 * MS, sender.sendLag().getMaxValue(), 50 * MS / 1000);
    }

    @Test
    void shouldNotMeasureRequestsDueInTheWarmUp()
    {
        beginStep(1, 0, 40 * MS);
        stepTo(100 * MS);
        workload.answerAll(null);
        stepTo(101 * MS);

        assertEquals(60, latency().getTotalCount());
        assertEquals(60, sender.scheduledMeasured());
        assertEquals(60, sender.sentMeasured(0));
    }

    @Test
    void shouldCountErrorsByCodeAndKeepThemOutOfTheLatencies()
    {
        beginStep(1, 0, 0);
        stepTo(10 * MS - 1);
        workload.answerAll("BUSY");
        stepTo(100 * MS);
        workload.answerAll(null);
        stepTo(101 * MS);

        assertEquals(90, latency().getTotalCount());
        assertEquals(10, sender.errors(0).get("BUSY"));
    }

    @Test
    void shouldReportRequestsUnansweredAtTheDrainDeadline()
    {
        beginStep(1, 0, 0);
        stepTo(150 * MS);
        assertEquals(0, sender.doneStep(), "still draining");
        stepTo(200 * MS);

        assertEquals(1, sender.doneStep());
        assertEquals(100, sender.errors(0).get(LoadSenderAgent.NO_RESPONSE));
        assertEquals(0, latency().getTotalCount());
    }

    @Test
    void shouldReportRequestsNeverSentWhenRefusedUntilTheEnd()
    {
        beginStep(1, 0, 0);
        stepTo(30 * MS - 1);
        workload.accepting = false;
        stepTo(100 * MS);
        workload.answerAll(null);
        stepTo(101 * MS);

        assertEquals(1, sender.doneStep());
        assertEquals(70, sender.unsent());
        assertEquals(30, latency().getTotalCount());
    }

    @Test
    void shouldIgnoreLateAnswersOfAnEarlierStep()
    {
        beginStep(1, 0, 0);
        stepTo(200 * MS);
        assertEquals(1, sender.doneStep());
        latency();

        beginStep(2, 300 * MS, 300 * MS);
        stepTo(310 * MS - 1);
        workload.answerAll(null);
        stepTo(311 * MS);

        // the ten answers of step 2 count; the hundred of step 1, answered now, do not
        assertEquals(10, latency().getTotalCount());
    }
}
