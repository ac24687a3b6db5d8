package dev.tern.perf.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class ScheduleTest
{
    @Test
    void shouldSpaceRequestsEvenlyAtTheRate()
    {
        final Schedule schedule = new Schedule(1_000, 4_000);
        assertEquals(1_000, schedule.intendedNs(0));
        assertEquals(251_000, schedule.intendedNs(1));
        assertEquals(1_000_001_000, schedule.intendedNs(4_000));
    }

    @Test
    void shouldKeepFractionalIntervalsWithoutDrift()
    {
        final Schedule schedule = new Schedule(0, 3);
        assertEquals(333_333_333, schedule.intendedNs(1));
        assertEquals(3_000_000_000L, schedule.intendedNs(9));
    }

    @Test
    void shouldCountExactlyTheRequestsDueBeforeATime()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++)
        {
            final double rate = 1 + random.nextInt(2_000_000);
            final long start = random.nextLong(1L << 40);
            final Schedule schedule = new Schedule(start, rate);
            final long time = start - 1000 + random.nextLong(2_000_000);
            long due = 0;
            while (schedule.intendedNs(due) < time)
            {
                due++;
            }
            assertEquals(due, schedule.countBefore(time), "rate " + rate + " time " + (time - start));
        }
    }

    @Test
    void shouldRejectANonPositiveRate()
    {
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, Double.NaN));
    }
}
