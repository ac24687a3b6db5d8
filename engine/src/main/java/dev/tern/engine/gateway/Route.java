package dev.tern.engine.gateway;

import dev.tern.transport.client.ClientProtocol;

/**
 * Where the gateway sends a request template: to a service (by its id), or to the gateway itself.
 *
 * @param templateId      the client schema template.
 * @param serviceId       the service that serves it, or {@link #GATEWAY}.
 * @param requiresSession true when the request must carry a valid token of its connection's session.
 */
public record Route(int templateId, int serviceId, boolean requiresSession)
{
    /** The service id of requests the gateway answers itself (ClientHello, Logout). */
    public static final int GATEWAY = 0;
    /** Template ids a route may name: 1 to this, exclusive. */
    public static final int MAX_TEMPLATE_ID = 256;
    /** Service ids a route may name: 1 to this, exclusive. */
    public static final int MAX_SERVICE_ID = 64;

    /**
     * @throws IllegalArgumentException on an id out of range.
     */
    public Route
    {
        if (templateId < 1 || templateId >= MAX_TEMPLATE_ID)
        {
            throw new IllegalArgumentException("templateId=" + templateId + " must be in [1, " + MAX_TEMPLATE_ID + ")");
        }
        if (serviceId < 0 || serviceId >= MAX_SERVICE_ID)
        {
            throw new IllegalArgumentException("serviceId=" + serviceId + " must be in [0, " + MAX_SERVICE_ID + ")");
        }
    }

    /** @return a route for a request that may come before login. */
    public static Route open(final int templateId, final int serviceId)
    {
        return new Route(templateId, serviceId, false);
    }

    /** @return a route for a request that needs a logged-in session. */
    public static Route session(final int templateId, final int serviceId)
    {
        return new Route(templateId, serviceId, true);
    }

    /** @return the shortest root block the gateway accepts for the template: its common prefix. */
    public int minBlockLength()
    {
        return requiresSession ? ClientProtocol.SESSION_BLOCK_LENGTH : ClientProtocol.MIN_BLOCK_LENGTH;
    }
}
