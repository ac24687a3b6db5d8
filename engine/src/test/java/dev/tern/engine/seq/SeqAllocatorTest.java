package dev.tern.engine.seq;

import dev.tern.codecs.engine.sbe.SeqResult;
import dev.tern.codecs.monitor.Monitor;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequence allocator against a store in memory, time driven by the test: ceilings raised in steps, leases,
 * restarts and takeovers that never reuse a sequence, writes of unknown outcome, and several allocators racing for
 * the same sections.
 */
@Timeout(60)
class SeqAllocatorTest
{
    private static final long STEP = 10;
    private static final int SECTION_SIZE = 100;
    private static final long LEASE_MS = 1000;
    private static final long SKEW_MS = 50;
    private static final long TIMEOUT_MS = 500;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private Monitor monitor;
    private final MemoryCeilingStore store = new MemoryCeilingStore();
    private long nowMs = 1_000_000;
    private long nextRequestId;

    /** One allocator, stepped by the test. */
    private final class Allocator
    {
        final SeqAllocator allocator;
        final Map<Long, long[]> answers = new LinkedHashMap<>();
        final Map<Long, SeqResult> results = new HashMap<>();

        Allocator(final long ownerId)
        {
            allocator = new SeqAllocator(store.view(), monitor, (request, result) ->
            {
                results.put(request.requestId(), result);
                answers.put(request.requestId(), new long[]{ request.seq(0), request.floorMs(0), request.seq(1),
                    request.floorMs(1) });
            }, ownerId, STEP, SECTION_SIZE, LEASE_MS, SKEW_MS, TIMEOUT_MS, 1024);
        }

        long request(final long first, final long second)
        {
            final long id = ++nextRequestId;
            assertTrue(allocator.allocate(id, 1, first, second, nowMs));
            return id;
        }

        void step()
        {
            for (int i = 0; i < 4; i++)
            {
                allocator.doWork(nowMs);
            }
        }

        /** @return the answer now: seq, floor, second seq, second floor; null while it waits. */
        long[] answerNow(final long id)
        {
            step();
            return SeqResult.OK == results.get(id) ? answers.get(id) : null;
        }

        /** @return the answer, time going on in small steps (retries of the store), or null when there is none. */
        long[] answer(final long id)
        {
            for (int i = 0; i < 20 && !results.containsKey(id); i++)
            {
                step();
                if (!results.containsKey(id))
                {
                    nowMs += 20;
                }
            }
            return answerNow(id);
        }

        long next(final long uin)
        {
            final long id = request(uin, 0);
            final long[] answer = answer(id);
            assertNotNull(answer, () -> "uin " + uin + " got " + results.get(id));
            return answer[0];
        }
    }

