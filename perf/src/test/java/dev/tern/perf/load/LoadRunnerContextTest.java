package dev.tern.perf.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class LoadRunnerContextTest
{
    private final Mix mix = Mix.parse("kv-get");
    private final LoadSenderAgent sender = new LoadSenderAgent(0, System::nanoTime,
        new Workload[]{ new KvGetWorkload() }, mix, new Connections(null, List.of()));

    private LoadRunner.Context valid()
    {
        return new LoadRunner.Context().senders(List.of(sender)).mix(mix);
    }

    @Test
    void shouldAcceptTheDefaults()
    {
        assertDoesNotThrow(() -> valid().conclude());
    }

    @Test
    void shouldNameTheBadField()
    {
        assertMessage(new LoadRunner.Context().mix(mix), "senders");
        assertMessage(new LoadRunner.Context().senders(List.of(sender)), "mix");
        assertMessage(valid().idleStrategy("spin"), "idle strategy=spin");
        assertMessage(valid().maxParkNs(0), "maxParkNs=0");
        assertMessage(valid().intervalNs(1), "intervalNs=1");
        assertMessage(valid().drainTimeoutNs(-1), "drainTimeoutNs=-1");
    }

    @Test
    void shouldRejectAStepPlanOutOfOrder()
    {
        assertThrows(IllegalArgumentException.class, () -> new StepPlan(1, 10, 0, 10, 5, 20));
        assertThrows(IllegalArgumentException.class, () -> new StepPlan(1, 0, 0, 0, 5, 20));
        assertThrows(IllegalArgumentException.class, () -> new StepPlan(1, 10, 5, 0, 5, 20));
    }

    @Test
    void shouldAcceptASecondSendersPlanStartingAfterAStepWithoutWarmUpBegan()
    {
        // two senders and no warm-up (the priming step): the second's schedule is offset half an interval
        assertDoesNotThrow(() -> new StepPlan(1, 1000, 500_000, 0, 5_000_000_000L, 6_000_000_000L));
    }

    private static void assertMessage(final LoadRunner.Context ctx, final String expected)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
