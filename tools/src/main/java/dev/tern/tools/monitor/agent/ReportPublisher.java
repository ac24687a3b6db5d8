package dev.tern.tools.monitor.agent;

import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;

/**
 * Sends the messages waiting in a {@link ReportBuffer} to the center's publication, oldest first. A message leaves
 * the buffer only once the publication took it: while the center is away (not connected) or slow (back-pressure),
 * messages wait and the buffer's bounds decide what is dropped.
 */
final class ReportPublisher
{
    /** Most messages sent per duty cycle, so that a long backlog does not starve the rest of the cycle. */
    static final int SEND_LIMIT = 256;

    private final Publication publication;
    private final BufferClaim bufferClaim = new BufferClaim();
    private long sent;
    private long backPressured;

    ReportPublisher(final Publication publication)
    {
        this.publication = publication;
    }

    /**
     * @return the most bytes a message may have to be sent whole, without fragmentation.
     */
    int maxMessageLength()
    {
        return publication.maxPayloadLength();
    }

    /**
     * Send what the publication takes.
     *
     * @param buffer the waiting messages.
     * @return the number of messages sent.
     * @throws IllegalStateException when the publication is closed.
     */
    int drain(final ReportBuffer buffer)
    {
        int count = 0;
        while (count < SEND_LIMIT && buffer.hasMessage())
        {
            final int length = buffer.messageLength();
            final long result = publication.tryClaim(length, bufferClaim);
            if (result > 0)
            {
                bufferClaim.buffer().putBytes(bufferClaim.offset(), buffer.buffer(), buffer.messageOffset(), length);
                bufferClaim.commit();
                buffer.pop();
                count++;
            }
            else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("report publication unusable: " + Publication.errorString(result));
            }
            else
            {
                if (result != Publication.NOT_CONNECTED)
                {
                    backPressured++;
                }
                break;
            }
        }
        sent += count;
        return count;
    }

    /** @return messages sent since creation. */
    long sent()
    {
        return sent;
    }

    /** @return sends refused for back-pressure or admin action since creation. */
    long backPressured()
    {
        return backPressured;
    }

    /** @return true when the center is connected. */
    boolean isConnected()
    {
        return publication.isConnected();
    }
}
