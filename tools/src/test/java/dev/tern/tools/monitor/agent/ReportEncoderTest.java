package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.sbe.IdDeclarationDecoder;
import dev.tern.codecs.monitor.sbe.IdValueReportDecoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderDecoder;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import dev.tern.tools.monitor.center.MonitorMessageValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class ReportEncoderTest
{
    private static final int MAX_MESSAGE_LENGTH = 8192 - 32;
    private static final int IDS = 100_000;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final IdValueReportDecoder report = new IdValueReportDecoder();
    private final IdDeclarationDecoder declaration = new IdDeclarationDecoder();

    private static IdTable tableOf(final int ids)
    {
        final IdTable table = new IdTable();
        table.beginSample();
        for (int i = 0; i < ids; i++)
        {
            final int slot = table.register(100_000 + i, i % 2 == 0 ? MonitorKind.COUNTER : MonitorKind.GAUGE,
                "synthetic.id_" + i, "units");
            table.accumulate(slot, i * 3L);
        }
        return table;
    }

    /** Copy a message into a buffer of its exact length, so that a decoder reading past it fails. */
    private static UnsafeBuffer exactCopy(final ReportBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.messageLength()];
        buffer.buffer().getBytes(buffer.messageOffset(), bytes);
        return new UnsafeBuffer(bytes);
    }

    @Test
    void shouldSplitAReportOf100000IdsIntoValidPartsThatEachFitOneMessage()
    {
        final IdTable table = tableOf(IDS);
        final ReportEncoder encoder = new ReportEncoder(77, "box-1", MAX_MESSAGE_LENGTH);
        final ReportBuffer buffer = new ReportBuffer(10, 64 << 20);

        final int parts = encoder.encodeReport(table, buffer, 5_000, 1000);

        assertEquals((IDS + encoder.valuesPerPart() - 1) / encoder.valuesPerPart(), parts);
        final Map<Integer, Long> values = new HashMap<>();
        int expectedPart = 0;
        while (buffer.hasMessage())
        {
            assertTrue(buffer.messageLength() <= MAX_MESSAGE_LENGTH, "part length " + buffer.messageLength());
            final UnsafeBuffer message = exactCopy(buffer);
            assertEquals(MonitorMessageValidator.VALID, MonitorMessageValidator.validate(message, 0, message.capacity()));
            header.wrap(message, 0);
            report.wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            assertEquals(77, report.agentSessionId());
            assertEquals(5_000, report.sampleTimeMs());
            assertEquals(1000, report.intervalMs());
            assertEquals(expectedPart++, report.partIndex());
            assertEquals(parts, report.partCount());
            for (final IdValueReportDecoder.ValuesDecoder value : report.values())
            {
                assertNull(values.put(value.monitorId(), value.value()), "id sent twice: " + value.monitorId());
            }
            assertEquals("box-1", report.machine());
            buffer.pop();
        }
        assertEquals(parts, expectedPart);
        assertEquals(IDS, values.size());
        for (int i = 0; i < IDS; i++)
        {
            assertEquals(i * 3L, values.get(100_000 + i));
        }
    }

    @Test
    void shouldSendAnEmptyReportAsOnePartSoTheCenterSeesTheSample()
    {
        final IdTable table = new IdTable();
        table.beginSample();
        final ReportBuffer buffer = new ReportBuffer(10, 1 << 20);

        assertEquals(1, new ReportEncoder(1, "m", MAX_MESSAGE_LENGTH).encodeReport(table, buffer, 1_000, 1000));
        assertTrue(buffer.hasMessage());
    }

    @Test
    void shouldSplitDeclarationsOfEveryNewIdWithinTheMessageLength()
    {
        final IdTable table = tableOf(20_000);
        final ReportEncoder encoder = new ReportEncoder(9, "box-1", MAX_MESSAGE_LENGTH);
        final ReportBuffer buffer = new ReportBuffer(10, 64 << 20);

        final int parts = encoder.encodeDeclarations(table, buffer);

        assertTrue(parts > 1, "parts " + parts);
        assertEquals(0, table.undeclaredCount());
        final Set<Integer> declared = new HashSet<>();
        while (buffer.hasMessage())
        {
            assertTrue(buffer.messageLength() <= MAX_MESSAGE_LENGTH);
            final UnsafeBuffer message = exactCopy(buffer);
            assertEquals(MonitorMessageValidator.VALID, MonitorMessageValidator.validate(message, 0, message.capacity()));
            header.wrap(message, 0);
            declaration.wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            for (final IdDeclarationDecoder.IdsDecoder id : declaration.ids())
            {
                final int number = id.monitorId();
                assertEquals("synthetic.id_" + (number - 100_000), id.name());
                assertEquals("units", id.unit());
                declared.add(number);
            }
            assertEquals("box-1", declaration.machine());
            buffer.pop();
        }
        assertEquals(20_000, declared.size());
        assertEquals(0, encoder.encodeDeclarations(table, buffer), "nothing new to declare");
    }
}
