package dev.tern.engine.service.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync gap rule with time passed in: what it holds back, when it lets go, and a simulated timeline (sends that
 * allocate, store late, out of order or never, an allocator taking a section over, devices syncing at random
 * moments) in which no device ever misses or repeats a message.
 */
@Timeout(60)
class SyncRuleTest
{
    private static final long STORE_WINDOW_MS = 100;
    private static final long KV_TIMEOUT_MS = 50;
    private static final long GAP_TIMEOUT_MS = STORE_WINDOW_MS + KV_TIMEOUT_MS;

    @Test
    void shouldTakeTheNextSequenceAtOnce()
    {
        assertEquals(0, SyncRule.holdBackMs(9, 10, 1000, 0, 1000, GAP_TIMEOUT_MS));
    }

    @Test
    void shouldHoldARowBehindAGapBackUntilTheGapTimeoutAfterItWasStored()
    {
        assertEquals(GAP_TIMEOUT_MS, SyncRule.holdBackMs(9, 11, 1000, 0, 1000, GAP_TIMEOUT_MS));
        assertEquals(1, SyncRule.holdBackMs(9, 11, 1000, 0, 1000 + GAP_TIMEOUT_MS - 1, GAP_TIMEOUT_MS));
        assertEquals(0, SyncRule.holdBackMs(9, 11, 1000, 0, 1000 + GAP_TIMEOUT_MS, GAP_TIMEOUT_MS));
    }

    @Test
    void shouldLetTheFirstRowOfAnEpochGoOnceTheEpochFloorIsOlderThanTheGapTimeout()
    {
        final long floor = 500;
        final long storedAt = 5000;
        assertEquals(0, SyncRule.holdBackMs(57, 20_001, storedAt, floor, storedAt, GAP_TIMEOUT_MS),
            "the jump after a restart: everything below was allocated before the floor");
        assertEquals(floor + GAP_TIMEOUT_MS - 600, SyncRule.holdBackMs(57, 20_001, storedAt, floor, 600,
            GAP_TIMEOUT_MS));
    }

    @Test
    void shouldWalkRowsMovingTheKeyOnlyToRowsTaken()
    {
        final SyncRule.Cursor cursor = new SyncRule.Cursor().reset(3, 2000, GAP_TIMEOUT_MS);
        assertEquals(0, cursor.holdBackMs(4, 1990, 0));
        cursor.advance(4);
        assertEquals(0, cursor.holdBackMs(6, 1000, 0), "an old row: the gap at 5 is abandoned");
        cursor.advance(6);
        assertTrue(cursor.holdBackMs(8, 1990, 0) > 0, "a fresh row: 7 may still be stored");
        assertEquals(6, cursor.key());
        assertEquals(1, cursor.skipped());
    }

    @Test
    void shouldNeverLetADeviceMissOrRepeatAMessageOfASimulatedTimeline()
    {
        for (long seed = 1; seed <= 200; seed++)
        {
            simulate(seed);
        }
    }

    private record Row(long seq, long storedAtMs, long floorMs, long landsAtMs, boolean tombstone)
    {
    }

    private static void simulate(final long seed)
    {
        final Random random = new Random(seed);
        final List<Row> rows = new ArrayList<>();
        long seq = 0;
        long base = 0;
        long floorMs = 0;
        long nowMs = 0;
        final int devices = 3;
        final long[] keys = new long[devices];
        final List<List<Long>> seen = new ArrayList<>();
        for (int device = 0; device < devices; device++)
        {
            seen.add(new ArrayList<>());
        }

        for (int step = 0; step < 400; step++)
        {
            nowMs += random.nextInt(30);
            final int action = random.nextInt(100);
            if (action < 3)
            {
                // another allocator takes the section over: every later sequence is above the old ceiling, the
                // first one carrying the moment the old allocator stopped (none of its sequences came later)
                base = seq + 1000 + random.nextInt(1000);
                seq = base;
                floorMs = nowMs;
                nowMs += 1 + random.nextInt(5);
            }
            else if (action < 60)
            {
                final long allocatedAt = nowMs;
                final long storedAt = allocatedAt + random.nextInt(5);
                final long latestLanding = allocatedAt + STORE_WINDOW_MS + KV_TIMEOUT_MS;
                seq++;
                final long floor = seq == base + 1 ? floorMs : 0;
                final int fate = random.nextInt(10);
                if (fate > 0)
                {
                    final long landsAt = storedAt + (long)(random.nextDouble() * (latestLanding - storedAt));
                    rows.add(new Row(seq, storedAt, floor, landsAt, 1 == fate));
                }
            }
            else
            {
                final int device = random.nextInt(devices);
                keys[device] = sync(rows, keys[device], nowMs, seen.get(device));
            }
        }

        final long end = nowMs + 10 * GAP_TIMEOUT_MS;
        final List<Long> expected = rows.stream().filter(row -> !row.tombstone()).map(Row::seq).sorted().toList();
        for (int device = 0; device < devices; device++)
        {
            long key;
            do
            {
                key = keys[device];
                keys[device] = sync(rows, key, end, seen.get(device));
            }
            while (keys[device] != key);
            assertEquals(expected, seen.get(device), "seed " + seed + ", device " + device);
        }
    }

    /**
     * One sync of at most 5 messages over the rows that landed by now, as SyncStage walks a scan.
     *
     * @return the new key.
     */
    private static long sync(final List<Row> rows, final long key, final long nowMs, final List<Long> seen)
    {
        final TreeMap<Long, Row> visible = new TreeMap<>();
        for (final Row row : rows)
        {
            if (row.landsAtMs() <= nowMs)
            {
                visible.put(row.seq(), row);
            }
        }
        final SyncRule.Cursor cursor = new SyncRule.Cursor().reset(key, nowMs, GAP_TIMEOUT_MS);
        int returned = 0;
        for (final Row row : visible.tailMap(key, false).values())
        {
            if (cursor.holdBackMs(row.seq(), row.storedAtMs(), row.floorMs()) > 0 || returned == 5)
            {
                break;
            }
            if (!row.tombstone())
            {
                seen.add(row.seq());
                returned++;
            }
            cursor.advance(row.seq());
        }
        assertTrue(cursor.key() >= key);
        return cursor.key();
    }
}
