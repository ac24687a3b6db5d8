package dev.tern.perf.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class RampSearchTest
{
    private static final long US = 1000;

    /** A system whose p99 is 100 us up to 10,000/s and 10 ms above, always achieving what is offered. */
    private static long p99At(final double rate)
    {
        return rate <= 10_000 ? 100 * US : 10_000 * US;
    }

    @Test
    void shouldStepUpByTheFactorWhileStepsMeetTheTarget()
    {
        final RampSearch ramp = new RampSearch(1000, 2, 1_000_000, 0, 1000 * US, 0.95);
        assertEquals(1000, ramp.nextRate());
        assertNull(ramp.record(1000, p99At(1000)));
        assertEquals(2000, ramp.nextRate());
        assertNull(ramp.record(2000, p99At(2000)));
        assertEquals(4000, ramp.nextRate());
    }

    @Test
    void shouldReportTheLastGoodRateWithoutRefinement()
    {
        final RampSearch ramp = new RampSearch(1000, 2, 1_000_000, 0, 1000 * US, 0.95);
        while (!ramp.isDone())
        {
            final double rate = ramp.nextRate();
            ramp.record(rate, p99At(rate));
        }
        assertEquals(8000, ramp.bestRate());
        assertTrue(ramp.stopReason().contains("16000/s (failed)"), ramp.stopReason());
    }

    @Test
    void shouldBisectBetweenTheLastGoodAndTheFirstFailedRate()
    {
        final RampSearch ramp = new RampSearch(1000, 2, 1_000_000, 3, 1000 * US, 0.95);
        while (!ramp.isDone())
        {
            final double rate = ramp.nextRate();
            ramp.record(rate, p99At(rate));
        }
        // 8000 met, 16000 failed; then 12000 failed, 10000 met, 11000 failed
        assertEquals(10000, ramp.bestRate());
    }

    @Test
    void shouldFailAStepThatAchievesTooLittleOfTheOfferedRate()
    {
        final RampSearch ramp = new RampSearch(1000, 2, 1_000_000, 0, 0, 0.95);
        final String failure = ramp.record(900, 10);
        assertNotNull(failure);
        assertTrue(failure.startsWith("achieved 90.0%"), failure);
        assertTrue(ramp.isDone());
        assertEquals(-1, ramp.bestRate());
    }

    @Test
    void shouldIgnoreLatencyWithoutATarget()
    {
        final RampSearch ramp = new RampSearch(1000, 2, 1_000_000, 0, 0, 0.95);
        assertNull(ramp.record(1000, 60_000_000_000L));
    }

    @Test
    void shouldStopAtTheHighestRampRate()
    {
        final RampSearch ramp = new RampSearch(1000, 3, 5000, 2, 1000 * US, 0.95);
        ramp.record(1000, 1);
        ramp.record(3000, 1);
        assertEquals(5000, ramp.nextRate());
        ramp.record(5000, 1);
        assertTrue(ramp.isDone());
        assertEquals(5000, ramp.bestRate());
    }

    @Test
    void shouldRejectBadSettings()
    {
        assertThrows(IllegalArgumentException.class, () -> new RampSearch(0, 2, 10, 0, 0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new RampSearch(1, 1, 10, 0, 0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new RampSearch(1, 2, 10, 0, 0, 1.5));
    }
}
