package dev.tern.transport;

/**
 * Aeron channels and stream ids of Tern's protocols: one place, so that every end of a conversation agrees.
 */
public final class Channels
{
    /** KVSvr replica to replica: quorum messages and authored binlog streams. */
    public static final int KV_PEER_STREAM_ID = 10;
    /** KV client to replica: KvConnect and KvRequest. */
    public static final int KV_REQUEST_STREAM_ID = 11;
    /** Replica to KV client: KvResponse. */
    public static final int KV_RESPONSE_STREAM_ID = 12;

    /** Client to gateway: the client protocol's requests (client schema). */
    public static final int CLIENT_REQUEST_STREAM_ID = 20;
    /** Gateway to client: responses; the default stream a client names in its ClientHello. */
    public static final int CLIENT_RESPONSE_STREAM_ID = 21;
    /** Services to gateway: ServiceReply envelopes. */
    public static final int SERVICE_REPLY_STREAM_ID = 22;
    /** Gateway to service: ServiceRequest envelopes on this stream plus the service's id. */
    public static final int SERVICE_REQUEST_STREAM_ID_BASE = 100;
    /** Send service to the sequence allocator: SeqConnect and SeqRequest. */
    public static final int SEQ_REQUEST_STREAM_ID = 30;
    /** Sequence allocator to send service: SeqReply, on this stream plus the asking service's id. */
    public static final int SEQ_REPLY_STREAM_ID_BASE = 200;

    /** The channel between a gateway and services that share its process and media driver. */
    public static final String IPC = "aeron:ipc";

    private Channels()
    {
    }

    /**
     * @param endpoint host:port (port 0 on a subscription: any free port).
     * @return the UDP channel of the endpoint.
     */
    public static String udp(final String endpoint)
    {
        return "aeron:udp?endpoint=" + endpoint;
    }

    /**
     * @param channel a channel as built by {@link #udp(String)}.
     * @return true when it is a plain unicast UDP channel of host:port, the only kind Tern accepts from peers.
     */
    public static boolean isUnicastUdp(final String channel)
    {
        return null != channel && channel.matches("aeron:udp\\?endpoint=[A-Za-z0-9.\\-]{1,253}:\\d{1,5}");
    }
}
