package dev.tern.transport;

import io.aeron.Publication;
import org.agrona.DirectBuffer;

/**
 * Offering to a publication the one way Tern does: an ADMIN_ACTION (a term rotation, a moment's work of the
 * publication itself) is retried at once; every other refusal is returned to the caller, who decides.
 */
public final class Publications
{
    private static final int ADMIN_ACTION_ATTEMPTS = 3;

    private Publications()
    {
    }

    /**
     * @param publication the publication.
     * @param buffer      holds the message.
     * @param offset      of the message.
     * @param length      of the message.
     * @return the new position (positive), or the publication's refusal (NOT_CONNECTED, BACK_PRESSURED, CLOSED,
     * MAX_POSITION_EXCEEDED, or ADMIN_ACTION when it persisted).
     */
    public static long offer(final Publication publication, final DirectBuffer buffer, final int offset,
        final int length)
    {
        long result = publication.offer(buffer, offset, length);
        for (int attempt = 1; Publication.ADMIN_ACTION == result && attempt < ADMIN_ACTION_ATTEMPTS; attempt++)
        {
            result = publication.offer(buffer, offset, length);
        }
        return result;
    }
}
