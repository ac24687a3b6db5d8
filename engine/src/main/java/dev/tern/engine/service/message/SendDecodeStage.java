package dev.tern.engine.service.message;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.client.sbe.SendImageDecoder;
import dev.tern.codecs.client.sbe.SendTextDecoder;
import dev.tern.codecs.client.sbe.SendVideoDecoder;
import dev.tern.codecs.client.sbe.SendVoiceDecoder;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

/**
 * Decodes SendText, SendVoice, SendImage and SendVideo on a view of exactly the request frame and checks every
 * field; a bad request gets its error code here and is answered by the next stage. The sender is the session's UIN,
 * never a field of the payload. Computes the content's CRC32C, which tells a retry from another message reusing a
 * client message id.
 */
final class SendDecodeStage extends ServiceStage
{
    static final long MAX_VOICE_DURATION_MS = 10 * 60 * 1000;
    static final long MAX_VIDEO_DURATION_MS = 10L * 60 * 60 * 1000;
    static final long MAX_MEDIA_SIZE = 4L * 1024 * 1024 * 1024;

    private final SendTextDecoder textDecoder = new SendTextDecoder();
    private final SendVoiceDecoder voiceDecoder = new SendVoiceDecoder();
    private final SendImageDecoder imageDecoder = new SendImageDecoder();
    private final SendVideoDecoder videoDecoder = new SendVideoDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();
    private final byte[] fields = new byte[40];
    private final UnsafeBuffer fieldsBuffer = new UnsafeBuffer(fields);

    SendDecodeStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
    {
        super(handOff, false);
    }

    protected void onOp(final ServiceOp op)
    {
        if (ServiceOp.REQUEST == op.eventType)
        {
            op.code = decode((SendOp)op).value();
        }
    }

    /**
     * @param op an op holding a request frame.
     * @return OK with the op's fields set, or why the request is refused. Never throws.
     */
    ErrorCode decode(final SendOp op)
    {
        if (op.uin < 1 || op.uin > ClientProtocol.MAX_UIN)
        {
            return ErrorCode.UNAUTHENTICATED;
        }
        if (op.version < ClientProtocol.MESSAGES_VERSION)
        {
            return ErrorCode.BAD_REQUEST;
        }
        try
        {
            final ErrorCode code;
            switch (op.templateId)
            {
                case SendTextDecoder.TEMPLATE_ID:
                    code = decodeText(op);
                    break;
                case SendVoiceDecoder.TEMPLATE_ID:
                    code = decodeVoice(op);
                    break;
                case SendImageDecoder.TEMPLATE_ID:
                    code = decodeImage(op);
                    break;
                case SendVideoDecoder.TEMPLATE_ID:
                    code = decodeVideo(op);
                    break;
                default:
                    return ErrorCode.UNKNOWN_REQUEST;
            }
            if (ErrorCode.OK == code)
            {
                op.contentCrc = contentCrc(op);
            }
            return code;
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            return ErrorCode.BAD_REQUEST;
        }
    }

