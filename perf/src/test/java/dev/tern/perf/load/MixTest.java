package dev.tern.perf.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class MixTest
{
    @Test
    void shouldHoldExactProportionsInEveryFullCycle()
    {
        final Mix mix = Mix.parse("kv-get=80,kv-put=20");
        for (int cycle = 0; cycle < 5; cycle++)
        {
            final int[] counts = new int[2];
            for (int i = 0; i < 100; i++)
            {
                counts[mix.next()]++;
            }
            assertEquals(80, counts[0]);
            assertEquals(20, counts[1]);
        }
    }

    @Test
    void shouldInterleaveRatherThanSendRuns()
    {
        final Mix mix = Mix.parse("a=1,b=1");
        int previous = mix.next();
        for (int i = 0; i < 100; i++)
        {
            final int next = mix.next();
            assertTrue(next != previous, "two of a kind in a row at " + i);
            previous = next;
        }
    }

    @Test
    void shouldGiveWeightOneToANameWithoutWeight()
    {
        final Mix mix = Mix.parse("login, contacts=3");
        assertEquals(List.of("login", "contacts"), mix.names());
        assertEquals(0.25, mix.share(0), 1e-9);
        assertEquals("login=1,contacts=3", mix.toString());
    }

    @Test
    void shouldStartACopyFromTheBeginning()
    {
        final Mix mix = Mix.parse("a=2,b=1");
        final int first = mix.next();
        mix.next();
        assertEquals(first, mix.copy().next());
    }

    @Test
    void shouldRejectBadSpecs()
    {
        assertThrows(IllegalArgumentException.class, () -> Mix.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("a=x"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("a=0"));
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("a=1,a=2"));
    }
}
