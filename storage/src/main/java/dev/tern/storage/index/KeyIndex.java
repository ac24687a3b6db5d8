package dev.tern.storage.index;

import dev.tern.storage.memory.NativeMemory;
import dev.tern.storage.memory.OffHeapArena;
import dev.tern.storage.memory.ValueRef;
import org.agrona.DirectBuffer;

/**
 * The key index: an open-addressing hash table in native memory mapping each key to its entry in the arena. Keys are
 * never removed (a delete leaves a tombstone that keeps the key's version), so linear probing needs no deletion logic
 * and entries never move: an entry's offset is a stable handle for the life of the store.
 * <p>
 * Slots are 8 bytes: a 16-bit tag from the hash (to skip most key comparisons) and the 48-bit arena offset of the
 * entry; 0 is an empty slot. At most {@link #maxKeys()} keys fit (75% load), then {@link #insert} returns
 * {@link OffHeapArena#NULL}.
 * <p>
 * An entry:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  version (64 bits)                                            |
 *  +---------------------------------------------------------------+
 *  |  value reference (24 bytes, see ValueRef); a table's entry    |
 *  |  keeps the arena offset of its row directory in the first 8   |
 *  +---------------------------------------------------------------+
 *  |  key length (16)              |  kind (8)     |  reserved     |
 *  +---------------------------------------------------------------+
 *  |  32 bits of the key's hash                                    |
 *  +---------------------------------------------------------------+
 *  |  metadata word 0, metadata word 1 (only when enabled)         |
 *  +---------------------------------------------------------------+
 *  |  key bytes, padded to 8 ...                                   |
 *  +---------------------------------------------------------------+
 * </pre>
 * Not thread-safe.
 */
public final class KeyIndex implements AutoCloseable
{
    /** No value: a key that only holds metadata. */
    public static final byte KIND_NONE = 0;
    public static final byte KIND_VALUE = 1;
    public static final byte KIND_TOMBSTONE = 2;
    public static final byte KIND_TABLE = 3;

    public static final int VERSION_OFFSET = 0;
    public static final int VALUE_REF_OFFSET = 8;
    public static final int TABLE_OFFSET = VALUE_REF_OFFSET;
    public static final int KEY_LENGTH_OFFSET = 32;
    public static final int KIND_OFFSET = 34;
    public static final int HASH_OFFSET = 36;
    public static final int METADATA_OFFSET = 40;
    public static final int METADATA_WORDS = 4;

    private static final long OFFSET_MASK = (1L << 48) - 1;

    private final NativeMemory slots;
    private final OffHeapArena arena;
    private final NativeMemory memory;
    private final long mask;
    private final long maxKeys;
    private final int keyOffset;
    private long size;

    /**
     * @param maxKeys          keys the index must hold; slots are the next power of two of 4/3 of it.
     * @param arena            where entries go.
     * @param metadataEnabled  whether entries carry the two metadata words.
     */
    public KeyIndex(final long maxKeys, final OffHeapArena arena, final boolean metadataEnabled)
    {
        if (maxKeys < 1 || maxKeys > 1L << 40)
        {
            throw new IllegalArgumentException("maxKeys=" + maxKeys + " must be in [1, 2^40]");
        }
        final long capacity = Math.max(16, Long.highestOneBit(maxKeys * 4 / 3 + 1) << 1);
        this.slots = NativeMemory.allocate(capacity * 8, true);
        this.arena = arena;
        this.memory = arena.memory();
        this.mask = capacity - 1;
        this.maxKeys = maxKeys;
        this.keyOffset = METADATA_OFFSET + (metadataEnabled ? METADATA_WORDS * 8 : 0);
    }

