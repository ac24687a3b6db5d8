package dev.tern.perf.transport;

import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * A benchmark's requests in flight over Aeron: keeps {@code window} requests out and waits for one reply per call,
 * so that one benchmark operation is one round trip. Used by one thread.
 */
public final class RequestWindow
{
    private final int window;
    private final BooleanSupplier offer;
    private final Subscription replies;
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 50_000);
    private int inFlight;
    private final FragmentHandler onReply = (buffer, offset, length, header) -> inFlight--;

    /**
     * @param window  requests kept in flight.
     * @param offer   sends one request; false when the publication refused it.
     * @param replies where one fragment answers one request.
     */
    public RequestWindow(final int window, final BooleanSupplier offer, final Subscription replies)
    {
        this.window = window;
        this.offer = offer;
        this.replies = replies;
    }

    /**
     * Fill the window, then wait for one reply.
     *
     * @return the fragments read: 1.
     */
    public int roundTrip()
    {
        topUp();
        int received;
        while (0 == (received = replies.poll(onReply, 1)))
        {
            // an offer refused by back-pressure or a term rotation (ADMIN_ACTION) is tried again while waiting
            topUp();
            idle.idle();
        }
        idle.reset();
        return received;
    }

    private void topUp()
    {
        while (inFlight < window && offer.getAsBoolean())
        {
            inFlight++;
        }
    }
}
