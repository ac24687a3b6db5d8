package dev.tern.tools.binlog;

import dev.tern.codecs.binlog.sbe.RecordType;
import dev.tern.codecs.binlog.sbe.RowOp;
import dev.tern.storage.binlog.Binlog;
import dev.tern.storage.binlog.BinlogRecord;
import org.agrona.DirectBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code tern binlog}: read a KVSvr storage node's binlog from its files, with the node running or not.
 */
@Command(
    name = "binlog",
    mixinStandardHelpOptions = true,
    description = "Inspect a KVSvr storage node's binlog: print records, verify checksums and version order.",
    subcommands = {BinlogPrintCommand.class, BinlogVerifyCommand.class})
public final class BinlogCommand implements Runnable
{
    /** Largest record the commands read by default: the largest a node accepts with its largest settings. */
    static final int DEFAULT_MAX_RECORD_LENGTH = 16 * 1024 * 1024 + 4096;

    private static final int SHOWN_BYTES = 48;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * @param dir a node's directory (holding {@code binlog/}) or a binlog directory.
     * @return the binlog directory.
     * @throws CommandLine.ParameterException when neither holds a binlog.
     */
    static File binlogDir(final CommandLine commandLine, final File dir)
    {
        final File nested = new File(dir, "binlog");
        final File binlogDir = nested.isDirectory() ? nested : dir;
        final String[] cycles = binlogDir.list((d, name) -> name.endsWith(".cq4"));
        if (null == cycles || 0 == cycles.length)
        {
            throw new CommandLine.ParameterException(commandLine, "no binlog in " + dir + " (no .cq4 files there or in " +
                nested + ")");
        }
        return binlogDir;
    }

    static Binlog open(final CommandLine commandLine, final File dir, final int maxRecordLength)
    {
        return Binlog.openReadOnly(binlogDir(commandLine, dir), maxRecordLength);
    }

    /**
     * @param text an index, decimal or 0x-prefixed hex.
     */
    static long parseIndex(final CommandLine commandLine, final String text)
    {
        try
        {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.ParameterException(commandLine, "index=" + text + " must be decimal or 0x-hex");
        }
    }

    /**
     * @return one line describing a record for a person.
     */
    static String describe(final long index, final BinlogRecord record)
    {
        final StringBuilder line = new StringBuilder(160);
        final int type = record.type();
        line.append("index=0x").append(Long.toHexString(index))
            .append(" type=").append(typeName(type))
            .append(" version=").append(record.version())
            .append(" ballot=").append(record.ballot())
            .append(" origin=").append(record.originNodeId());
        if (0 != record.slot() || 0 != record.authorIndex())
        {
            line.append(" slot=").append(record.slot()).append(" authorIndex=0x")
                .append(Long.toHexString(record.authorIndex()));
        }
        if (0 != record.clientId())
        {
            line.append(" request=").append(record.clientId()).append(':').append(record.requestSequence());
        }
        line.append(" time=").append(Instant.ofEpochSecond(0, record.timestampNs()));
        final DirectBuffer buffer = record.buffer();
        if (BinlogRecord.SNAPSHOT_MARK == type && BinlogRecord.MARK_VALUE_LENGTH == record.valueLength())
        {
            final long generation = buffer.getLong(record.valueOffset(), ByteOrder.LITTLE_ENDIAN);
            final long flags = buffer.getLong(record.valueOffset() + 8, ByteOrder.LITTLE_ENDIAN);
            line.append(" generation=").append(generation)
                .append(0 == generation ? " (genesis)" : 0 != (flags & BinlogRecord.MARK_INSTALLED) ? " (installed)" : "");
            return line.toString();
        }
        line.append(" key=");
        appendBytes(line, buffer, record.keyOffset(), record.keyLength());
        if (record.rowCount() > 0)
        {
            line.append(" rows=[");
            record.resetRows();
            String separator = "";
            while (record.nextRow())
            {
                line.append(separator).append(rowOpName(record.rowOp())).append(' ');
                appendBytes(line, buffer, record.rowKeyOffset(), record.rowKeyLength());
                if (0 != record.rowVersion())
                {
                    line.append(" @v").append(record.rowVersion());
                }
                if (BinlogRecord.ROW_DELETE != record.rowOp() && BinlogRecord.ROW_CLEAR != record.rowOp())
                {
                    line.append(' ');
                    appendValue(line, buffer, record.rowValueOffset(), record.rowValueLength());
                }
                separator = ", ";
            }
            line.append(']');
        }
        if (BinlogRecord.KV_PUT == type || record.valueLength() > 0)
        {
            line.append(" value=");
            appendValue(line, buffer, record.valueOffset(), record.valueLength());
        }
        return line.toString();
    }

    static String typeName(final int type)
    {
        for (final RecordType known : RecordType.values())
        {
            if (RecordType.NULL_VAL != known && known.value() == type)
            {
                return known.name();
            }
        }
        return (type >= BinlogRecord.REPLICATION_TYPE_MIN ? "REPLICATION_" : "UNKNOWN_") + type;
    }

    private static String rowOpName(final int op)
    {
        for (final RowOp known : RowOp.values())
        {
            if (RowOp.NULL_VAL != known && known.value() == op)
            {
                return known.name();
            }
        }
        return "UNKNOWN_" + op;
    }

    private static void appendValue(final StringBuilder line, final DirectBuffer buffer, final int offset, final int length)
    {
        line.append(length).append("b ");
        appendBytes(line, buffer, offset, length);
    }

    /** Printable ASCII as a quoted string, anything else as hex; long ones cut with "...". */
    private static void appendBytes(final StringBuilder line, final DirectBuffer buffer, final int offset, final int length)
    {
        final int shown = Math.min(length, SHOWN_BYTES);
        boolean printable = true;
        for (int i = 0; i < shown && printable; i++)
        {
            final byte b = buffer.getByte(offset + i);
            printable = b >= 0x20 && b < 0x7F && b != '"';
        }
        if (printable)
        {
            final byte[] bytes = new byte[shown];
            buffer.getBytes(offset, bytes);
            line.append('"').append(new String(bytes, StandardCharsets.US_ASCII)).append('"');
        }
        else
        {
            line.append("0x");
            for (int i = 0; i < shown; i++)
            {
                line.append(Character.forDigit((buffer.getByte(offset + i) >> 4) & 0xF, 16))
                    .append(Character.forDigit(buffer.getByte(offset + i) & 0xF, 16));
            }
        }
        if (length > shown)
        {
            line.append("...");
        }
    }
}
