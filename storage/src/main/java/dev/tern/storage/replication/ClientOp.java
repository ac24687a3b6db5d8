package dev.tern.storage.replication;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * A client write (or an internal completion of a pending write) queued at its key's coordinator. Keeps the
 * request's bytes to decode it again when its turn comes. Pooled.
 */
final class ClientOp
{
    final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    int requestLength;
    long clientSession;
    long correlationId;
    long clientId;
    long requestSequence;
    long deadlineNs;
    /** An internal operation that only completes a pending write (for a read that found one). */
    boolean completeOnly;
    ReadOp readToResume;
    ClientOp next;

    void init(final DirectBuffer buffer, final int offset, final int length)
    {
        request.putBytes(0, buffer, offset, length);
        requestLength = length;
    }

    void reset()
    {
        requestLength = 0;
        clientSession = 0;
        correlationId = 0;
        clientId = 0;
        requestSequence = 0;
        deadlineNs = 0;
        completeOnly = false;
        readToResume = null;
        next = null;
    }
}
