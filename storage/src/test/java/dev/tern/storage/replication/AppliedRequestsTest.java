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
            final long keyHash = random.nextInt(8);
            table.record(clientId, sequence, keyHash, i % 3, i);
            recent.addLast(new long[]{ clientId, sequence, i % 3, i, keyHash });
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
            final long someKey = random.nextInt(8);
            assertEquals(requestsOf(recent, someKey), requestsOf(table, someKey), "requests of key " + someKey);
        }
    }

    @Test
    void shouldMoveARequestRecordedAgainForAnotherKeyToThatKey()
    {
        final AppliedRequests table = new AppliedRequests(1024);
        table.record(1, 1, 10, 0, 5);
        table.record(1, 2, 10, 0, 6);
        table.record(1, 1, 20, 0, 7);

        assertEquals(java.util.Set.of("1:2:0:6"), requestsOf(table, 10));
        assertEquals(java.util.Set.of("1:1:0:7"), requestsOf(table, 20));
    }

    private static java.util.Set<String> requestsOf(final AppliedRequests table, final long keyHash)
    {
        final java.util.Set<String> requests = new java.util.HashSet<>();
        table.forEachOfKey(keyHash, (clientId, sequence, result, version) ->
            assertTrue(requests.add(clientId + ":" + sequence + ":" + result + ":" + version), "visited once"));
        return requests;
    }

    private static java.util.Set<String> requestsOf(final ArrayDeque<long[]> recent, final long keyHash)
    {
        final java.util.Set<String> requests = new java.util.HashSet<>();
        for (final long[] r : recent)
        {
            if (r[4] == keyHash)
            {
                requests.add(r[0] + ":" + r[1] + ":" + r[2] + ":" + r[3]);
            }
        }
        return requests;
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
