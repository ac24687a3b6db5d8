package dev.tern.engine;

import dev.tern.codecs.client.sbe.ClientHelloDecoder;
import dev.tern.codecs.client.sbe.ContactAddDecoder;
import dev.tern.codecs.client.sbe.ContactBlockDecoder;
import dev.tern.codecs.client.sbe.ContactListDecoder;
import dev.tern.codecs.client.sbe.ContactRemoveDecoder;
import dev.tern.codecs.client.sbe.ContactUnblockDecoder;
import dev.tern.codecs.client.sbe.LoginDecoder;
import dev.tern.codecs.client.sbe.LogoutDecoder;
import dev.tern.codecs.client.sbe.RegisterDecoder;
import dev.tern.codecs.client.sbe.SendImageDecoder;
import dev.tern.codecs.client.sbe.SendTextDecoder;
import dev.tern.codecs.client.sbe.SendVideoDecoder;
import dev.tern.codecs.client.sbe.SendVoiceDecoder;
import dev.tern.codecs.client.sbe.SyncDecoder;
import dev.tern.engine.gateway.Route;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.service.account.AccountPipeline;
import dev.tern.engine.service.contacts.ContactsPipeline;
import dev.tern.engine.service.message.MessagePipelines;
import dev.tern.transport.Channels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every logic service of the engine: its id, its name, the request templates routed to it, and how it starts.
 * Adding a service is a pipeline class and an entry here.
 */
public enum ServiceCatalog
{
    ACCOUNT(1, "account", new int[]{ RegisterDecoder.TEMPLATE_ID, LoginDecoder.TEMPLATE_ID }, new int[0])
    {
        ServicePipeline launch(final ServicePipeline.Context ctx, final Engine.Context engine)
        {
            return AccountPipeline.launch(ctx, engine.account());
        }
    },

    CONTACTS(2, "contacts", new int[0], new int[]{ ContactAddDecoder.TEMPLATE_ID, ContactRemoveDecoder.TEMPLATE_ID,
        ContactListDecoder.TEMPLATE_ID, ContactBlockDecoder.TEMPLATE_ID, ContactUnblockDecoder.TEMPLATE_ID })
    {
        ServicePipeline launch(final ServicePipeline.Context ctx, final Engine.Context engine)
        {
            return ContactsPipeline.launch(ctx);
        }
    },

    SEND_TEXT(3, "send-text", new int[0], new int[]{ SendTextDecoder.TEMPLATE_ID, SendVoiceDecoder.TEMPLATE_ID })
    {
        ServicePipeline launch(final ServicePipeline.Context ctx, final Engine.Context engine)
        {
            return MessagePipelines.launchSendText(ctx, engine.messages());
        }

        boolean allocatesSequences()
        {
            return true;
        }
    },

    SEND_MEDIA(4, "send-media", new int[0], new int[]{ SendImageDecoder.TEMPLATE_ID, SendVideoDecoder.TEMPLATE_ID })
    {
        ServicePipeline launch(final ServicePipeline.Context ctx, final Engine.Context engine)
        {
            return MessagePipelines.launchSendMedia(ctx, engine.messages());
        }

        boolean allocatesSequences()
        {
            return true;
        }
    },

    SYNC(5, "sync", new int[0], new int[]{ SyncDecoder.TEMPLATE_ID })
    {
        ServicePipeline launch(final ServicePipeline.Context ctx, final Engine.Context engine)
        {
            return MessagePipelines.launchSync(ctx, engine.messages());
        }
    };

    /** Requests the gateway answers itself. */
    public static final List<Route> GATEWAY_ROUTES = List.of(
        Route.open(ClientHelloDecoder.TEMPLATE_ID, Route.GATEWAY),
        Route.session(LogoutDecoder.TEMPLATE_ID, Route.GATEWAY));

    private final int serviceId;
    private final String serviceName;
    private final List<Route> routes;

    ServiceCatalog(final int serviceId, final String serviceName, final int[] openTemplates,
        final int[] sessionTemplates)
    {
        this.serviceId = serviceId;
        this.serviceName = serviceName;
        final List<Route> routes = new ArrayList<>();
        for (final int templateId : openTemplates)
        {
            routes.add(Route.open(templateId, serviceId));
        }
        for (final int templateId : sessionTemplates)
        {
            routes.add(Route.session(templateId, serviceId));
        }
        this.routes = List.copyOf(routes);
    }

    /**
     * Start the service's pipeline.
     *
     * @param ctx    the pipeline's settings, channels included.
     * @param engine the engine's settings, for service-specific ones.
     * @return the running pipeline.
     */
    abstract ServicePipeline launch(ServicePipeline.Context ctx, Engine.Context engine);

    /** @return true for a service that asks the sequence allocator (seq) for sequences. */
    boolean allocatesSequences()
    {
        return false;
    }

    /** @return the service's id, unique, stable. */
    public int serviceId()
    {
        return serviceId;
    }

    /** @return the service's name, as in {@code tern run --services}. */
    public String serviceName()
    {
        return serviceName;
    }

    /** @return the templates routed to the service. */
    public List<Route> routes()
    {
        return routes;
    }

    /** @return the stream the service takes requests on. */
    public int requestStreamId()
    {
        return Channels.SERVICE_REQUEST_STREAM_ID_BASE + serviceId;
    }

    /** @return every route of the gateway: its own and every service's. */
    public static List<Route> allRoutes()
    {
        final List<Route> routes = new ArrayList<>(GATEWAY_ROUTES);
        for (final ServiceCatalog service : values())
        {
            routes.addAll(service.routes);
        }
        return routes;
    }

    /**
     * @param name a service name.
     * @return the service.
     * @throws IllegalArgumentException when there is no such service.
     */
    public static ServiceCatalog byName(final String name)
    {
        for (final ServiceCatalog service : values())
        {
            if (service.serviceName.equals(name.toLowerCase(Locale.ROOT)))
            {
                return service;
            }
        }
        throw new IllegalArgumentException("no service named '" + name + "'");
    }
}
