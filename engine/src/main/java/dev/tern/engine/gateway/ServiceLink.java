package dev.tern.engine.gateway;

/**
 * Where the gateway sends a service's requests.
 *
 * @param serviceId the service's id, as named by its routes.
 * @param name      the service's name, for people.
 * @param channel   {@code aeron:ipc} when the service shares the gateway's process, else its UDP channel.
 * @param streamId  the service's request stream.
 */
public record ServiceLink(int serviceId, String name, String channel, int streamId)
{
}