    /**
     * @param key   buffer holding the key.
     * @param index where the key starts.
     * @param length key length, 1 to 1024 (checked by the caller).
     * @param hash  {@link NativeMemory#hash(DirectBuffer, int, int)} of the key.
     * @return the entry's arena offset, or {@link OffHeapArena#NULL} when the key is not in the index.
     */
    public long find(final DirectBuffer key, final int index, final int length, final long hash)
    {
        final long tag = tag(hash);
        final int hash32 = (int)hash;
        long slot = hash & mask;
        while (true)
        {
            final long value = slots.getLong(slot << 3);
            if (0 == value)
            {
                return OffHeapArena.NULL;
            }
            if ((value & ~OFFSET_MASK) == tag)
            {
                final long entry = value & OFFSET_MASK;
                if (memory.getInt(entry + HASH_OFFSET) == hash32 &&
                    memory.getShortUnsigned(entry + KEY_LENGTH_OFFSET) == length &&
                    memory.equalsBytes(entry + keyOffset, key, index, length))
                {
                    return entry;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Add a key that {@link #find} did not find, with version 0 and no value.
     *
     * @return the new entry's offset, or {@link OffHeapArena#NULL} when the index or the arena is full.
     */
    public long insert(final DirectBuffer key, final int index, final int length, final long hash)
    {
        if (size >= maxKeys)
        {
            return OffHeapArena.NULL;
        }
        final long entry = arena.allocate(entrySize(length));
        if (OffHeapArena.NULL == entry)
        {
            return OffHeapArena.NULL;
        }
        memory.putLong(entry + VERSION_OFFSET, 0);
        ValueRef.clear(memory, entry + VALUE_REF_OFFSET);
        memory.putShort(entry + KEY_LENGTH_OFFSET, length);
        memory.putByte(entry + KIND_OFFSET, KIND_NONE);
        memory.putByte(entry + KIND_OFFSET + 1, (byte)0);
        memory.putInt(entry + HASH_OFFSET, (int)hash);
        for (int i = METADATA_OFFSET; i < keyOffset; i += 8)
        {
            memory.putLong(entry + i, 0);
        }
        memory.copyFrom(entry + keyOffset, key, index, length);

        long slot = hash & mask;
        while (0 != slots.getLong(slot << 3))
        {
            slot = (slot + 1) & mask;
        }
        slots.putLong(slot << 3, tag(hash) | entry);
        size++;
        return entry;
    }

    /** @return whether one more key fits in the slots (the arena is checked separately). */
    public boolean hasRoom()
    {
        return size < maxKeys;
    }

    /**
     * @param keyLength a key length.
     * @return bytes an entry for such a key takes in the arena.
     */
    public int entrySize(final int keyLength)
    {
        return keyOffset + keyLength;
    }

    /** @return keys in the index, including tombstones and metadata-only keys. */
    public long size()
    {
        return size;
    }

    public long maxKeys()
    {
        return maxKeys;
    }

    /** @return number of slots, for iterating with {@link #entryAt(long)}. */
    public long slotCount()
    {
        return mask + 1;
    }

    /**
     * @param slot 0 to {@link #slotCount()} - 1.
     * @return the entry in that slot, or {@link OffHeapArena#NULL}. A key inserted during an iteration may land
     * before or after the cursor; entries never move.
     */
    public long entryAt(final long slot)
    {
        return slots.getLong(slot << 3) & OFFSET_MASK;
    }

    /** @return bytes of native memory the slots take. */
    public long slotBytes()
    {
        return slots.capacity();
    }

    public long version(final long entry)
    {
        return memory.getLong(entry + VERSION_OFFSET);
    }

    public void version(final long entry, final long version)
    {
        memory.putLong(entry + VERSION_OFFSET, version);
    }

    public byte kind(final long entry)
    {
        return memory.getByte(entry + KIND_OFFSET);
    }

    public void kind(final long entry, final byte kind)
    {
        memory.putByte(entry + KIND_OFFSET, kind);
    }

    public int keyLength(final long entry)
    {
        return memory.getShortUnsigned(entry + KEY_LENGTH_OFFSET);
    }

    /** @return the arena offset of the entry's key bytes. */
    public long keyOffset(final long entry)
    {
        return entry + keyOffset;
    }

    public boolean metadataEnabled()
    {
        return keyOffset > METADATA_OFFSET;
    }

    public long metadata(final long entry, final int word)
    {
        return memory.getLong(entry + METADATA_OFFSET + word * 8L);
    }

    public void metadata(final long entry, final int word, final long value)
    {
        memory.putLong(entry + METADATA_OFFSET + word * 8L, value);
    }

    /** @return the arena offset of the row directory of a table entry. */
    public long table(final long entry)
    {
        return memory.getLong(entry + TABLE_OFFSET);
    }

    public void table(final long entry, final long table)
    {
        memory.putLong(entry + TABLE_OFFSET, table);
    }

    /** Forget every key; the caller resets the arena. */
    public void clear()
    {
        slots.setMemory(0, slots.capacity(), (byte)0);
        size = 0;
    }

    public void close()
    {
        slots.close();
    }

    private static long tag(final long hash)
    {
        return hash & ~OFFSET_MASK;
    }
}
