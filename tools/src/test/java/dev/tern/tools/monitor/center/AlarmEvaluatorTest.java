package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Rule evaluation over stored series; time is whatever the test says (an injected clock), including a day and a
 * week of history.
 */
@Timeout(30)
class AlarmEvaluatorTest
{
    private static final int COUNTER = 1000;
    private static final int GAUGE = 1002;
    private static final long T0 = 1_700_000_000_000L;
    private static final long SECOND = 1000;
    private static final long DAY = AlarmEvaluator.DAY_MS;

    private SeriesStore store;
    private int boxA;
    private int boxB;
    private final List<AlarmEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        // few fine points, so that day and week comparisons read the minute buckets
        store = new SeriesStore(300, 8 * 1440);
        boxA = store.machine("box-a");
        boxB = store.machine("box-b");
    }

    private AlarmEvaluator evaluator(final String... lines)
    {
        return new AlarmEvaluator(AlarmRule.parse(List.of(lines), "test"));
    }

    private void counter(final int machine, final long timeMs, final long delta)
    {
        store.put(machine, COUNTER, MonitorKind.COUNTER, delta, timeMs, 1000);
    }

    private void gauge(final int machine, final long timeMs, final long value)
    {
        store.put(machine, GAUGE, MonitorKind.GAUGE, value, timeMs, 1000);
    }

    private AlarmEvent.Type evaluate(final AlarmEvaluator evaluator, final String machine, final long timeMs)
    {
        events.clear();
        evaluator.evaluate(store, machine, timeMs, timeMs + 5, events);
        assertTrue(events.size() <= 1, events.toString());
        return events.isEmpty() ? null : events.get(0).type();
    }

    @Test
    void shouldFireWhenACountersEventsInTheWindowExceedTheThresholdAndClearWhenTheyFallBack()
    {
        final AlarmEvaluator evaluator = evaluator("rule busy id=1000 above 100 over 10s");
        long t = T0;
        for (; t < T0 + 10 * SECOND; t += SECOND)
        {
            counter(boxA, t, 10);
        }
        assertNull(evaluate(evaluator, null, t - SECOND), "100 events in 10 s is not above 100");
        counter(boxA, t, 11);
        assertEquals(AlarmEvent.Type.FIRE, evaluate(evaluator, null, t));
        assertEquals(101.0, events.get(0).value());
        assertEquals(1000, events.get(0).rule().id());
        t += SECOND;
        counter(boxA, t, 0);
        assertEquals(AlarmEvent.Type.CLEAR, evaluate(evaluator, null, t));
    }

    @Test
    void shouldSumEveryMachineUnlessTheRuleNamesOne()
    {
        final AlarmEvaluator all = evaluator("rule total id=1002 above 15");
        final AlarmEvaluator one = evaluator("rule one id=1002 machine=box-a above 15");
        gauge(boxA, T0, 10);
        gauge(boxB, T0, 10);

        assertEquals(AlarmEvent.Type.FIRE, evaluate(all, null, T0));
        assertNull(evaluate(one, "box-a", T0));
        assertNull(evaluate(one, null, T0), "a machine's rule is not evaluated with the sum");
    }

    @Test
    void shouldCompareAGaugesMeanOverTheWindowBelowTheThreshold()
    {
        final AlarmEvaluator evaluator = evaluator("rule starving id=1002 below 5 over 3s");
        gauge(boxA, T0, 9);
        gauge(boxA, T0 + SECOND, 3);
        assertNull(evaluate(evaluator, null, T0 + SECOND), "mean 6");
        gauge(boxA, T0 + 2 * SECOND, 2);

        assertEquals(AlarmEvent.Type.FIRE, evaluate(evaluator, null, T0 + 2 * SECOND), "mean 14/3");
    }

    @Test
    void shouldFireOnARateOfChangeAgainstTheSampleTheWindowEarlier()
    {
        final AlarmEvaluator rise = evaluator("rule rise id=1002 rate_of_change > 50% over 5s");
        final AlarmEvaluator fall = evaluator("rule fall id=1002 rate_of_change < -50% over 5s");
        for (long t = T0; t <= T0 + 5 * SECOND; t += SECOND)
        {
            gauge(boxA, t, 100);
        }
        gauge(boxA, T0 + 6 * SECOND, 160);
        assertEquals(AlarmEvent.Type.FIRE, evaluate(rise, null, T0 + 6 * SECOND));
        assertEquals(60.0, events.get(0).value(), 1e-9);
        gauge(boxA, T0 + 7 * SECOND, 40);

        assertEquals(AlarmEvent.Type.CLEAR, evaluate(rise, null, T0 + 7 * SECOND));
        assertEquals(AlarmEvent.Type.FIRE, evaluate(fall, null, T0 + 7 * SECOND));
    }

    @Test
    void shouldCompareWithTheSameTimeADayAgo()
    {
        final AlarmEvaluator evaluator = evaluator("rule busier id=1000 vs_day_ago > 200% over 5m");
        for (long t = T0; t < T0 + 10 * 60 * SECOND; t += SECOND)
        {
            counter(boxA, t, 10);
        }
        final long now = T0 + DAY + 10 * 60 * SECOND;
        for (long t = now - 10 * 60 * SECOND; t <= now; t += SECOND)
        {
            counter(boxA, t, 25);
        }

        assertEquals(AlarmEvent.Type.FIRE, evaluate(evaluator, null, now));
        assertEquals(250.0, events.get(0).value(), 1e-6);
    }

    @Test
    void shouldCompareWithTheSameTimeAWeekAgo()
    {
        final AlarmEvaluator evaluator = evaluator("rule quieter id=1002 vs_week_ago < 50% over 2m");
        for (long t = T0; t < T0 + 5 * 60 * SECOND; t += SECOND)
        {
            gauge(boxA, t, 1000);
        }
        final long now = T0 + AlarmEvaluator.WEEK_MS + 5 * 60 * SECOND;
        gauge(boxA, now - 3 * 60 * SECOND, 600);
        assertNull(evaluate(evaluator, null, now - 3 * 60 * SECOND), "60% of a week ago");
        gauge(boxA, now - SECOND, 450);
        gauge(boxA, now, 400);

        assertEquals(AlarmEvent.Type.FIRE, evaluate(evaluator, null, now));
        assertEquals(42.5, events.get(0).value(), 1e-6);
    }

    @Test
    void shouldKeepItsStateWhenThereIsNoHistoryToCompareWith()
    {
        final AlarmEvaluator evaluator = evaluator("rule busier id=1000 vs_day_ago > 200%");
        counter(boxA, T0, 1_000_000);

        assertNull(evaluate(evaluator, null, T0));
        assertFalse(evaluator.states().get(0).active);
    }

    @Test
    void shouldComputeChangeAndRatioAtZero()
    {
        assertEquals(Double.POSITIVE_INFINITY, AlarmEvaluator.changePercent(5, 0));
        assertEquals(0.0, AlarmEvaluator.changePercent(0, 0));
        assertEquals(-100.0, AlarmEvaluator.changePercent(0, 8));
        assertEquals(100.0, AlarmEvaluator.ratioPercent(0, 0));
        assertEquals(Double.POSITIVE_INFINITY, AlarmEvaluator.ratioPercent(1, 0));
        assertTrue(Double.isNaN(AlarmEvaluator.ratioPercent(Double.NaN, 1)));
    }
}
