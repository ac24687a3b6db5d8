package dev.tern.storage.replication;

import org.agrona.DirectBuffer;

/**
 * How a replica answers KV clients. A client is named by the session number the transport gave it when its
 * {@code KvConnect} arrived.
 */
public interface ClientTransport
{
    /**
     * @param clientSession the session the request came from.
     * @param buffer        holding the encoded KvResponse.
     * @param offset        of the message.
     * @param length        of the message.
     * @return true when handed to the transport; false when the client is gone or back-pressured (the client retries).
     */
    boolean reply(long clientSession, DirectBuffer buffer, int offset, int length);
}
