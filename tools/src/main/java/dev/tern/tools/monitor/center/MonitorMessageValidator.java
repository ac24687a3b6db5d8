package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.sbe.IdDeclarationDecoder;
import dev.tern.codecs.monitor.sbe.IdValueReportDecoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderDecoder;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import dev.tern.tools.monitor.MonitorProtocol;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks a received monitor message against its own length before any decoder touches it. Generated SBE decoders
 * trust every length in the message and are bounds-checked only against the whole buffer (in an Aeron fragment
 * handler, the term), so a lying length would read neighbouring messages. This walks the message's structure
 * (header, root block, group dimensions and entries, var-data lengths) within {@code length} bytes and checks the
 * values a decoder would trust: kinds, part numbers, text lengths and characters.
 * <pre>
 *   IdValueReport: header(8) | block(>= 32) | values: dim(4) + n x entry(>= 13) | machine: len(4) + ASCII
 *   IdDeclaration: header(8) | block(>= 8)  | ids: dim(4) + n x (entry(>= 5) + name: len(4) + ASCII
 *                                             + unit: len(4) + ASCII) | machine: len(4) + ASCII
 * </pre>
 * Stateless and allocation-free.
 */
public final class MonitorMessageValidator
{
    public static final int VALID = 0;
    public static final int TOO_SHORT = 1;
    public static final int WRONG_SCHEMA = 2;
    public static final int WRONG_VERSION = 3;
    public static final int UNKNOWN_TEMPLATE = 4;
    public static final int BAD_BLOCK_LENGTH = 5;
    public static final int BAD_GROUP = 6;
    public static final int BAD_TEXT = 7;
    public static final int BAD_FIELD = 8;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int GROUP_HEADER_LENGTH = 4;
    private static final int VAR_HEADER_LENGTH = 4;

    private MonitorMessageValidator()
    {
    }

    /**
     * @param buffer the buffer holding the message.
     * @param offset where its message header starts.
     * @param length the message's length as received (the fragment's length).
     * @return {@link #VALID}, or the first problem found.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || offset < 0 || (long)offset + length > buffer.capacity())
        {
            return TOO_SHORT;
        }
        final int blockLength = buffer.getShort(offset, ORDER) & 0xFFFF;
        final int templateId = buffer.getShort(offset + 2, ORDER) & 0xFFFF;
        final int schemaId = buffer.getShort(offset + 4, ORDER) & 0xFFFF;
        final int version = buffer.getShort(offset + 6, ORDER) & 0xFFFF;
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID)
        {
            return WRONG_SCHEMA;
        }
        if (version < 1)
        {
            return WRONG_VERSION;
        }
        final int end = offset + length;
        final int blockStart = offset + HEADER_LENGTH;
        switch (templateId)
        {
            case IdValueReportDecoder.TEMPLATE_ID:
                return validateReport(buffer, blockStart, blockLength, end);
            case IdDeclarationDecoder.TEMPLATE_ID:
                return validateDeclaration(buffer, blockStart, blockLength, end);
            default:
                return UNKNOWN_TEMPLATE;
        }
    }

    /**
     * @param result a result of {@link #validate(DirectBuffer, int, int)}.
     * @return its name, for logs.
     */
    public static String describe(final int result)
    {
        switch (result)
        {
            case VALID: return "valid";
            case TOO_SHORT: return "too short";
            case WRONG_SCHEMA: return "wrong schema id";
            case WRONG_VERSION: return "wrong schema version";
            case UNKNOWN_TEMPLATE: return "unknown template id";
            case BAD_BLOCK_LENGTH: return "bad block length";
            case BAD_GROUP: return "bad group dimensions";
            case BAD_TEXT: return "bad text length or characters";
            case BAD_FIELD: return "bad field value";
            default: return "unknown result " + result;
        }
    }

