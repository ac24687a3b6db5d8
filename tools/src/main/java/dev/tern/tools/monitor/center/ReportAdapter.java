package dev.tern.tools.monitor.center;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Polls the center's subscription, validates every message against its own length
 * ({@link MonitorMessageValidator}) before anything decodes it, and hands valid messages to a {@link Listener};
 * malformed ones are dropped and reported to it.
 */
final class ReportAdapter implements FragmentHandler
{
    /** Receives what the adapter read. */
    interface Listener
    {
        /**
         * A message that passed validation: safe to decode within [offset, offset + length).
         */
        void onMessage(DirectBuffer buffer, int offset, int length);

        /**
         * A message that failed validation and was dropped.
         *
         * @param reason a {@link MonitorMessageValidator} result.
         */
        void onMalformed(int reason);
    }

    private final Subscription subscription;
    private final Listener listener;
    private final FragmentAssembler assembler = new FragmentAssembler(this);

    ReportAdapter(final Subscription subscription, final Listener listener)
    {
        this.subscription = subscription;
        this.listener = listener;
    }

    /**
     * @param fragmentLimit most fragments to read.
     * @return fragments read.
     */
    int poll(final int fragmentLimit)
    {
        return subscription.poll(assembler, fragmentLimit);
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int result = MonitorMessageValidator.validate(buffer, offset, length);
        if (MonitorMessageValidator.VALID == result)
        {
            listener.onMessage(buffer, offset, length);
        }
        else
        {
            listener.onMalformed(result);
        }
    }
}
