package dev.tern.engine.service;

import dev.tern.codecs.engine.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The length check every gateway-service envelope (engine schema) passes before it is decoded.
 */
public final class Envelopes
{
    /** Length of the message header of an envelope. */
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private Envelopes()
    {
    }

    /**
     * @param buffer      holds the frame.
     * @param offset      of the frame.
     * @param length      of the frame.
     * @param templateId  the envelope expected.
     * @param blockLength its root block length.
     * @return true when the frame is of the engine schema and template, and its header and root block fit in it.
     */
    public static boolean fits(final DirectBuffer buffer, final int offset, final int length, final int templateId,
        final int blockLength)
    {
        return length >= HEADER_LENGTH &&
            (buffer.getShort(offset + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == MessageHeaderDecoder.SCHEMA_ID &&
            (buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == templateId &&
            (buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) >= blockLength &&
            HEADER_LENGTH + (buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) <= length;
    }
}
