package dev.tern.tools.binlog;

import dev.tern.storage.ResultCode;
import dev.tern.storage.binlog.Binlog;
import dev.tern.storage.binlog.BinlogReader;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.memory.NativeMemory;
import dev.tern.storage.snapshot.SnapshotFormat;
import dev.tern.storage.snapshot.SnapshotReader;
import org.agrona.collections.Long2LongHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.File;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code tern binlog verify DIR}: read every record and check its checksum and lengths, that each key's versions
 * only grow along the binlog, and that nothing unreadable follows the last good record; also check the node's
 * snapshot files when DIR is a node directory. Exit 0 when everything is sound, 1 naming the first damage.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Check every record's checksum, per-key version order and the snapshots; exit 1 naming the first damage.")
final class BinlogVerifyCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private BinlogLocation location;

    private final Long2LongHashMap versions = new Long2LongHashMap(0);
    private long records;
    private long firstOutOfOrder = -1;
    private String outOfOrder;

    public Integer call()
    {
        final CommandLine commandLine = spec.commandLine();
        final PrintWriter out = commandLine.getOut();
        final PrintWriter err = commandLine.getErr();
        int status = 0;
        try (Binlog binlog = location.open(commandLine);
            BinlogReader reader = binlog.newReader())
        {
            reader.toStart();
            int read;
            do
            {
                read = reader.read(this::onRecord, 4096);
            }
            while (read > 0 && firstOutOfOrder < 0);
            final long lastIndex = binlog.lastIndex();
            if (BinlogReader.NO_DAMAGE != reader.damagedIndex())
            {
                err.println("DAMAGED: first bad index 0x" + Long.toHexString(reader.damagedIndex()) + " (" +
                    ResultCode.describe(reader.damage()) + ") after " + records + " good records");
                status = 1;
            }
            else if (firstOutOfOrder >= 0)
            {
                err.println("VERSION ORDER: first bad index 0x" + Long.toHexString(firstOutOfOrder) + ": " + outOfOrder);
                status = 1;
            }
            else if (lastIndex > reader.lastReadIndex())
            {
                err.println("DAMAGED: first bad index 0x" + Long.toHexString(reader.lastReadIndex() + 1) +
                    " (unreadable; the binlog claims records up to 0x" + Long.toHexString(lastIndex) + ") after " +
                    records + " good records");
                status = 1;
            }
            else
            {
                out.println("binlog OK: " + records + " records, " + versions.size() + " keys, indices 0x" +
                    Long.toHexString(binlog.firstIndex()) + " to 0x" + Long.toHexString(lastIndex));
            }
        }
        return Math.max(status, verifySnapshots(out, err));
    }

    private void onRecord(final long index, final BinlogRecord record)
    {
        if (firstOutOfOrder >= 0)
        {
            return;
        }
        records++;
        final int type = record.type();
        if (BinlogRecord.SNAPSHOT_MARK == type && BinlogRecord.MARK_VALUE_LENGTH == record.valueLength() &&
            0 != (record.buffer().getLong(record.valueOffset() + 8, ByteOrder.LITTLE_ENDIAN) & BinlogRecord.MARK_INSTALLED))
        {
            versions.clear();
            return;
        }
        if (BinlogRecord.KV_PUT != type && BinlogRecord.KV_DELETE != type &&
            BinlogRecord.TABLE_OPS != type && BinlogRecord.TABLE_DELETE != type)
        {
            return;
        }
        final long key = NativeMemory.hash(record.buffer(), record.keyOffset(), record.keyLength());
        final long previous = versions.get(key);
        if (record.version() <= previous)
        {
            firstOutOfOrder = index;
            outOfOrder = BinlogCommand.describe(index, record) + " follows version " + previous + " of the same key";
            return;
        }
        versions.put(key, record.version());
    }

    private int verifySnapshots(final PrintWriter out, final PrintWriter err)
    {
        final File[] files = new File(location.dir(), "snapshots").listFiles((d, name) -> name.endsWith(SnapshotFormat.SUFFIX));
        if (null == files)
        {
            return 0;
        }
        Arrays.sort(files);
        int status = 0;
        for (final File file : files)
        {
            try (SnapshotReader reader = new SnapshotReader(file, location.maxRecordLength()))
            {
                long frames = 0;
                int result;
                while (ResultCode.OK == (result = reader.next()))
                {
                    frames++;
                }
                if (ResultCode.NOT_FOUND == result)
                {
                    out.println("snapshot OK: " + file.getName() + ", " + frames + " frames, replays from index 0x" +
                        Long.toHexString(reader.replayFromIndex()));
                }
                else
                {
                    err.println("DAMAGED snapshot " + file + " at offset " + reader.frameOffset() + " (" +
                        ResultCode.describe(result) + ")");
                    status = 1;
                }
            }
            catch (final IllegalArgumentException ex)
            {
                err.println("DAMAGED snapshot " + file + ": " + ex.getMessage());
                status = 1;
            }
        }
        return status;
    }
}
