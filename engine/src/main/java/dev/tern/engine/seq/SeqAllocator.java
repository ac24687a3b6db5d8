package dev.tern.engine.seq;

import dev.tern.codecs.engine.sbe.SeqResult;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.storage.ResultCode;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * WeChat's seqsvr allocation: every user has a monotone 64-bit sequence, handed out from memory; users are grouped
 * in sections of {@code sectionSize} consecutive UINs that share one ceiling stored in a {@link CeilingStore}. No
 * sequence of a section is handed out above its stored ceiling, and the ceiling is raised by {@code step}
 * (compare-and-set) before the section's highest sequence reaches it, so a raise costs one write per
 * {@code step / 2} sequences and rarely makes anyone wait.
 * <p>
 * <b>Ownership.</b> The stored record also names the allocator that wrote it and a lease end. An allocator hands out
 * a section's sequences only while its own lease runs, renews it at half-time while the section is in use, and takes
 * a section over only after the previous owner's lease (plus the clock skew allowance) ran out. So at any time at
 * most one allocator hands out a section's sequences, and:
 * <ul>
 *   <li>A new owner starts every user of the section at the stored ceiling (its epoch's base): above anything the
 *   previous owner handed out, so no sequence is ever handed out twice, across restarts and failovers.</li>
 *   <li>Per user, sequences increase in the order they are handed out, across owners too (the next owner starts
 *   after the last one stopped). The sync rule relies on this.</li>
 *   <li>A user's first sequence of an epoch (base + 1) carries a floor: when the previous owner stopped (its lease
 *   end, or the moment it released the section). Everything below that sequence was handed out before the floor.</li>
 * </ul>
 * A write whose outcome is unknown is resolved by reading the record: if it names this allocator, the write (or an
 * earlier one) landed and the stored values are adopted; otherwise the section was lost and is taken anew.
 * Allocation under the confirmed ceiling and lease goes on meanwhile: another allocator can only take the section
 * after that lease.
 * <p>
 * Single-threaded (the {@link SeqAgent}'s duty cycle); time is the caller's wall clock, ms. Allocation-free once its
 * sections are loaded.
 */
final class SeqAllocator implements CeilingStore.Listener
{
    /** A request for one or two users' next sequences. */
    static final class Request
    {
        long requestId;
        int session;
        final long[] uins = new long[2];
        final long[] seqs = new long[2];
        final long[] floors = new long[2];
        int count;
        int next;
        long deadlineMs;
        Request nextWaiting;

        /** @return the request's id, as the requester sent it. */
        long requestId()
        {
            return requestId;
        }

        /** @return the requester's session (its publication at the agent). */
        int session()
        {
            return session;
        }

        /** @return the sequence allocated for user {@code index} (0 or 1). */
        long seq(final int index)
        {
            return seqs[index];
        }

        /** @return the floor of user {@code index}'s sequence, or 0. */
        long floorMs(final int index)
        {
            return floors[index];
        }
    }

    /** Answers a request. */
    @FunctionalInterface
    interface Completion
    {
        /**
         * @param request the request; recycled after the call.
         * @param result  OK with every sequence set, or why not.
         */
        void onCompleted(Request request, SeqResult result);
    }

    private static final int IDLE = 0;
    private static final int READING = 1;
    private static final int WRITING = 2;
    private static final int WAITING = 3;
    private static final long RETRY_MS = 100;
    private static final long TIMER_INTERVAL_MS = 10;

    private static final class Section
    {
        final int index;
        long[] cur;
        boolean owned;
        long base;
        long floorMs;
        long ceiling;
        long leaseUntilMs;
        long version;
        long maxCur;
        long lastUsedMs;
        int io = IDLE;
        long retryAtMs;
        boolean taking;
        long takeBase;
        long takeFloorMs;
        long pendingCeiling;
        long pendingLeaseUntilMs;
        Request waitingHead;
        Request waitingTail;

        Section(final int index)
        {
            this.index = index;
        }
    }

    private final CeilingStore store;
    private final Monitor monitor;
    private final Completion completion;
    private final long ownerId;
    private final long step;
    private final int sectionSize;
    private final long leaseMs;
    private final long clockSkewMs;
    private final long timeoutMs;
    private final Int2ObjectHashMap<Section> sections = new Int2ObjectHashMap<>();
    private final ArrayDeque<Request> pool;
    private long nowMs;
    private long nextTimerMs;
    private int waiting;
    private boolean closing;

    /**
     * @param store       where ceilings are kept.
     * @param monitor     counts what happens (seq.* monitor IDs).
     * @param completion  answers requests.
     * @param ownerId     this allocator's identity in the stored records: unique per running allocator.
     * @param step        how far a ceiling is raised at once.
     * @param sectionSize users per section.
     * @param leaseMs     how long a ceiling write keeps the section this allocator's.
     * @param clockSkewMs how much the machines' clocks may differ.
     * @param timeoutMs   how long a request may wait before it is answered UNAVAILABLE.
     * @param maxRequests requests held at once.
     */
    SeqAllocator(final CeilingStore store, final Monitor monitor, final Completion completion, final long ownerId,
        final long step, final int sectionSize, final long leaseMs, final long clockSkewMs, final long timeoutMs,
        final int maxRequests)
    {
        this.store = store;
        this.monitor = monitor;
        this.completion = completion;
        this.ownerId = ownerId;
        this.step = step;
        this.sectionSize = sectionSize;
        this.leaseMs = leaseMs;
        this.clockSkewMs = clockSkewMs;
        this.timeoutMs = timeoutMs;
        pool = new ArrayDeque<>(maxRequests);
        for (int i = 0; i < maxRequests; i++)
        {
            pool.addLast(new Request());
        }
    }

    /**
     * Take a request in: answered at once when its users' sections are ready, else when they are (or UNAVAILABLE
     * after the timeout).
     *
     * @return false when the allocator holds its maximum of requests or is closing (answer BUSY).
     */
    boolean allocate(final long requestId, final int session, final long firstUin, final long secondUin,
        final long nowMs)
    {
        this.nowMs = nowMs;
        final Request request = closing ? null : pool.pollFirst();
        if (null == request)
        {
            return false;
        }
        request.requestId = requestId;
        request.session = session;
        request.uins[0] = firstUin;
        request.uins[1] = secondUin;
        request.count = 0 == secondUin ? 1 : 2;
        request.seqs[0] = 0;
        request.seqs[1] = 0;
        request.floors[0] = 0;
        request.floors[1] = 0;
        request.next = 0;
        request.deadlineMs = nowMs + timeoutMs;
        request.nextWaiting = null;
        process(request);
        return true;
    }

    /**
     * Deliver the store's answers and run timers: lease waits, retries, renewals, request timeouts.
     *
     * @return the amount of work done.
     */
    int doWork(final long nowMs)
    {
        this.nowMs = nowMs;
        int work = store.poll();
        if (nowMs - nextTimerMs >= 0)
        {
            nextTimerMs = nowMs + TIMER_INTERVAL_MS;
            work += onTimer();
        }
        return work;
    }

    /**
     * Stop handing out sequences and give up every lease held (best effort: the stores answer on later
     * {@link #doWork} calls), so another allocator takes the sections over without waiting for the leases to run out.
     *
     * @return the number of release writes started.
     */
    int release(final long nowMs)
    {
        this.nowMs = nowMs;
        closing = true;
        int started = 0;
        for (final Section section : sections.values())
        {
            if (section.owned && IDLE == section.io && nowMs < section.leaseUntilMs)
            {
                // everything this allocator handed out was handed out before now: the next owner's floor
                section.leaseUntilMs = nowMs;
                section.pendingCeiling = section.ceiling;
                section.pendingLeaseUntilMs = nowMs;
                if (store.write(section.index, section.version, section.ceiling, ownerId, nowMs, this))
                {
                    section.io = WRITING;
                    started++;
                }
            }
        }
        return started;
    }

    /** @return true while release writes are in flight. */
    boolean isReleasing()
    {
        for (final Section section : sections.values())
        {
            if (WRITING == section.io)
            {
                return true;
            }
        }
        return false;
    }

    /** @return requests waiting for a section. */
    int waiting()
    {
        return waiting;
    }

    // ---- allocation

    private void process(final Request request)
    {
        while (request.next < request.count)
        {
            final long uin = request.uins[request.next];
            final Section section = section(uin);
            if (!tryAllocate(section, uin, request))
            {
                enqueue(section, request);
                if (IDLE == section.io)
                {
                    if (section.owned)
                    {
                        startWrite(section);
                    }
                    else
                    {
                        startRead(section);
                    }
                }
                return;
            }
            request.next++;
        }
        complete(request, SeqResult.OK);
    }

    private boolean tryAllocate(final Section section, final long uin, final Request request)
    {
        if (closing || !section.owned || nowMs - section.leaseUntilMs >= 0)
        {
            return false;
        }
        final int user = (int)(uin - (long)section.index * sectionSize);
        final long next = section.cur[user] + 1;
        if (next > section.ceiling)
        {
            return false;
        }
        section.cur[user] = next;
        if (next > section.maxCur)
        {
            section.maxCur = next;
        }
        section.lastUsedMs = nowMs;
        request.seqs[request.next] = next;
        request.floors[request.next] = next == section.base + 1 ? section.floorMs : 0;
        monitor.add(MonitorId.SEQ_ALLOCATED, 1);
        if (IDLE == section.io && (needsRaise(section) || needsRenewal(section)))
        {
            startWrite(section);
        }
        return true;
    }

    private boolean needsRaise(final Section section)
    {
        return section.maxCur + step / 2 > section.ceiling;
    }

    private boolean needsRenewal(final Section section)
    {
        return section.leaseUntilMs - nowMs < leaseMs / 2 && nowMs - section.lastUsedMs < leaseMs;
    }

    private Section section(final long uin)
    {
        final int index = (int)(uin / sectionSize);
        Section section = sections.get(index);
        if (null == section)
        {
            section = new Section(index);
            sections.put(index, section);
        }
        return section;
    }

    private void enqueue(final Section section, final Request request)
    {
        request.nextWaiting = null;
        if (null == section.waitingTail)
        {
            section.waitingHead = request;
        }
        else
        {
            section.waitingTail.nextWaiting = request;
        }
        section.waitingTail = request;
        waiting++;
        monitor.set(MonitorId.SEQ_WAITING, waiting);
    }

    private void wake(final Section section)
    {
        Request request = section.waitingHead;
        section.waitingHead = null;
        section.waitingTail = null;
        while (null != request)
        {
            final Request next = request.nextWaiting;
            request.nextWaiting = null;
            waiting--;
            process(request);
            request = next;
        }
        monitor.set(MonitorId.SEQ_WAITING, waiting);
    }

    private void complete(final Request request, final SeqResult result)
    {
        completion.onCompleted(request, result);
        pool.addLast(request);
    }

    // ---- the store

    private void startRead(final Section section)
    {
        if (store.read(section.index, this))
        {
            section.io = READING;
        }
        else
        {
            retryLater(section);
        }
    }

    private void startWrite(final Section section)
    {
        section.pendingCeiling = needsRaise(section) ? section.ceiling + step : section.ceiling;
        section.pendingLeaseUntilMs = nowMs + leaseMs;
        if (store.write(section.index, section.version, section.pendingCeiling, ownerId,
            section.pendingLeaseUntilMs, this))
        {
            section.io = WRITING;
        }
        else
        {
            retryLater(section);
        }
    }

    private void startTake(final Section section, final long version, final long base, final long floorMs)
    {
        section.taking = true;
        section.takeBase = base;
        section.takeFloorMs = floorMs;
        section.pendingCeiling = base + step;
        section.pendingLeaseUntilMs = nowMs + leaseMs;
        if (store.write(section.index, version, section.pendingCeiling, ownerId, section.pendingLeaseUntilMs, this))
        {
            section.io = WRITING;
        }
        else
        {
            retryLater(section);
        }
    }

    private void retryLater(final Section section)
    {
        section.io = WAITING;
        section.retryAtMs = nowMs + RETRY_MS;
    }

    public void onRead(final int index, final int result, final long version, final long ceiling, final long owner,
        final long leaseUntilMs)
    {
        final Section section = sections.get(index);
        if (null == section || READING != section.io)
        {
            return;
        }
        section.io = IDLE;
        if (closing)
        {
            return;
        }
        if (ResultCode.NOT_FOUND == result)
        {
            // a section nobody used yet: its users start at 0, no floor needed below sequence 1
            startTake(section, 0, 0, 0);
            return;
        }
        if (ResultCode.OK != result)
        {
            monitor.add(MonitorId.SEQ_KV_FAILURES, 1);
            retryLater(section);
            return;
        }
        if (ceiling > Long.MAX_VALUE / 2)
        {
            monitor.errorHandler().onError(new IllegalStateException("section " + index + " stores ceiling " +
                ceiling + ": refusing to hand out its sequences"));
            retryLater(section);
            return;
        }
        if (owner == ownerId && (section.owned || section.taking))
        {
            // a write of ours whose outcome was unknown landed (or an earlier one is the latest): adopt it
            if (section.taking)
            {
                finishTake(section, version, ceiling, leaseUntilMs);
            }
            else
            {
                section.ceiling = ceiling;
                section.leaseUntilMs = leaseUntilMs;
                section.version = version;
                wake(section);
            }
            return;
        }
        if (section.owned)
        {
            // another allocator took the section after our lease ran out: our epoch is over
            section.owned = false;
            monitor.add(MonitorId.SEQ_CEILING_CONFLICTS, 1);
            monitor.set(MonitorId.SEQ_SECTIONS, ownedSections());
        }
        section.taking = false;
        final long freeAtMs = leaseUntilMs + clockSkewMs;
        if (nowMs - freeAtMs < 0)
        {
            monitor.add(MonitorId.SEQ_LEASE_WAITS, 1);
            section.io = WAITING;
            section.retryAtMs = freeAtMs + 1;
            return;
        }
        startTake(section, version, ceiling, leaseUntilMs);
    }

    public void onWritten(final int index, final int result, final long version)
    {
        final Section section = sections.get(index);
        if (null == section || WRITING != section.io)
        {
            return;
        }
        section.io = IDLE;
        if (ResultCode.OK == result)
        {
            monitor.add(MonitorId.SEQ_CEILING_WRITES, 1);
            if (section.taking)
            {
                finishTake(section, version, section.pendingCeiling, section.pendingLeaseUntilMs);
            }
            else
            {
                section.ceiling = section.pendingCeiling;
                section.leaseUntilMs = section.pendingLeaseUntilMs;
                section.version = version;
                if (!closing)
                {
                    wake(section);
                }
            }
            return;
        }
        if (closing)
        {
            return;
        }
        if (ResultCode.VERSION_MISMATCH == result || ResultCode.ALREADY_EXISTS == result)
        {
            // lost to another writer, or to a write of ours that landed unseen: the record tells which
            monitor.add(MonitorId.SEQ_CEILING_CONFLICTS, 1);
            startRead(section);
        }
        else
        {
            // the outcome is unknown: try again after a pause (a write that landed shows as a conflict, then read)
            monitor.add(MonitorId.SEQ_KV_FAILURES, 1);
            retryLater(section);
        }
    }

    private void finishTake(final Section section, final long version, final long ceiling, final long leaseUntilMs)
    {
        section.taking = false;
        section.owned = true;
        section.base = section.takeBase;
        section.floorMs = section.takeFloorMs;
        section.maxCur = section.takeBase;
        section.ceiling = ceiling;
        section.leaseUntilMs = leaseUntilMs;
        section.version = version;
        if (null == section.cur)
        {
            section.cur = new long[sectionSize];
        }
        Arrays.fill(section.cur, section.takeBase);
        monitor.set(MonitorId.SEQ_SECTIONS, ownedSections());
        wake(section);
    }

    private int ownedSections()
    {
        int owned = 0;
        for (final Section section : sections.values())
        {
            owned += section.owned ? 1 : 0;
        }
        return owned;
    }

    // ---- timers

    private int onTimer()
    {
        int work = 0;
        for (final Section section : sections.values())
        {
            work += expireWaiting(section);
            if (closing)
            {
                continue;
            }
            if (WAITING == section.io && nowMs - section.retryAtMs >= 0)
            {
                section.io = IDLE;
                if (section.owned)
                {
                    startWrite(section);
                }
                else if (null != section.waitingHead)
                {
                    startRead(section);
                }
                work++;
            }
            else if (IDLE == section.io && section.owned && (needsRenewal(section) ||
                null != section.waitingHead))
            {
                startWrite(section);
                work++;
            }
        }
        return work;
    }

    private int expireWaiting(final Section section)
    {
        int expired = 0;
        Request previous = null;
        Request request = section.waitingHead;
        while (null != request)
        {
            final Request next = request.nextWaiting;
            if (closing || nowMs - request.deadlineMs >= 0)
            {
                if (null == previous)
                {
                    section.waitingHead = next;
                }
                else
                {
                    previous.nextWaiting = next;
                }
                if (section.waitingTail == request)
                {
                    section.waitingTail = previous;
                }
                request.nextWaiting = null;
                waiting--;
                expired++;
                monitor.add(MonitorId.SEQ_EXPIRED, 1);
                complete(request, SeqResult.UNAVAILABLE);
            }
            else
            {
                previous = request;
            }
            request = next;
        }
        if (expired > 0)
        {
            monitor.set(MonitorId.SEQ_WAITING, waiting);
        }
        return expired;
    }
}
