package dev.tern.engine.gateway;

/**
 * System properties of the gateway, and their defaults. The only place they are read.
 */
public final class GatewayConfiguration
{
    /** host:port where clients send requests (UDP). 0.0.0.0 listens on every interface. */
    public static final String ENDPOINT_PROP_NAME = "tern.gateway.endpoint";
    public static final String ENDPOINT_DEFAULT = "127.0.0.1:7070";

    /** Client connections held at once; more ClientHellos are dropped and counted. */
    public static final String MAX_CONNECTIONS_PROP_NAME = "tern.gateway.max.connections";
    public static final int MAX_CONNECTIONS_DEFAULT = 10_000;

    /** Logged-in sessions held at once; more logins get TOO_MANY_SESSIONS. */
    public static final String MAX_SESSIONS_PROP_NAME = "tern.gateway.max.sessions";
    public static final int MAX_SESSIONS_DEFAULT = 10_000;

    /** How long a login's token is valid, ms. */
    public static final String SESSION_TTL_MS_PROP_NAME = "tern.gateway.session.ttl.ms";
    public static final long SESSION_TTL_MS_DEFAULT = 24L * 60 * 60 * 1000;

    /** A connection silent this long is evicted, ms (clients send a keep-alive more often). */
    public static final String IDLE_TIMEOUT_MS_PROP_NAME = "tern.gateway.idle.timeout.ms";
    public static final long IDLE_TIMEOUT_MS_DEFAULT = 120_000;

    /** Sustained requests per second per connection; above it, RATE_LIMITED. */
    public static final String RATE_LIMIT_PROP_NAME = "tern.gateway.rate.limit";
    public static final long RATE_LIMIT_DEFAULT = 500;

    /** Requests a connection may send at once after a quiet period. */
    public static final String RATE_BURST_PROP_NAME = "tern.gateway.rate.burst";
    public static final long RATE_BURST_DEFAULT = 1000;

    /** Requests of one connection in flight at once; more get TOO_MANY_IN_FLIGHT. */
    public static final String MAX_IN_FLIGHT_PROP_NAME = "tern.gateway.max.in.flight";
    public static final int MAX_IN_FLIGHT_DEFAULT = 64;

    /** Requests in flight through the gateway at once; more get BUSY. */
    public static final String MAX_PENDING_PROP_NAME = "tern.gateway.max.pending";
    public static final int MAX_PENDING_DEFAULT = 65_536;

    /** How long the gateway waits for a service's reply before answering UNAVAILABLE, ms. */
    public static final String SERVICE_TIMEOUT_MS_PROP_NAME = "tern.gateway.service.timeout.ms";
    public static final long SERVICE_TIMEOUT_MS_DEFAULT = 5000;

    /**
     * Only answer a client on the host its requests come from (true by default): the gateway never sends to an
     * address a client merely names, so it cannot be used to flood a third party.
     */
    public static final String REQUIRE_RESPONSE_HOST_MATCH_PROP_NAME = "tern.gateway.require.response.host.match";

    private GatewayConfiguration()
    {
    }

    public static String endpoint()
    {
        return System.getProperty(ENDPOINT_PROP_NAME, ENDPOINT_DEFAULT);
    }

    public static int maxConnections()
    {
        return Integer.getInteger(MAX_CONNECTIONS_PROP_NAME, MAX_CONNECTIONS_DEFAULT);
    }

    public static int maxSessions()
    {
        return Integer.getInteger(MAX_SESSIONS_PROP_NAME, MAX_SESSIONS_DEFAULT);
    }

    public static long sessionTtlMs()
    {
        return Long.getLong(SESSION_TTL_MS_PROP_NAME, SESSION_TTL_MS_DEFAULT);
    }

    public static long idleTimeoutMs()
    {
        return Long.getLong(IDLE_TIMEOUT_MS_PROP_NAME, IDLE_TIMEOUT_MS_DEFAULT);
    }

    public static long rateLimit()
    {
        return Long.getLong(RATE_LIMIT_PROP_NAME, RATE_LIMIT_DEFAULT);
    }

    public static long rateBurst()
    {
        return Long.getLong(RATE_BURST_PROP_NAME, RATE_BURST_DEFAULT);
    }

    public static int maxInFlight()
    {
        return Integer.getInteger(MAX_IN_FLIGHT_PROP_NAME, MAX_IN_FLIGHT_DEFAULT);
    }

    public static int maxPending()
    {
        return Integer.getInteger(MAX_PENDING_PROP_NAME, MAX_PENDING_DEFAULT);
    }

    public static long serviceTimeoutMs()
    {
        return Long.getLong(SERVICE_TIMEOUT_MS_PROP_NAME, SERVICE_TIMEOUT_MS_DEFAULT);
    }

    public static boolean requireResponseHostMatch()
    {
        return Boolean.parseBoolean(System.getProperty(REQUIRE_RESPONSE_HOST_MATCH_PROP_NAME, "true"));
    }
}
