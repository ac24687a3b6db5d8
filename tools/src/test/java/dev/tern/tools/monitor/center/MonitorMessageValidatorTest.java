package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.sbe.IdDeclarationDecoder;
import dev.tern.codecs.monitor.sbe.IdDeclarationEncoder;
import dev.tern.codecs.monitor.sbe.IdValueReportDecoder;
import dev.tern.codecs.monitor.sbe.IdValueReportEncoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderDecoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderEncoder;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.tern.tools.monitor.center.MonitorMessageValidator.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class MonitorMessageValidatorTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int GROUP_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + IdValueReportEncoder.BLOCK_LENGTH;

    /** A valid report of three values, in an array of its exact length. */
    static byte[] report()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final IdValueReportEncoder encoder = new IdValueReportEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .agentSessionId(11).reportSequence(1).sampleTimeMs(1_000_000).intervalMs(1000).partIndex(0).partCount(1);
        final IdValueReportEncoder.ValuesEncoder values = encoder.valuesCount(3);
        values.next().monitorId(1000).kind(MonitorKind.COUNTER).value(5);
        values.next().monitorId(1001).kind(MonitorKind.GAUGE).value(-7);
        values.next().monitorId(1002).kind(MonitorKind.GAUGE).value(42);
        encoder.machine("box-1");
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** A valid declaration of two IDs, in an array of its exact length. */
    static byte[] declaration()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final IdDeclarationEncoder encoder = new IdDeclarationEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).agentSessionId(11);
        final IdDeclarationEncoder.IdsEncoder ids = encoder.idsCount(2);
        ids.next().monitorId(1000).kind(MonitorKind.COUNTER).name("demo.requests").unit("requests");
        ids.next().monitorId(1001).kind(MonitorKind.GAUGE).name("demo.latency").unit("");
        encoder.machine("box-1");
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static int validate(final byte[] message)
    {
        return MonitorMessageValidator.validate(new UnsafeBuffer(message), 0, message.length);
    }

    @Test
    void shouldAcceptWellFormedMessages()
    {
        assertEquals(VALID, validate(report()));
        assertEquals(VALID, validate(declaration()));
    }

    @Test
    void shouldRejectEveryTruncationOfAValidMessage()
    {
        for (final byte[] message : new byte[][]{ report(), declaration() })
        {
            for (int length = 0; length < message.length; length++)
            {
                assertNotEquals(VALID, MonitorMessageValidator.validate(new UnsafeBuffer(message), 0, length),
                    "prefix of " + length + " bytes");
            }
        }
    }

    @Test
    void shouldRejectAnotherSchemaATooOldVersionAndAnUnknownTemplate()
    {
        final byte[] wrongSchema = report();
        new UnsafeBuffer(wrongSchema).putShort(4, (short)99, LE);
        final byte[] versionZero = report();
        new UnsafeBuffer(versionZero).putShort(6, (short)0, LE);
        final byte[] unknownTemplate = report();
        new UnsafeBuffer(unknownTemplate).putShort(2, (short)77, LE);

        assertEquals(WRONG_SCHEMA, validate(wrongSchema));
        assertEquals(WRONG_VERSION, validate(versionZero));
        assertEquals(UNKNOWN_TEMPLATE, validate(unknownTemplate));
    }

    @Test
    void shouldRejectABlockLengthThatLiesInEitherDirection()
    {
        final byte[] tooShort = report();
        new UnsafeBuffer(tooShort).putShort(0, (short)(IdValueReportEncoder.BLOCK_LENGTH - 1), LE);
        final byte[] pastTheEnd = report();
        new UnsafeBuffer(pastTheEnd).putShort(0, (short)60_000, LE);

        assertEquals(BAD_BLOCK_LENGTH, validate(tooShort));
        assertEquals(BAD_BLOCK_LENGTH, validate(pastTheEnd));
    }

    @Test
    void shouldRejectAGroupCountThatClaimsMoreEntriesThanTheMessageHolds()
    {
        final byte[] message = report();
        new UnsafeBuffer(message).putShort(GROUP_OFFSET + 2, (short)4, LE);

        assertEquals(BAD_GROUP, validate(message));
    }

    @Test
    void shouldRejectAGroupEntryLengthSmallerThanTheSchemas()
    {
        final byte[] message = report();
        new UnsafeBuffer(message).putShort(GROUP_OFFSET, (short)8, LE);

        assertEquals(BAD_GROUP, validate(message));
    }

    @Test
    void shouldRejectAVarDataLengthThatRunsPastTheMessage()
    {
        final byte[] message = report();
        final int machineLengthOffset = message.length - "box-1".length() - 4;
        new UnsafeBuffer(message).putInt(machineLengthOffset, 0x7FFF_FFF0, LE);

        assertEquals(BAD_TEXT, validate(message));
    }

    @Test
    void shouldRejectAnUnknownKindAndImpossiblePartNumbers()
    {
        final byte[] badKind = report();
        badKind[GROUP_OFFSET + 4 + IdValueReportDecoder.ValuesDecoder.kindEncodingOffset()] = 9;
        final byte[] badPart = report();
        new UnsafeBuffer(badPart).putShort(MessageHeaderEncoder.ENCODED_LENGTH +
            IdValueReportDecoder.partIndexEncodingOffset(), (short)1, LE);

        assertEquals(BAD_FIELD, validate(badKind));
        assertEquals(BAD_FIELD, validate(badPart));
    }

    @Test
    void shouldRejectANameWithControlCharacters()
    {
        final byte[] message = declaration();
        final int at = new String(message, StandardCharsets.US_ASCII).indexOf("demo.requests");
        message[at + 2] = '\n';

        assertEquals(BAD_TEXT, validate(message));
    }

    /**
     * Mutate valid messages at random: the validator must never throw, and whatever it passes must decode without
     * reading a byte past the message (the copy is exactly as long as the message, so a lying length would throw).
     */
    @Test
    void shouldNeverLetAMutatedMessageThatItPassesReadPastItsEnd()
    {
        final Random random = new Random(20240501);
        int passed = 0;
        for (int round = 0; round < 50_000; round++)
        {
            final byte[] original = random.nextBoolean() ? report() : declaration();
            final int length = random.nextInt(4) == 0 ? random.nextInt(original.length + 1) : original.length;
            final byte[] message = Arrays.copyOf(original, length);
            for (int flips = 1 + random.nextInt(4); flips > 0 && length > 0; flips--)
            {
                message[random.nextInt(length)] = (byte)random.nextInt(256);
            }

            final int result = validate(message);
            if (result == VALID)
            {
                passed++;
                decodeWhole(new UnsafeBuffer(message));
            }
        }
        assertTrue(passed > 0, "some mutations keep a message valid");
    }

    private static void decodeWhole(final UnsafeBuffer message)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
        if (header.templateId() == IdValueReportDecoder.TEMPLATE_ID)
        {
            final IdValueReportDecoder decoder = new IdValueReportDecoder()
                .wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            decoder.agentSessionId();
            for (final IdValueReportDecoder.ValuesDecoder values : decoder.values())
            {
                values.monitorId();
                assertNotNull(MonitorKind.get(values.kindRaw()));
                values.value();
            }
            assertFalse(decoder.machine().isEmpty());
        }
        else
        {
            final IdDeclarationDecoder decoder = new IdDeclarationDecoder()
                .wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            decoder.agentSessionId();
            for (final IdDeclarationDecoder.IdsDecoder ids : decoder.ids())
            {
                ids.monitorId();
                assertNotNull(MonitorKind.get(ids.kindRaw()));
                assertFalse(ids.name().isEmpty());
                ids.unit();
            }
            assertFalse(decoder.machine().isEmpty());
        }
    }
}
