package dev.tern.perf.load;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code send-text}: a session sends a 32-byte text to a user that has it among its contacts, as a new message (a
 * fresh client message id): decode, contact and block check, two sequences, the send record and both timelines
 * stored by quorum, then the reply.
 */
public final class SendTextWorkload implements Workload
{
    /** Bytes of each text. */
    static final int TEXT_BYTES = 32;

    private final UnsafeBuffer text = payload(TEXT_BYTES);

    /**
     * @param length bytes.
     * @return a buffer of printable ASCII, so it is valid UTF-8 too.
     */
    static UnsafeBuffer payload(final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)('a' + i % 26));
        }
        return buffer;
    }

    public String name()
    {
        return "send-text";
    }

    public Kind kind()
    {
        return Kind.SESSION;
    }

    public boolean sendsToContacts()
    {
        return true;
    }

    public boolean send(final Connections connections, final Pending pending)
    {
        final EngineSession session = connections.nextSession();
        return session.track(session.client().sendText(session.nextRecipient(), session.nextClientMessageId(),
            text, 0, TEXT_BYTES), pending);
    }
}
