package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.sbe.IdDeclarationEncoder;
import dev.tern.codecs.monitor.sbe.IdValueReportEncoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderEncoder;
import dev.tern.codecs.monitor.sbe.MonitorKind;

import java.nio.charset.StandardCharsets;

/**
 * Encodes one sample of an {@link IdTable} as IdValueReport parts, and its new IDs as IdDeclaration parts, into a
 * {@link ReportBuffer} batch. Every part fits one message of at most {@code maxMessageLength} bytes (the center
 * publication's largest unfragmented payload), so a report of any size is sent as many small messages and 100,000
 * IDs need no special case. No allocation.
 */
final class ReportEncoder
{
    static final int REPORT_FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + IdValueReportEncoder.BLOCK_LENGTH +
        IdValueReportEncoder.ValuesEncoder.sbeHeaderSize() + IdValueReportEncoder.machineHeaderLength();
    static final int VALUE_LENGTH = IdValueReportEncoder.ValuesEncoder.sbeBlockLength();
    static final int DECLARATION_FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH +
        IdDeclarationEncoder.BLOCK_LENGTH + IdDeclarationEncoder.IdsEncoder.sbeHeaderSize() +
        IdDeclarationEncoder.machineHeaderLength();
    static final int MAX_GROUP_COUNT = 65535;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final IdValueReportEncoder reportEncoder = new IdValueReportEncoder();
    private final IdDeclarationEncoder declarationEncoder = new IdDeclarationEncoder();
    private final long sessionId;
    private final byte[] machine;
    private final int maxMessageLength;
    private final int valuesPerPart;
    private long reportSequence;

    /**
     * @param sessionId        random per agent start.
     * @param machine          the machine's name, printable ASCII.
     * @param maxMessageLength the most bytes of one message.
     * @throws IllegalArgumentException when a message that long cannot hold one value.
     */
    ReportEncoder(final long sessionId, final String machine, final int maxMessageLength)
    {
        this.sessionId = sessionId;
        this.machine = machine.getBytes(StandardCharsets.US_ASCII);
        this.maxMessageLength = maxMessageLength;
        valuesPerPart = Math.min(MAX_GROUP_COUNT,
            (maxMessageLength - REPORT_FIXED_LENGTH - this.machine.length) / VALUE_LENGTH);
        if (valuesPerPart < 1)
        {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " cannot hold one value");
        }
    }

    /** @return how many values one report part carries at most. */
    int valuesPerPart()
    {
        return valuesPerPart;
    }

    /**
     * Encode the table's current sample as one batch of report parts.
     *
     * @param table        the sample.
     * @param buffer       where the batch goes.
     * @param sampleTimeMs the time of the sample, ms since epoch.
     * @param intervalMs   the interval the counters' deltas cover.
     * @return the number of parts, or 0 when the buffer could not hold the report (it is dropped and counted).
     */
    int encodeReport(final IdTable table, final ReportBuffer buffer, final long sampleTimeMs, final int intervalMs)
    {
        final int count = table.sampledCount();
        final int partCount = Math.max(1, (count + valuesPerPart - 1) / valuesPerPart);
        final long sequence = ++reportSequence;
        buffer.beginBatch();
        for (int part = 0; part < partCount; part++)
        {
            final int from = part * valuesPerPart;
            final int to = Math.min(count, from + valuesPerPart);
            final int offset = buffer.reserve(REPORT_FIXED_LENGTH + machine.length + (to - from) * VALUE_LENGTH);
            if (offset < 0)
            {
                return 0;
            }
            reportEncoder.wrapAndApplyHeader(buffer.buffer(), offset, headerEncoder)
                .agentSessionId(sessionId)
                .reportSequence(sequence)
                .sampleTimeMs(sampleTimeMs)
                .intervalMs(intervalMs)
                .partIndex(part)
                .partCount(partCount);
            final IdValueReportEncoder.ValuesEncoder values = reportEncoder.valuesCount(to - from);
            for (int i = from; i < to; i++)
            {
                final int slot = table.sampledSlot(i);
                values.next()
                    .monitorId(table.id(slot))
                    .kind(MonitorKind.get((short)table.kindCode(slot)))
                    .value(table.value(slot));
            }
            reportEncoder.putMachine(machine, 0, machine.length);
            buffer.commit(MessageHeaderEncoder.ENCODED_LENGTH + reportEncoder.encodedLength());
        }
        buffer.endBatch();
        return partCount;
    }

    /**
     * Encode the IDs waiting for a declaration as one batch of declaration parts, and clear the wait list.
     *
     * @param table  the IDs.
     * @param buffer where the batch goes.
     * @return the number of parts; 0 when none waited or the buffer could not hold them.
     */
    int encodeDeclarations(final IdTable table, final ReportBuffer buffer)
    {
        final int count = table.undeclaredCount();
        if (0 == count)
        {
            return 0;
        }
        int parts = 0;
        buffer.beginBatch();
        int next = 0;
        while (next < count)
        {
            int length = DECLARATION_FIXED_LENGTH + machine.length;
            int end = next;
            while (end < count && end - next < MAX_GROUP_COUNT)
            {
                final int entryLength = entryLength(table, table.undeclaredSlot(end));
                if (end > next && length + entryLength > maxMessageLength)
                {
                    break;
                }
                length += entryLength;
                end++;
            }

            final int offset = buffer.reserve(length);
            if (offset < 0)
            {
                table.clearUndeclared();
                return 0;
            }
            declarationEncoder.wrapAndApplyHeader(buffer.buffer(), offset, headerEncoder).agentSessionId(sessionId);
            final IdDeclarationEncoder.IdsEncoder ids = declarationEncoder.idsCount(end - next);
            for (int i = next; i < end; i++)
            {
                final int slot = table.undeclaredSlot(i);
                final byte[] name = table.name(slot);
                final byte[] unit = table.unit(slot);
                ids.next()
                    .monitorId(table.id(slot))
                    .kind(MonitorKind.get((short)table.kindCode(slot)))
                    .putName(name, 0, name.length)
                    .putUnit(unit, 0, unit.length);
            }
            declarationEncoder.putMachine(machine, 0, machine.length);
            buffer.commit(MessageHeaderEncoder.ENCODED_LENGTH + declarationEncoder.encodedLength());
            parts++;
            next = end;
        }
        buffer.endBatch();
        table.clearUndeclared();
        return parts;
    }

    private static int entryLength(final IdTable table, final int slot)
    {
        return IdDeclarationEncoder.IdsEncoder.sbeBlockLength() + IdDeclarationEncoder.IdsEncoder.nameHeaderLength() +
            table.name(slot).length + IdDeclarationEncoder.IdsEncoder.unitHeaderLength() + table.unit(slot).length;
    }
}
