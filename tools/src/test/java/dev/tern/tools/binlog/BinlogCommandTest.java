package dev.tern.tools.binlog;

import dev.tern.storage.ResultCode;
import dev.tern.storage.StorageNode;
import dev.tern.storage.StorageTesting;
import dev.tern.storage.TableBatch;
import dev.tern.storage.Durability;
import dev.tern.storage.ValueView;
import dev.tern.storage.binlog.Binlog;
import dev.tern.storage.binlog.BinlogDamage;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.binlog.BinlogRecordWriter;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import dev.tern.tools.TernTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.storage.StorageTesting.bytes;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class BinlogCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Long> indices = new ArrayList<>();
    private StorageNode node;

    @BeforeEach
    void before()
    {
        node = StorageNode.launch(StorageTesting.context(dir));
        for (int i = 0; i < 10; i++)
        {
            StorageTesting.put(node, "key-" + i, "value-" + i);
            indices.add(node.lastWriteIndex());
        }
        assertEquals(ResultCode.OK, node.writeTable(5, 6, bytes("inbox"), 0, 5, new TableBatch()
            .append(bytes("0001"), 0, 4, bytes("hello"), 0, 5)
            .delete(bytes("0000"), 0, 4), StorageNode.ANY_VERSION));
        indices.add(node.lastWriteIndex());
        node.close();
        node = null;
    }

    @AfterEach
    void after()
    {
        if (null != node)
        {
            node.close();
        }
    }

    @Test
    void shouldPrintEveryRecord()
    {
        assertEquals(0, run("binlog", "print", dir.getPath()), err.toString());
        final String[] lines = out.toString().split("\n");
        assertEquals(12, lines.length, out.toString());
        assertTrue(lines[0].contains("type=SNAPSHOT_MARK") && lines[0].contains("(genesis)"), lines[0]);
        assertTrue(lines[1].contains("type=KV_PUT version=1") && lines[1].contains("key=\"key-0\"") &&
            lines[1].contains("value=7b \"value-0\""), lines[1]);
        assertTrue(lines[11].contains("type=TABLE_OPS") && lines[11].contains("request=5:6") &&
            lines[11].contains("rows=[APPEND \"0001\" 5b \"hello\", DELETE \"0000\"]"), lines[11]);
    }

    @Test
    void shouldPrintFromAnIndexWithALimit()
    {
        assertEquals(0, run("binlog", "print", dir.getPath(), "--from", "0x" + Long.toHexString(indices.get(3)), "--limit", "2"));
        final String[] lines = out.toString().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("key=\"key-3\""), lines[0]);
        assertTrue(lines[1].contains("key=\"key-4\""), lines[1]);
    }

    @Test
    void shouldPrintOnlyTheRecordsOfAKey()
    {
        assertEquals(0, run("binlog", "print", new File(dir, "binlog").getPath(), "--key", "key-7"));
        assertEquals(1, out.toString().split("\n").length, out.toString());
        assertTrue(out.toString().contains("value-7"));
    }

    @Test
    void shouldRefuseAnIndexThatIsNotThere()
    {
        assertEquals(1, run("binlog", "print", dir.getPath(), "--from", "12345"));
        assertTrue(err.toString().contains("not in the binlog"), err.toString());
    }

    @Test
    void shouldRefuseADirectoryWithoutBinlog()
    {
        assertEquals(2, run("binlog", "verify", new File(dir, "snapshots").getPath()));
        assertTrue(err.toString().contains("no binlog"), err.toString());
    }

    @Test
    void shouldVerifyASoundBinlog()
    {
        assertEquals(0, run("binlog", "verify", dir.getPath()), err.toString());
        assertTrue(out.toString().contains("binlog OK: 12 records, 11 keys"), out.toString());
    }

    @Test
    void shouldReportTheFirstBadIndexOfACorruptedTailUntilRecoveryCutsIt()
    {
        final long bad = indices.get(8);
        final BinlogDamage.Location location = BinlogDamage.locate(new File(dir, "binlog"), bad);
        BinlogDamage.flip(location.file, location.position + location.length - 3);

        assertEquals(1, run("binlog", "verify", dir.getPath()));
        assertTrue(err.toString().contains("DAMAGED: first bad index 0x" + Long.toHexString(bad)), err.toString());
        assertTrue(err.toString().contains("CHECKSUM_MISMATCH"), err.toString());
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(1, run("binlog", "print", dir.getPath()));
        assertEquals(9, out.toString().split("\n").length, "printed up to the damage");

        node = StorageNode.launch(StorageTesting.context(dir).errorHandler(ex -> { }));
        assertEquals(ResultCode.NOT_FOUND, node.get(bytes("key-8"), 0, 5, new ValueView()));
        node.close();
        node = null;
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(0, run("binlog", "verify", dir.getPath()), err.toString());
        assertTrue(out.toString().contains("binlog OK: 9 records"), out.toString());
    }

    @Test
    void shouldReportAKeyWhoseVersionGoesBackwards()
    {
        final BinlogRecordWriter writer = new BinlogRecordWriter();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final long appended;
        try (Binlog binlog = new Binlog(new File(dir, "binlog"), new File(dir, "damaged"), RollCycles.FAST_HOURLY,
            Durability.PROCESS, System::currentTimeMillis, 4096))
        {
            final int replication = writer.encode(frame, 0, 64, 1, 0, 9, 0, 0, 0, bytes("key-2"), 0, 5, bytes(""), 0, 0);
            binlog.append(frame, 0, replication);
            final int stale = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 9, 0, 0, 0, bytes("key-2"), 0, 5,
                bytes("again"), 0, 5);
            appended = binlog.append(frame, 0, stale);
        }
        assertEquals(1, run("binlog", "verify", dir.getPath()));
        assertTrue(err.toString().contains("VERSION ORDER: first bad index 0x" + Long.toHexString(appended)), err.toString());
        assertTrue(err.toString().contains("follows version 1"), err.toString());
        assertEquals(0, run("binlog", "print", dir.getPath(), "--key", "key-2"));
        assertTrue(out.toString().contains("type=VALUE_NOOP"), out.toString());
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = TernTool.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
