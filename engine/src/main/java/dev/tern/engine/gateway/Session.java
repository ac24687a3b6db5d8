package dev.tern.engine.gateway;

import io.aeron.Publication;

/**
 * A client connection held by the gateway (one Aeron image: its session id is the connection id) and, once the
 * client logged in, its session: the UIN, device, token and expiry. Pre-allocated and reused by the
 * {@link SessionTable}; the generation tells a reused session from its previous life. Gateway thread only.
 */
public final class Session
{
    /** Not in use. */
    public static final int FREE = 0;
    /** ClientHello received, the response publication is being added. */
    public static final int PENDING = 1;
    /** The response publication exists: requests are served. */
    public static final int READY = 2;

    final TokenBucket rateLimit;
    int state = FREE;
    int connectionId;
    long generation;
    long lastActiveNs;
    int inFlight;

    String responseChannel;
    int responseStreamId;
    long publicationRegistrationId;
    Publication publication;
    long helloCorrelationId;
    long helloDeadlineNs;

    long uin;
    long deviceId;
    Session nextOfUin;
    Session previousOfUin;
    long tokenHi;
    long tokenLo;
    long expiresAtNs;

    Session(final TokenBucket rateLimit)
    {
        this.rateLimit = rateLimit;
    }

    /** @return the connection id: the Aeron session id of the client's publication. */
    public int connectionId()
    {
        return connectionId;
    }

    /** @return FREE, PENDING or READY. */
    public int state()
    {
        return state;
    }

    /** @return true once a login bound this connection to a UIN. */
    public boolean isLoggedIn()
    {
        return 0 != uin;
    }

    /** @return the logged-in UIN, or 0. */
    public long uin()
    {
        return uin;
    }

    /** @return the logged-in device. */
    public long deviceId()
    {
        return deviceId;
    }

    /** @return requests of this session forwarded and not yet answered. */
    public int inFlight()
    {
        return inFlight;
    }

    /** @return the next logged-in session of the same UIN (another device or connection), or null. */
    public Session nextOfUin()
    {
        return nextOfUin;
    }

    /** @return the publication the gateway answers this client on, or null while it is being added. */
    public Publication publication()
    {
        return publication;
    }
}
