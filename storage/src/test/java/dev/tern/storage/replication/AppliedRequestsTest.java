package dev.tern.storage.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class AppliedRequestsTest
{
    @Test
    void shouldRememberExactlyTheMostRecentRequestsWhileEvictingTheOldest()
    {
        final int capacity = 64;
        final AppliedRequests table = new AppliedRequests(capacity);
        final ArrayDeque<long[]> recent = new ArrayDeque<>();
        final Map<String, long[]> outcomes = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++)
        {
            final long clientId = 1 + random.nextInt(5);
            final long sequence = 1 + random.nextInt(10_000);
            final String id = clientId + ":" + sequence;
            if (outcomes.containsKey(id))
            {
                continue;
            }
            table.record(clientId, sequence, 7, i % 3, i);
            recent.addLast(new long[]{ clientId, sequence, i % 3, i });
            outcomes.put(id, recent.peekLast());
            if (recent.size() > capacity)
            {
                final long[] evicted = recent.pollFirst();
                outcomes.remove(evicted[0] + ":" + evicted[1]);
                assertFalse(table.lookUp(evicted[0], evicted[1]), "evicted " + evicted[0] + ":" + evicted[1]);
            }
            for (final long[] kept : recent)
            {
                assertTrue(table.lookUp(kept[0], kept[1]), "remembered " + kept[0] + ":" + kept[1] + " at " + i);
                assertEquals((int)kept[2], table.result());
                assertEquals(kept[3], table.version());
            }
            assertEquals(recent.size(), table.size());
        }
    }

    @Test
    void shouldUpdateTheOutcomeOfARequestRecordedAgain()
    {
        final AppliedRequests table = new AppliedRequests(1024);
        table.record(1, 1, 0, 0, 5);
        table.record(1, 1, 0, 2, 6);

        assertTrue(table.lookUp(1, 1));
        assertEquals(2, table.result());
        assertEquals(6, table.version());
        assertEquals(1, table.size());
    }

    @Test
    void shouldIgnoreRequestsWithoutAClient()
    {
        final AppliedRequests table = new AppliedRequests(1024);
        table.record(0, 1, 0, 0, 5);

        assertFalse(table.lookUp(0, 1));
        assertEquals(0, table.size());
    }
}
