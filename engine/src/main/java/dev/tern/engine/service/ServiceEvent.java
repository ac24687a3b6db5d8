package dev.tern.engine.service;

import com.lmax.disruptor.EventFactory;
import com.lmax.disruptor.EventTranslatorOneArg;

/**
 * An entry of a service's ring: it carries an op through the stages. The data lives in the pre-allocated op, so an
 * entry is small and publishing copies one reference.
 */
public final class ServiceEvent
{
    /** Creates the ring's entries. */
    public static final EventFactory<ServiceEvent> FACTORY = ServiceEvent::new;

    /** Publishes an op; what the event means is in {@link ServiceOp#eventType}. */
    static final EventTranslatorOneArg<ServiceEvent, ServiceOp> TRANSLATOR = (event, sequence, op) -> event.op = op;

    /** The op this event moves along the pipeline. */
    public ServiceOp op;
}
