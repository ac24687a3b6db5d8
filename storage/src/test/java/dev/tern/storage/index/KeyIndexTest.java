package dev.tern.storage.index;

import dev.tern.storage.memory.NativeMemory;
import dev.tern.storage.memory.OffHeapArena;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class KeyIndexTest
{
    private final NativeMemory memory = NativeMemory.allocate(4 * 1024 * 1024, false);
    private final OffHeapArena arena = new OffHeapArena(memory);
    private KeyIndex index = new KeyIndex(20_000, arena, true);

    @AfterEach
    void after()
    {
        index.close();
        memory.close();
    }

    @Test
    void shouldFindEveryInsertedKeyAtAStableEntry()
    {
        final Map<String, Long> entries = new HashMap<>();
        for (int i = 0; i < 20_000; i++)
        {
            final String key = "key-" + i;
            assertEquals(OffHeapArena.NULL, find(key));
            final long entry = index.insert(bytes(key), 0, key.length(), NativeMemory.hash(bytes(key), 0, key.length()));
            assertNotEquals(OffHeapArena.NULL, entry);
            index.version(entry, i);
            entries.put(key, entry);
        }
        for (final Map.Entry<String, Long> e : entries.entrySet())
        {
            assertEquals(e.getValue(), find(e.getKey()));
        }
        assertEquals(20_000, index.size());
    }

    @Test
    void shouldStartEntriesAtVersionZeroWithNoValueAndZeroMetadata()
    {
        final long entry = insert("k");
        assertEquals(0, index.version(entry));
        assertEquals(KeyIndex.KIND_NONE, index.kind(entry));
        assertEquals(0, index.metadata(entry, 0));
        assertEquals(0, index.metadata(entry, 1));
    }

    @Test
    void shouldKeepTheKeyBytes()
    {
        final long entry = insert("hello");
        assertEquals(5, index.keyLength(entry));
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        memory.wrap(view, index.keyOffset(entry), 5);
        assertEquals("hello", view.getStringWithoutLengthAscii(0, 5));
    }

    @Test
    void shouldRefuseKeysBeyondItsCapacity()
    {
        index.close();
        index = new KeyIndex(3, arena, false);
        insert("a");
        insert("b");
        insert("c");
        assertFalse(index.hasRoom());
        assertEquals(OffHeapArena.NULL, index.insert(bytes("d"), 0, 1, NativeMemory.hash(bytes("d"), 0, 1)));
    }

    @Test
    void shouldTellKeysWithTheSameHashApart()
    {
        final long a = index.insert(bytes("a"), 0, 1, 42);
        final long b = index.insert(bytes("b"), 0, 1, 42);
        assertEquals(a, index.find(bytes("a"), 0, 1, 42));
        assertEquals(b, index.find(bytes("b"), 0, 1, 42));
    }

    @Test
    void shouldForgetEverythingWhenCleared()
    {
        insert("a");
        index.clear();
        arena.reset();
        assertEquals(OffHeapArena.NULL, find("a"));
        assertEquals(0, index.size());
    }

    private long insert(final String key)
    {
        return index.insert(bytes(key), 0, key.length(), NativeMemory.hash(bytes(key), 0, key.length()));
    }

    private long find(final String key)
    {
        return index.find(bytes(key), 0, key.length(), NativeMemory.hash(bytes(key), 0, key.length()));
    }

    private static DirectBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
