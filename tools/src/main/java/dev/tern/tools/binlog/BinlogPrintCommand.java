package dev.tern.tools.binlog;

import dev.tern.storage.binlog.Binlog;
import dev.tern.storage.binlog.BinlogReader;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code tern binlog print DIR [--from INDEX] [--limit N] [--key KEY]}: one line per record. Exit 0, or 1 when it
 * stops at a damaged record (named on stderr) or the start index is not in the binlog.
 */
@Command(
    name = "print",
    mixinStandardHelpOptions = true,
    description = "Decode binlog records for a person, one line each, in binlog order.")
final class BinlogPrintCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private BinlogLocation location;

    @Option(names = "--from", paramLabel = "INDEX", description = "First index to print, decimal or 0x-hex (default: the first record).")
    private String from;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N records (default: all).")
    private int limit = Integer.MAX_VALUE;

    @Option(names = "--key", paramLabel = "KEY", description = "Print only the records of this key (UTF-8).")
    private String key;

    public Integer call()
    {
        final CommandLine commandLine = spec.commandLine();
        final PrintWriter out = commandLine.getOut();
        final PrintWriter err = commandLine.getErr();
        final UnsafeBuffer keyBytes = null == key ? null : new UnsafeBuffer(key.getBytes(StandardCharsets.UTF_8));
        final int[] printed = {0};
        try (Binlog binlog = location.open(commandLine);
            BinlogReader reader = binlog.newReader())
        {
            if (null != from)
            {
                final long index = BinlogCommand.parseIndex(commandLine, from);
                if (!reader.moveTo(index))
                {
                    err.println("index 0x" + Long.toHexString(index) + " is not in the binlog (first 0x" +
                        Long.toHexString(binlog.firstIndex()) + ", last 0x" + Long.toHexString(binlog.lastIndex()) + ")");
                    return 1;
                }
            }
            else
            {
                reader.toStart();
            }
            int read;
            do
            {
                read = reader.read((index, record) ->
                {
                    if (printed[0] < limit && matches(record, keyBytes))
                    {
                        out.println(BinlogCommand.describe(index, record));
                        printed[0]++;
                    }
                }, 1024);
                out.flush();
            }
            while (read > 0 && printed[0] < limit);
            if (BinlogReader.NO_DAMAGE != reader.damagedIndex())
            {
                err.println("DAMAGED record at index 0x" + Long.toHexString(reader.damagedIndex()) + ": " +
                    ResultCode.describe(reader.damage()));
                return 1;
            }
        }
        return 0;
    }

    private static boolean matches(final BinlogRecord record, final UnsafeBuffer key)
    {
        return null == key || record.keyLength() == key.capacity() && sameBytes(record, key);
    }

    private static boolean sameBytes(final BinlogRecord record, final UnsafeBuffer key)
    {
        for (int i = 0; i < key.capacity(); i++)
        {
            if (record.buffer().getByte(record.keyOffset() + i) != key.getByte(i))
            {
                return false;
            }
        }
        return true;
    }
}