    private static int validateReport(final DirectBuffer buffer, final int blockStart, final int blockLength,
        final int end)
    {
        if (blockLength < IdValueReportDecoder.BLOCK_LENGTH || (long)blockStart + blockLength > end)
        {
            return BAD_BLOCK_LENGTH;
        }
        final long sampleTimeMs = buffer.getLong(blockStart + IdValueReportDecoder.sampleTimeMsEncodingOffset(), ORDER);
        final int intervalMs = buffer.getInt(blockStart + IdValueReportDecoder.intervalMsEncodingOffset(), ORDER);
        final int partIndex = buffer.getShort(blockStart + IdValueReportDecoder.partIndexEncodingOffset(), ORDER) & 0xFFFF;
        final int partCount = buffer.getShort(blockStart + IdValueReportDecoder.partCountEncodingOffset(), ORDER) & 0xFFFF;
        if (sampleTimeMs <= 0 || intervalMs <= 0 || partCount < 1 || partIndex >= partCount)
        {
            return BAD_FIELD;
        }

        int position = blockStart + blockLength;
        if (position + GROUP_HEADER_LENGTH > end)
        {
            return BAD_GROUP;
        }
        final int entryLength = buffer.getShort(position, ORDER) & 0xFFFF;
        final int count = buffer.getShort(position + 2, ORDER) & 0xFFFF;
        position += GROUP_HEADER_LENGTH;
        if (entryLength < IdValueReportDecoder.ValuesDecoder.sbeBlockLength() ||
            (long)position + (long)entryLength * count > end)
        {
            return BAD_GROUP;
        }
        final int kindOffset = IdValueReportDecoder.ValuesDecoder.kindEncodingOffset();
        for (int i = 0; i < count; i++)
        {
            if (!isKind(buffer.getByte(position + kindOffset)))
            {
                return BAD_FIELD;
            }
            position += entryLength;
        }
        return validateText(buffer, position, end, 1, MonitorProtocol.MAX_MACHINE_LENGTH) < 0 ? BAD_TEXT : VALID;
    }

    private static int validateDeclaration(final DirectBuffer buffer, final int blockStart, final int blockLength,
        final int end)
    {
        if (blockLength < IdDeclarationDecoder.BLOCK_LENGTH || (long)blockStart + blockLength > end)
        {
            return BAD_BLOCK_LENGTH;
        }
        int position = blockStart + blockLength;
        if (position + GROUP_HEADER_LENGTH > end)
        {
            return BAD_GROUP;
        }
        final int entryLength = buffer.getShort(position, ORDER) & 0xFFFF;
        final int count = buffer.getShort(position + 2, ORDER) & 0xFFFF;
        position += GROUP_HEADER_LENGTH;
        if (entryLength < IdDeclarationDecoder.IdsDecoder.sbeBlockLength())
        {
            return BAD_GROUP;
        }
        final int kindOffset = IdDeclarationDecoder.IdsDecoder.kindEncodingOffset();
        for (int i = 0; i < count; i++)
        {
            if ((long)position + entryLength > end)
            {
                return BAD_GROUP;
            }
            if (!isKind(buffer.getByte(position + kindOffset)))
            {
                return BAD_FIELD;
            }
            position += entryLength;
            position = validateText(buffer, position, end, 1, MonitorProtocol.MAX_NAME_LENGTH);
            if (position < 0)
            {
                return BAD_TEXT;
            }
            position = validateText(buffer, position, end, 0, MonitorProtocol.MAX_UNIT_LENGTH);
            if (position < 0)
            {
                return BAD_TEXT;
            }
        }
        return validateText(buffer, position, end, 1, MonitorProtocol.MAX_MACHINE_LENGTH) < 0 ? BAD_TEXT : VALID;
    }

    /**
     * @return the position after the var-data field, or -1 when its length or characters are bad.
     */
    private static int validateText(final DirectBuffer buffer, final int position, final int end, final int minLength,
        final int maxLength)
    {
        if (position + VAR_HEADER_LENGTH > end)
        {
            return -1;
        }
        final long length = buffer.getInt(position, ORDER) & 0xFFFF_FFFFL;
        final int start = position + VAR_HEADER_LENGTH;
        if (length < minLength || length > maxLength || start + length > end)
        {
            return -1;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(start + i);
            if (b < 0x21 || b > 0x7e)
            {
                return -1;
            }
        }
        return start + (int)length;
    }

    private static boolean isKind(final byte code)
    {
        return code == MonitorKind.COUNTER.value() || code == MonitorKind.GAUGE.value();
    }
}
