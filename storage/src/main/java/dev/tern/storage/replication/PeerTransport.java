package dev.tern.storage.replication;

import org.agrona.DirectBuffer;

/**
 * How a replica sends to the other replicas of its group: Aeron UDP publications in a node, a simulated network in
 * the simulation. Messages are SBE-encoded by the replica.
 */
public interface PeerTransport
{
    /**
     * Send one message to a peer, best effort: the protocol retries what matters.
     *
     * @param peer   the peer's replica index.
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return true when the message was handed to the transport; false on back-pressure or no connection.
     */
    boolean send(int peer, DirectBuffer buffer, int offset, int length);
}
