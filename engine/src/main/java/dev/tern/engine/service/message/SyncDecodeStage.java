package dev.tern.engine.service.message;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.SyncDecoder;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes Sync on a view of exactly the request frame and checks its fields. The timeline is always the session's
 * UIN's.
 */
final class SyncDecodeStage extends ServiceStage
{
    /** Most messages one sync returns. */
    static final int MAX_MESSAGES = 100;

    private final SyncDecoder decoder = new SyncDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    SyncDecodeStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
    {
        super(handOff, false);
    }

    protected void onOp(final ServiceOp op)
    {
        if (ServiceOp.REQUEST == op.eventType)
        {
            op.code = decode((SyncOp)op).value();
        }
    }

    /**
     * @param op an op holding a request frame.
     * @return OK with the op's fields set, or why the request is refused. Never throws.
     */
    ErrorCode decode(final SyncOp op)
    {
        if (op.uin < 1 || op.uin > ClientProtocol.MAX_UIN)
        {
            return ErrorCode.UNAUTHENTICATED;
        }
        if (SyncDecoder.TEMPLATE_ID != op.templateId)
        {
            return ErrorCode.UNKNOWN_REQUEST;
        }
        if (op.version < ClientProtocol.MESSAGES_VERSION || !blockFits(op, SyncDecoder.BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        try
        {
            decoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
            op.syncKey = decoder.syncKey();
            op.maxMessages = decoder.maxMessages();
            return op.syncKey >= 0 && op.maxMessages >= 1 && op.maxMessages <= MAX_MESSAGES &&
                decoder.limit() == op.requestLength ? ErrorCode.OK : ErrorCode.BAD_REQUEST;
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            return ErrorCode.BAD_REQUEST;
        }
    }
}
