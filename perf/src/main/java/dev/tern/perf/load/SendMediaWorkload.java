package dev.tern.perf.load;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@code send-media}: a session sends an image by reference with a 256-byte inline thumbnail to a user that has it
 * among its contacts, as a new message, through the send-media service (the same stages as send-text, its own
 * pipeline).
 */
public final class SendMediaWorkload implements Workload
{
    /** Bytes of each inline thumbnail. */
    static final int THUMBNAIL_BYTES = 256;
    private static final String MEDIA_REF = "blob:tern-load-image";
    private static final String MEDIA_TYPE = "image/jpeg";
    private static final long SIZE_BYTES = 150_000;

    private final UnsafeBuffer thumbnail = SendTextWorkload.payload(THUMBNAIL_BYTES);

    public String name()
    {
        return "send-media";
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
        // the client takes the reference and type only as Strings: constants, encoded on each send
        return session.track(session.client().sendImage(session.nextRecipient(), session.nextClientMessageId(),
            MEDIA_REF, MEDIA_TYPE, SIZE_BYTES, thumbnail, 0, THUMBNAIL_BYTES), pending);
    }
}