    private ErrorCode decodeText(final SendOp op)
    {
        if (!blockFits(op, SendTextDecoder.BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        textDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
        op.kind = MessageKind.TEXT.value();
        op.toUin = textDecoder.toUin();
        op.clientMessageId = textDecoder.clientMessageId();
        final int length = textDecoder.textLength();
        if (length < 1 || length > SendOp.MAX_BODY)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.bodyLength = textDecoder.getText(op.body, 0, length);
        return checkRecipient(op, textDecoder.limit());
    }

    private ErrorCode decodeVoice(final SendOp op)
    {
        if (!blockFits(op, SendVoiceDecoder.BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        voiceDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
        op.kind = MessageKind.VOICE.value();
        op.toUin = voiceDecoder.toUin();
        op.clientMessageId = voiceDecoder.clientMessageId();
        op.durationMs = voiceDecoder.durationMs();
        final int length = voiceDecoder.voiceLength();
        if (op.durationMs < 1 || op.durationMs > MAX_VOICE_DURATION_MS || length < 1 || length > SendOp.MAX_BODY)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.bodyLength = voiceDecoder.getVoice(op.body, 0, length);
        return checkRecipient(op, voiceDecoder.limit());
    }

    private ErrorCode decodeImage(final SendOp op)
    {
        if (!blockFits(op, SendImageDecoder.BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        imageDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
        op.kind = MessageKind.IMAGE.value();
        op.toUin = imageDecoder.toUin();
        op.clientMessageId = imageDecoder.clientMessageId();
        op.sizeBytes = imageDecoder.sizeBytes();
        if (op.sizeBytes < 1 || op.sizeBytes > MAX_MEDIA_SIZE)
        {
            return ErrorCode.BAD_REQUEST;
        }
        final int refLength = imageDecoder.mediaRefLength();
        if (refLength < 1 || refLength > SendOp.MAX_REF)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.refLength = imageDecoder.getMediaRef(op.ref, 0, refLength);
        final int typeLength = imageDecoder.mediaTypeLength();
        if (typeLength < 3 || typeLength > SendOp.MAX_TYPE)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.typeLength = imageDecoder.getMediaType(op.type, 0, typeLength);
        final int thumbnailLength = imageDecoder.thumbnailLength();
        if (thumbnailLength > SendOp.MAX_THUMBNAIL)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.bodyLength = imageDecoder.getThumbnail(op.body, 0, thumbnailLength);
        return isMedia(op) ? checkRecipient(op, imageDecoder.limit()) : ErrorCode.BAD_REQUEST;
    }

    private ErrorCode decodeVideo(final SendOp op)
    {
        if (!blockFits(op, SendVideoDecoder.BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        videoDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
        op.kind = MessageKind.VIDEO.value();
        op.toUin = videoDecoder.toUin();
        op.clientMessageId = videoDecoder.clientMessageId();
        op.sizeBytes = videoDecoder.sizeBytes();
        op.durationMs = videoDecoder.durationMs();
        if (op.sizeBytes < 1 || op.sizeBytes > MAX_MEDIA_SIZE || op.durationMs < 1 ||
            op.durationMs > MAX_VIDEO_DURATION_MS)
        {
            return ErrorCode.BAD_REQUEST;
        }
        final int refLength = videoDecoder.mediaRefLength();
        if (refLength < 1 || refLength > SendOp.MAX_REF)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.refLength = videoDecoder.getMediaRef(op.ref, 0, refLength);
        final int typeLength = videoDecoder.mediaTypeLength();
        if (typeLength < 3 || typeLength > SendOp.MAX_TYPE)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.typeLength = videoDecoder.getMediaType(op.type, 0, typeLength);
        final int thumbnailLength = videoDecoder.thumbnailLength();
        if (thumbnailLength > SendOp.MAX_THUMBNAIL)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.bodyLength = videoDecoder.getThumbnail(op.body, 0, thumbnailLength);
        return isMedia(op) ? checkRecipient(op, videoDecoder.limit()) : ErrorCode.BAD_REQUEST;
    }

    private static ErrorCode checkRecipient(final SendOp op, final int limit)
    {
        return op.toUin >= 1 && op.toUin <= ClientProtocol.MAX_UIN && op.toUin != op.uin &&
            limit == op.requestLength ? ErrorCode.OK : ErrorCode.BAD_REQUEST;
    }

    /** A reference is printable ASCII without spaces; a type is {@code type/subtype} of [a-z0-9.+-]. */
    private static boolean isMedia(final SendOp op)
    {
        for (int i = 0; i < op.refLength; i++)
        {
            if (op.ref[i] < 0x21 || op.ref[i] > 0x7E)
            {
                return false;
            }
        }
        int slash = -1;
        for (int i = 0; i < op.typeLength; i++)
        {
            final byte b = op.type[i];
            if ('/' == b)
            {
                if (slash >= 0)
                {
                    return false;
                }
                slash = i;
            }
            else if (!(b >= 'a' && b <= 'z') && !(b >= '0' && b <= '9') && '.' != b && '+' != b && '-' != b)
            {
                return false;
            }
        }
        return slash > 0 && slash < op.typeLength - 1;
    }

    private int contentCrc(final SendOp op)
    {
        crc.reset();
        fieldsBuffer.putLong(0, op.kind);
        fieldsBuffer.putLong(8, op.durationMs);
        fieldsBuffer.putLong(16, op.sizeBytes);
        fieldsBuffer.putLong(24, op.bodyLength);
        fieldsBuffer.putLong(32, op.refLength);
        crc.update(fields, 0, fields.length);
        crc.update(op.body, 0, op.bodyLength);
        crc.update(op.ref, 0, op.refLength);
        crc.update(op.type, 0, op.typeLength);
        return (int)crc.getValue();
    }
}
