package dev.tern.engine.service.contacts;

import dev.tern.engine.service.ServiceMonitorIds;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.service.ServiceStage;
import org.agrona.concurrent.SystemEpochClock;

import static dev.tern.codecs.monitor.MonitorId.*;

/**
 * The contacts service: add, remove and list a user's contacts, a Key-Table per user in KVSvr.
 */
public final class ContactsPipeline
{
    /** The service's monitor IDs (740-779). */
    public static final ServiceMonitorIds MONITOR_IDS = new ServiceMonitorIds(
        CONTACTS_REQUESTS.id(), CONTACTS_ERRORS.id(), CONTACTS_LATENCY_MAX_US.id(), CONTACTS_IN_FLIGHT.id(),
        CONTACTS_KV_OPS.id(), CONTACTS_KV_FAILURES.id(), CONTACTS_REPLY_DROPPED.id(), 760,
        CONTACTS_REQUESTS, CONTACTS_ERRORS, CONTACTS_LATENCY_MAX_US, CONTACTS_IN_FLIGHT, CONTACTS_KV_OPS,
        CONTACTS_KV_FAILURES, CONTACTS_REPLY_DROPPED, CONTACTS_REJECT_BAD_REQUEST, CONTACTS_REJECT_NOT_FOUND,
        CONTACTS_REJECT_BUSY, CONTACTS_REJECT_UNAVAILABLE, CONTACTS_REJECT_INTERNAL);

    private ContactsPipeline()
    {
    }

    /**
     * Start the contacts service.
     *
     * @param ctx the pipeline's settings; its monitor IDs are set here.
     * @return the running service.
     */
    public static ServicePipeline launch(final ServicePipeline.Context ctx)
    {
        // ingress -> decode -> contacts (user check, row put/delete, scan via KV) -> reply
        return ServicePipeline.launch(ctx.monitorIds(MONITOR_IDS), ContactsOp::new, (disruptor, handOff) ->
        {
            final ContactsDecodeStage decode = new ContactsDecodeStage(handOff);
            final ContactsStage logic = new ContactsStage(handOff, ctx.monitor(), SystemEpochClock.INSTANCE);
            disruptor.handleEventsWith(decode).then(logic);
            return new ServiceStage[]{ decode, logic };
        });
    }
}
