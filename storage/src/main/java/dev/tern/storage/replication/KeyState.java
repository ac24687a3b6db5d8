package dev.tern.storage.replication;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a replica tracks in memory for a key with activity: the operations it coordinates for the key, the round in
 * flight, and, as an acceptor, its vote, the values it holds and commits waiting for earlier versions. Decided state
 * lives in the store; a key without activity has no KeyState. Pooled.
 */
final class KeyState
{
    static final int IDLE = 0;
    static final int PREPARE = 1;
    static final int ACCEPT = 2;
    static final int CONFIRM = 3;
    static final int FETCH = 4;
    static final int BACKOFF = 5;

    static final int MAX_HELD = 8;
    static final int MAX_WAITING = 8;

    final UnsafeBuffer key = new UnsafeBuffer(new byte[64]);
    int keyLength;
    long hash;

    // coordinator: operations queued for this key at this replica, the head in progress
    ClientOp opHead;
    ClientOp opTail;
    int phase = IDLE;
    long ballot;
    long maxBallotSeen;
    int replied;
    int oks;
    boolean selfCounted;
    long selfLogIndex;
    long roundDeadlineNs;
    int roundAttempts;

    // phase 1 aggregate
    long p1CommittedSlot;
    long p1CommittedBallot;
    int p1CommittedFrom;
    long p1PendingBallot;
    long p1PendingSlot;
    final ExpandableArrayBuffer p1PendingRecord = new ExpandableArrayBuffer(256);
    int p1PendingRecordLength;

    // proposal in flight
    boolean reproposing;
    long proposalSlot;
    long proposalLogIndex;
    int proposalChecksum;
    long previousBallot;

    // acceptor: this replica's vote
    long pendingBallot;
    long pendingSlot;
    long pendingLogIndex;

    // acceptor: values held, not yet decided
    final long[] heldSlot = new long[MAX_HELD];
    final long[] heldBallot = new long[MAX_HELD];
    final long[] heldLogIndex = new long[MAX_HELD];
    final int[] heldChecksum = new int[MAX_HELD];
    int heldCount;

    // commits for versions beyond committed + 1, waiting for the earlier ones
    final long[] waitingSlot = new long[MAX_WAITING];
    final long[] waitingBallot = new long[MAX_WAITING];
    final int[] waitingAuthor = new int[MAX_WAITING];
    int waitingCount;
    long waitingSinceNs;

    // per-key catch-up in flight
    long fetchId;
    long fetchDeadlineNs;
    int fetchFrom;
    int fetchAttempts;
    ReadOp fetchWaiters;
    /** A state transfer from this author left the key alone while an operation ran on it: fetched once idle. */
    int transferSkippedFrom = -1;

    void init(final DirectBuffer buffer, final int offset, final int length, final long hash)
    {
        if (key.capacity() < length)
        {
            key.wrap(new byte[Math.max(length, key.capacity() * 2)]);
        }
        key.putBytes(0, buffer, offset, length);
        keyLength = length;
        this.hash = hash;
    }

    boolean keyEquals(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != keyLength)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (key.getByte(i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    boolean isIdle()
    {
        return null == opHead && phase == IDLE && pendingSlot == 0 && heldCount == 0 && waitingCount == 0 &&
            fetchId == 0 && null == fetchWaiters && transferSkippedFrom < 0;
    }

    void startRound(final long deadlineNs)
    {
        replied = 0;
        oks = 0;
        selfCounted = false;
        selfLogIndex = 0;
        roundDeadlineNs = deadlineNs;
    }

    int findHeld(final long version, final long ballot)
    {
        for (int i = 0; i < heldCount; i++)
        {
            if (heldSlot[i] == version && heldBallot[i] == ballot)
            {
                return i;
            }
        }
        return -1;
    }

    void addHeld(final long version, final long ballot, final long logIndex, final int checksum)
    {
        if (findHeld(version, ballot) >= 0)
        {
            return;
        }
        if (heldCount == MAX_HELD)
        {
            removeHeld(0);
        }
        heldSlot[heldCount] = version;
        heldBallot[heldCount] = ballot;
        heldLogIndex[heldCount] = logIndex;
        heldChecksum[heldCount] = checksum;
        heldCount++;
    }

    void removeHeld(final int index)
    {
        for (int i = index; i < heldCount - 1; i++)
        {
            heldSlot[i] = heldSlot[i + 1];
            heldBallot[i] = heldBallot[i + 1];
            heldLogIndex[i] = heldLogIndex[i + 1];
            heldChecksum[i] = heldChecksum[i + 1];
        }
        heldCount--;
    }

    /** Forget votes, values and waiting commits at or below a decided version. */
    void decidedUpTo(final long committed)
    {
        for (int i = heldCount - 1; i >= 0; i--)
        {
            if (heldSlot[i] <= committed)
            {
                removeHeld(i);
            }
        }
        if (pendingSlot != 0 && pendingSlot <= committed)
        {
            pendingSlot = 0;
            pendingBallot = 0;
            pendingLogIndex = 0;
        }
        for (int i = waitingCount - 1; i >= 0; i--)
        {
            if (waitingSlot[i] <= committed)
            {
                removeWaiting(i);
            }
        }
    }

    void addWaiting(final long version, final long ballot, final int author, final long nowNs)
    {
        for (int i = 0; i < waitingCount; i++)
        {
            if (waitingSlot[i] == version)
            {
                return;
            }
        }
        if (waitingCount == MAX_WAITING)
        {
            return;
        }
        if (waitingCount == 0)
        {
            waitingSinceNs = nowNs;
        }
        waitingSlot[waitingCount] = version;
        waitingBallot[waitingCount] = ballot;
        waitingAuthor[waitingCount] = author;
        waitingCount++;
    }

    int findWaiting(final long version)
    {
        for (int i = 0; i < waitingCount; i++)
        {
            if (waitingSlot[i] == version)
            {
                return i;
            }
        }
        return -1;
    }

    void removeWaiting(final int index)
    {
        for (int i = index; i < waitingCount - 1; i++)
        {
            waitingSlot[i] = waitingSlot[i + 1];
            waitingBallot[i] = waitingBallot[i + 1];
            waitingAuthor[i] = waitingAuthor[i + 1];
        }
        waitingCount--;
    }

    void reset()
    {
        keyLength = 0;
        hash = 0;
        opHead = null;
        opTail = null;
        phase = IDLE;
        ballot = 0;
        maxBallotSeen = 0;
        replied = 0;
        oks = 0;
        selfCounted = false;
        selfLogIndex = 0;
        roundDeadlineNs = 0;
        roundAttempts = 0;
        p1CommittedSlot = 0;
        p1CommittedBallot = 0;
        p1CommittedFrom = -1;
        p1PendingBallot = 0;
        p1PendingSlot = 0;
        p1PendingRecordLength = 0;
        reproposing = false;
        proposalSlot = 0;
        proposalLogIndex = 0;
        proposalChecksum = 0;
        previousBallot = 0;
        pendingBallot = 0;
        pendingSlot = 0;
        pendingLogIndex = 0;
        heldCount = 0;
        waitingCount = 0;
        waitingSinceNs = 0;
        fetchId = 0;
        fetchDeadlineNs = 0;
        fetchFrom = -1;
        fetchAttempts = 0;
        fetchWaiters = null;
        transferSkippedFrom = -1;
    }
}
