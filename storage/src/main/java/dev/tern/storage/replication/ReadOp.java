package dev.tern.storage.replication;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A linearizable read in progress at its coordinator: the version check with a majority, then serving. Pooled.
 */
final class ReadOp
{
    static final int VOTING = 1;
    static final int WAIT_RETRY = 2;
    static final int WAIT_FETCH = 3;
    static final int WAIT_WRITE = 4;

    final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    int requestLength;
    int keyOffset;
    int keyLength;
    long readId;
    long clientSession;
    long correlationId;
    int state;
    int replied;
    long maxCommittedSlot;
    long maxCommittedBallot;
    int maxCommittedFrom;
    long maxPendingSlot;
    int attempts;
    int fetches;
    long roundDeadlineNs;
    long deadlineNs;
    ReadOp nextWaiter;

    void init(final DirectBuffer buffer, final int offset, final int length)
    {
        request.putBytes(0, buffer, offset, length);
        requestLength = length;
    }

    void startRound(final long roundDeadlineNs)
    {
        state = VOTING;
        replied = 0;
        maxCommittedSlot = -1;
        maxCommittedBallot = 0;
        maxCommittedFrom = -1;
        maxPendingSlot = 0;
        this.roundDeadlineNs = roundDeadlineNs;
    }

    void reset()
    {
        requestLength = 0;
        keyOffset = 0;
        keyLength = 0;
        readId = 0;
        clientSession = 0;
        correlationId = 0;
        state = 0;
        replied = 0;
        maxCommittedSlot = 0;
        maxCommittedBallot = 0;
        maxCommittedFrom = -1;
        maxPendingSlot = 0;
        attempts = 0;
        fetches = 0;
        roundDeadlineNs = 0;
        deadlineNs = 0;
        nextWaiter = null;
    }
}
