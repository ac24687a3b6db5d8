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
