package dev.tern.storage;

import dev.tern.storage.binlog.BinlogReader;
import dev.tern.transport.test.Await;
import dev.tern.transport.test.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static dev.tern.storage.StorageTesting.bytes;
import static dev.tern.storage.StorageTesting.length;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A writer JVM does a write storm and acknowledges each group commit after flush; the test kills it with kill -9 at a
 * random moment (after a random number of acknowledgements), recovers the store in this JVM, and checks that every
 * acknowledged write is there with its version (or a later one), that every value present is whole (it is the value
 * of its version), that inboxes have no gap, and that the binlog reads back clean. Then it writes again and reopens.
 */
@Timeout(300)
class CrashRecoveryTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private ChildJvm writer;
    private StorageNode node;

    @AfterEach
    void after()
    {
        if (null != writer)
        {
            writer.close();
        }
        if (null != node)
        {
            node.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"11, PROCESS", "12, PROCESS", "13, MACHINE", "14, PROCESS", "15, PROCESS", "16, MACHINE"})
    void shouldKeepEveryAcknowledgedWriteAcrossKill9(final long seed, final Durability durability)
    {
        crashAndCheck(seed, durability, 2);
    }

    static Stream<Long> manySeeds()
    {
        return Stream.iterate(100L, seed -> seed + 1).limit(20);
    }

    @Tag("slow")
    @ParameterizedTest
    @MethodSource("manySeeds")
    void shouldKeepEveryAcknowledgedWriteAcrossRepeatedKill9(final long seed)
    {
        crashAndCheck(seed, seed % 4 == 0 ? Durability.MACHINE : Durability.PROCESS, 4);
    }

    private void crashAndCheck(final long seed, final Durability durability, final int crashes)
    {
        final Random random = new Random(seed);
        final File data = new File(dir, "node");
        final Map<String, Long> acknowledged = new HashMap<>();
        for (int crash = 0; crash < crashes; crash++)
        {
            writer = ChildJvm.builder(CrashWriter.class)
                .arg(data.getAbsolutePath(), Long.toString(seed * 1000 + crash), durability.name())
                .output(new File(dir, "writer-" + crash + ".log"))
                .start();
            final int acksBeforeKill = 50 + random.nextInt(1500);
            Await.await(() -> countAcks(writer.output()) >= acksBeforeKill || !writer.isAlive(),
                Duration.ofSeconds(120), () -> "writer to acknowledge " + acksBeforeKill + " groups: " + tail(writer.output()));
            assertTrue(writer.isAlive(), () -> "writer died by itself: " + tail(writer.output()));
            writer.kill9();
            collectAcks(writer.output(), acknowledged);
            writer = null;

            node = StorageNode.launch(CrashWriter.context(data).errorHandler(ex ->
            {
                throw new AssertionError("recovery reported an error", ex);
            }));
            assertEquals(0, node.recoveryTruncated(), "a process crash leaves no damaged tail");
            check(node, acknowledged, "seed " + seed + " crash " + crash);
            node.close();
            node = null;
        }
    }

    private static void check(final StorageNode node, final Map<String, Long> acknowledged, final String context)
    {
        final ValueView view = new ValueView();
        for (final Map.Entry<String, Long> ack : acknowledged.entrySet())
        {
            final String name = ack.getKey();
            final int slash = name.indexOf('/');
            final String key = slash < 0 ? name : name.substring(0, slash);
            final long version = node.version(bytes(key), 0, length(key));
            assertTrue(version >= ack.getValue(), context + ": " + name + " acknowledged at version " + ack.getValue() +
                " but the store has " + version);
            if (slash >= 0)
            {
                final String row = name.substring(slash + 1);
                assertEquals(ResultCode.OK, node.getRow(bytes(key), 0, length(key), bytes(row), 0, length(row), view),
                    context + ": acknowledged row " + name);
                assertEquals(CrashWriter.value(name, view.version()), StorageTesting.string(view), context + ": " + name);
            }
        }
        for (int i = 0; i < CrashWriter.KEYS; i++)
        {
            final String key = "key-" + i;
            final int result = node.get(bytes(key), 0, length(key), view);
            if (ResultCode.OK == result)
            {
                assertEquals(CrashWriter.value(key, view.version()), StorageTesting.string(view), context + ": " + key);
                assertEquals(node.version(bytes(key), 0, length(key)), view.version());
            }
            else
            {
                assertEquals(ResultCode.NOT_FOUND, result, context + ": " + key);
            }
        }
        for (int i = 0; i < CrashWriter.INBOXES; i++)
        {
            final String inbox = "inbox-" + i;
            final long[] expected = {1};
            final int rows = node.scan(bytes(inbox), 0, length(inbox), bytes(""), 0, 0, bytes(""), 0, 0, Integer.MAX_VALUE,
                (rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength, rowVersion) ->
                {
                    final String row = rowKey.getStringWithoutLengthAscii(rowKeyOffset, rowKeyLength);
                    assertEquals(CrashWriter.rowKey(expected[0]++), row, context + ": inbox rows have no gap");
                    assertEquals(CrashWriter.value(inbox + "/" + row, rowVersion),
                        value.getStringWithoutLengthAscii(valueOffset, valueLength), context + ": " + inbox + "/" + row);
                    return true;
                });
            assertTrue(ResultCode.OK == rows || ResultCode.NOT_FOUND == rows,
                context + ": scan " + inbox + " " + ResultCode.describe(rows));
        }
        try (BinlogReader reader = node.newBinlogReader())
        {
            reader.toStart();
            while (reader.read((index, record) -> { }, 10_000) > 0)
            {
                assertEquals(BinlogReader.NO_DAMAGE, reader.damagedIndex());
            }
            assertEquals(BinlogReader.NO_DAMAGE, reader.damagedIndex(), context + ": binlog reads back clean");
        }
    }

    private static int countAcks(final String output)
    {
        int count = 0;
        for (int i = output.indexOf("ACK"); i >= 0; i = output.indexOf("ACK", i + 3))
        {
            count++;
        }
        return count;
    }

    private static void collectAcks(final String output, final Map<String, Long> acknowledged)
    {
        for (final String line : output.split("\n", -1))
        {
            if (!line.startsWith("ACK") || !output.contains(line + "\n"))
            {
                continue;
            }
            for (final String item : line.substring(3).trim().split(" "))
            {
                if (!item.isEmpty())
                {
                    final int eq = item.lastIndexOf('=');
                    acknowledged.merge(item.substring(0, eq), Long.parseLong(item.substring(eq + 1)), Math::max);
                }
            }
        }
    }

    private static String tail(final String output)
    {
        return output.length() > 2000 ? output.substring(output.length() - 2000) : output;
    }
}