    @BeforeEach
    void start()
    {
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("seq-test").heartbeatIntervalMs(0));
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietClose(monitor);
    }

    @Test
    void shouldHandOutIncreasingSequencesPerUserAndRaiseTheSectionCeilingInSteps()
    {
        final Allocator allocator = new Allocator(1);
        final List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 35; i++)
        {
            seqs.add(allocator.next(7));
        }
        for (int i = 0; i < seqs.size(); i++)
        {
            assertEquals(i + 1, seqs.get(i));
        }
        assertEquals(1, allocator.next(8), "each user has its own sequence");
        assertTrue(store.ceiling(0) >= 35 + STEP / 2, "raised ahead of use: " + store.ceiling(0));
        assertTrue(store.writes() <= 35 / (STEP / 2) + 2, "one write per half step, not per sequence: " +
            store.writes());
    }

    @Test
    void shouldAllocateForTwoUsersOfDifferentSectionsInOneRequest()
    {
        final Allocator allocator = new Allocator(1);
        final long[] answer = allocator.answer(allocator.request(5, SECTION_SIZE * 3 + 5));
        assertNotNull(answer);
        assertEquals(1, answer[0]);
        assertEquals(1, answer[2]);
    }

    @Test
    void shouldNeverReuseASequenceAfterARestartAndFlagTheJumpWithTheOldLeaseEnd()
    {
        final Allocator first = new Allocator(1);
        long last = 0;
        for (int i = 0; i < 12; i++)
        {
            last = first.next(42);
        }
        final long oldLeaseEnd = store.leaseUntilMs(0);

        // a crash: no release; the next allocator waits for the lease, then takes the section above its ceiling
        final Allocator second = new Allocator(2);
        final long id = second.request(42, 0);
        assertNull(second.answerNow(id), "the section is still the first allocator's");
        nowMs = oldLeaseEnd + SKEW_MS + 2;
        second.step();
        final long[] answer = second.answer(second.request(42, 0));
        assertNotNull(answer);
        assertTrue(answer[0] > last, answer[0] + " > " + last);
        assertTrue(answer[0] > store.ceiling(0) - 2 * STEP, "resumes right above the stored ceiling");
        assertEquals(oldLeaseEnd, answer[1], "the first sequence of the epoch carries the previous owner's end");
        assertEquals(0, second.answer(second.request(42, 0))[1], "only the first one");
    }

    @Test
    void shouldTakeOverAReleasedSectionWithoutWaitingForTheLease()
    {
        final Allocator first = new Allocator(1);
        final long last = first.next(3);
        assertEquals(1, first.allocator.release(nowMs));
        first.step();
        final long releasedAt = nowMs;

        final Allocator second = new Allocator(2);
        nowMs += SKEW_MS + 1;
        final long[] answer = second.answer(second.request(3, 0));
        assertNotNull(answer, "no wait for the lease");
        assertTrue(answer[0] > last);
        assertEquals(releasedAt, answer[1]);
    }

    @Test
    void shouldRefuseRequestsOnceReleased()
    {
        final Allocator allocator = new Allocator(1);
        allocator.next(3);
        allocator.allocator.release(nowMs);
        assertTrue(!allocator.allocator.allocate(99, 1, 3, 0, nowMs));
    }

    @Test
    void shouldAdoptAWriteWhoseOutcomeWasUnknownAndNeverReuseItsRange()
    {
        final Allocator allocator = new Allocator(1);
        allocator.next(9);
        store.fault(MemoryCeilingStore.Fault.APPLY_THEN_TIMEOUT);
        long last = 0;
        for (int i = 0; i < 8; i++)
        {
            last = allocator.next(9);
        }
        store.fault(MemoryCeilingStore.Fault.NONE);
        for (int i = 0; i < 30; i++)
        {
            final long next = allocator.next(9);
            assertEquals(last + 1, next, "one epoch: no jump, no reuse");
            last = next;
        }
        assertTrue(store.ceiling(0) >= last);
    }

    @Test
    void shouldWaitForTheCeilingWhenAWriteIsLostAndAnswerUnavailableWhenTheStoreStaysDown()
    {
        final Allocator allocator = new Allocator(1);
        allocator.next(1);
        store.fault(MemoryCeilingStore.Fault.DOWN);
        final List<Long> waiting = new ArrayList<>();
        for (int i = 0; i < 15; i++)
        {
            waiting.add(allocator.request(1, 0));
        }
        allocator.step();
        nowMs += TIMEOUT_MS + 1;
        allocator.step();
        final long unavailable = waiting.stream().filter(id -> SeqResult.UNAVAILABLE == allocator.results.get(id))
            .count();
        assertTrue(unavailable > 0, "requests beyond the ceiling wait, then time out");

        store.fault(MemoryCeilingStore.Fault.NONE);
        nowMs += 200;
        allocator.step();
        final long next = allocator.next(1);
        final long largest = allocator.answers.values().stream().mapToLong(answer -> answer[0]).max().orElse(0);
        assertEquals(largest, next, "the store is back: allocation goes on above everything handed out");
    }

    @Test
    void shouldNeverHandOutOneSequenceTwiceWhileAllocatorsRestartAndRace()
    {
        final Random random = new Random(6);
        final Map<Long, List<Long>> handedOut = new HashMap<>();
        final Set<Long> seen = new HashSet<>();
        final List<Allocator> allocators = new ArrayList<>();
        allocators.add(new Allocator(1));
        long owner = 1;
        final Map<Long, Long> pending = new HashMap<>();

        for (int round = 0; round < 3000; round++)
        {
            final int action = random.nextInt(100);
            if (action < 2)
            {
                // a crash (the allocator is gone), or a clean stop, and a new allocator
                final Allocator gone = allocators.remove(random.nextInt(allocators.size()));
                if (random.nextBoolean())
                {
                    gone.allocator.release(nowMs);
                    gone.step();
                }
                allocators.add(new Allocator(++owner));
            }
            else if (action < 4 && allocators.size() < 3)
            {
                allocators.add(new Allocator(++owner));
            }
            else if (action < 8)
            {
                store.fault(MemoryCeilingStore.Fault.values()[random.nextInt(3)]);
            }
            else if (action < 20)
            {
                nowMs += random.nextInt(400);
            }
            else
            {
                final Allocator allocator = allocators.get(random.nextInt(allocators.size()));
                final long uin = 1 + random.nextInt(3 * SECTION_SIZE);
                pending.put(allocator.request(uin, 0), uin);
            }
            for (final Allocator allocator : allocators)
            {
                allocator.step();
            }
            for (final Allocator allocator : allocators)
            {
                for (final Map.Entry<Long, long[]> answer : allocator.answers.entrySet())
                {
                    final Long uin = pending.remove(answer.getKey());
                    if (null != uin && SeqResult.OK == allocator.results.get(answer.getKey()))
                    {
                        final long seq = answer.getValue()[0];
                        assertTrue(seen.add(uin << 40 | seq), "uin " + uin + " got " + seq + " twice");
                        final List<Long> seqs = handedOut.computeIfAbsent(uin, u -> new ArrayList<>());
                        assertTrue(seqs.isEmpty() || seqs.get(seqs.size() - 1) < seq,
                            "uin " + uin + " got " + seq + " after " + seqs);
                        seqs.add(seq);
                    }
                }
            }
        }
        assertTrue(seen.size() > 300, "enough sequences were handed out to mean something: " + seen.size());
    }
}
