package dev.tern.storage.table;

import dev.tern.storage.memory.NativeMemory;
import dev.tern.storage.memory.OffHeapArena;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class RowDirectoryTest
{
    private final NativeMemory memory = NativeMemory.allocate(32 * 1024 * 1024, false);
    private final OffHeapArena arena = new OffHeapArena(memory);
    private final RowDirectory rows = new RowDirectory(arena);
    private final long table = rows.create();

    @AfterEach
    void after()
    {
        rows.close();
        memory.close();
    }

    @Test
    void shouldKeepRowsInKeyOrderThroughRandomInsertsAndDeletes()
    {
        final Random random = new Random(7);
        final TreeMap<String, Long> model = new TreeMap<>();
        for (int i = 0; i < 20_000; i++)
        {
            final String key = "row-" + random.nextInt(5000) + "-" + "x".repeat(random.nextInt(200));
            if (random.nextInt(3) == 0)
            {
                final long position = rows.locate(table, bytes(key), 0, key.length());
                assertEquals(model.containsKey(key), position >= 0, key);
                if (position >= 0)
                {
                    rows.removeAt(table, position);
                    model.remove(key);
                }
            }
            else
            {
                assertTrue(rows.ensureBlockCapacity(table, 1));
                final long row = rows.put(table, bytes(key), 0, key.length());
                assertEquals(model.containsKey(key), rows.putFoundExisting(), key);
                rows.rowVersion(row, i);
                model.put(key, (long)i);
            }
        }
        assertEquals(model.size(), rows.rowCount(table));
        assertEquals(new ArrayList<>(model.keySet()), keys(rows.first(table)));
        for (final var e : model.entrySet())
        {
            assertEquals(e.getValue(), rows.rowVersion(rows.find(table, bytes(e.getKey()), 0, e.getKey().length())));
        }
    }

    @Test
    void shouldFillBlocksWhenRowsAreAppendedInOrder()
    {
        for (int i = 0; i < 10_000; i++)
        {
            final String key = String.format("%08d", i);
            assertTrue(rows.compareWithLast(table, bytes(key), 0, key.length()) > 0);
            assertTrue(rows.ensureBlockCapacity(table, 1));
            rows.put(table, bytes(key), 0, key.length());
        }
        final int perBlock = (RowDirectory.BLOCK_SIZE - 8) / (RowDirectory.recordSize(8) + 2);
        assertEquals((10_000 + perBlock - 1) / perBlock, rows.blockCount(table));
    }

    @Test
    void shouldSeekToTheFirstRowAtOrAfterAKey()
    {
        for (final String key : new String[]{"b", "d", "f"})
        {
            rows.ensureBlockCapacity(table, 1);
            rows.put(table, bytes(key), 0, 1);
        }
        assertEquals(List.of("d", "f"), keys(rows.seek(table, bytes("c"), 0, 1)));
        assertEquals(List.of("d", "f"), keys(rows.seek(table, bytes("d"), 0, 1)));
        assertEquals(List.of("b", "d", "f"), keys(rows.seek(table, bytes("a"), 0, 1)));
        assertEquals(RowDirectory.END, rows.seek(table, bytes("g"), 0, 1));
    }

    @Test
    void shouldReturnTheSameRowForAnExistingKey()
    {
        rows.ensureBlockCapacity(table, 1);
        final long first = rows.put(table, bytes("k"), 0, 1);
        final long second = rows.put(table, bytes("k"), 0, 1);
        assertEquals(first, second);
        assertTrue(rows.putFoundExisting());
        assertEquals(1, rows.rowCount(table));
    }

    @Test
    void shouldGiveBackItsMemoryWhenFreed()
    {
        final long before = arena.usedBytes() - OffHeapArena.allocationSize(RowDirectory.HEADER_SIZE);
        for (int i = 0; i < 1000; i++)
        {
            rows.ensureBlockCapacity(table, 1);
            final String key = "key-" + i;
            rows.put(table, bytes(key), 0, key.length());
        }
        rows.free(table);
        assertEquals(before, arena.usedBytes());
    }

    private List<String> keys(final long from)
    {
        final List<String> keys = new ArrayList<>();
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        for (long position = from; RowDirectory.END != position; position = rows.next(table, position))
        {
            final long row = rows.recordAt(table, position);
            memory.wrap(view, row + RowDirectory.ROW_KEY_OFFSET, rows.rowKeyLength(row));
            keys.add(view.getStringWithoutLengthAscii(0, view.capacity()));
        }
        return keys;
    }

    private static DirectBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
