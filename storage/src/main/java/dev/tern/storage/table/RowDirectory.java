package dev.tern.storage.table;

import dev.tern.storage.memory.NativeMemory;
import dev.tern.storage.memory.OffHeapArena;
import org.agrona.DirectBuffer;

/**
 * The ordered row directories of Key-Table keys, in the arena: each table is a header and an ordered array of
 * fixed-size row blocks; each block is a slotted page whose slot array keeps its rows in row-key order (unsigned
 * lexicographic bytes). A lookup is a binary search over blocks by first row, then over the block's slots. An
 * insert shifts at most one block's slots; a full block splits in two, except at the end of the table where a new
 * block is started instead, so appending rows in order (an inbox keyed by sequence number) is O(1) and fills blocks.
 * <pre>
 *  table header: | row count (8) | arena offset of the block array (8) | block count (4) | capacity (4) |
 *
 *  block (BLOCK_SIZE bytes):
 *  +-------+-----------+---------+----------+------------------------+-------------------------------+
 *  | count | heapStart | garbage | reserved | slots: record offsets  |  free  ...  | records (heap) |
 *  |  (2)  |    (2)    |   (2)   |   (2)    | (2 each, in key order) |             | grow downwards |
 *  +-------+-----------+---------+----------+------------------------+-------------------------------+
 *
 *  row record: | row version (8) | value reference (24) | row key length (2) | row key ... | pad to 8 |
 * </pre>
 * Positions handed out for scans ({@link #seek}, {@link #next}) pack the block index and the slot; they stay valid
 * until the table changes. Record offsets returned by {@link #put} stay valid until the table's next change.
 * <p>
 * Not thread-safe.
 */
public final class RowDirectory implements AutoCloseable
{
    public static final int BLOCK_SIZE = 4096;
    public static final int HEADER_SIZE = 24;
    public static final int ROW_VERSION_OFFSET = 0;
    public static final int ROW_VALUE_REF_OFFSET = 8;
    public static final int ROW_KEY_LENGTH_OFFSET = 32;
    public static final int ROW_KEY_OFFSET = 34;
    /** Position returned when no row is at or after the sought key. */
    public static final long END = -1;

    private static final int ROW_COUNT_OFFSET = 0;
    private static final int BLOCKS_OFFSET = 8;
    private static final int BLOCK_COUNT_OFFSET = 16;
    private static final int BLOCK_CAPACITY_OFFSET = 20;

    private static final int COUNT_OFFSET = 0;
    private static final int HEAP_START_OFFSET = 2;
    private static final int GARBAGE_OFFSET = 4;
    private static final int SLOTS_OFFSET = 8;

    private final OffHeapArena arena;
    private final NativeMemory memory;
    private final NativeMemory scratch;
    private boolean putFoundExisting;

    public RowDirectory(final OffHeapArena arena)
    {
        this.arena = arena;
        this.memory = arena.memory();
        this.scratch = NativeMemory.allocate(BLOCK_SIZE, true);
    }

    /**
     * @param rowKeyLength a row key length.
     * @return the bytes a row record takes inside a block.
     */
    public static int recordSize(final int rowKeyLength)
    {
        return (ROW_KEY_OFFSET + rowKeyLength + 7) & ~7;
    }

    /**
     * @param blocks a block count.
     * @return the bytes of a block array that holds them.
     */
    public static long blockArraySize(final long blocks)
    {
        return Math.max(8, Long.highestOneBit(Math.max(1, blocks) - 1) << 1) * 8;
    }

    /**
     * @return a new empty table's header offset, or {@link OffHeapArena#NULL} when the arena is full.
     */
    public long create()
    {
        final long table = arena.allocate(HEADER_SIZE);
        if (OffHeapArena.NULL != table)
        {
            memory.putLong(table + ROW_COUNT_OFFSET, 0);
            memory.putLong(table + BLOCKS_OFFSET, OffHeapArena.NULL);
            memory.putInt(table + BLOCK_COUNT_OFFSET, 0);
            memory.putInt(table + BLOCK_CAPACITY_OFFSET, 0);
        }
        return table;
    }

    /** Free a table's blocks, block array and header; the caller has dropped what its rows referenced. */
    public void free(final long table)
    {
        final int blockCount = blockCount(table);
        final long blocks = memory.getLong(table + BLOCKS_OFFSET);
        for (int i = 0; i < blockCount; i++)
        {
            arena.free(memory.getLong(blocks + i * 8L), BLOCK_SIZE);
        }
        if (OffHeapArena.NULL != blocks)
        {
            arena.free(blocks, memory.getInt(table + BLOCK_CAPACITY_OFFSET) * 8L);
        }
        arena.free(table, HEADER_SIZE);
    }

    public long rowCount(final long table)
    {
        return memory.getLong(table + ROW_COUNT_OFFSET);
    }

    public int blockCount(final long table)
    {
        return memory.getInt(table + BLOCK_COUNT_OFFSET);
    }

    /**
     * Make room in the block array for {@code extraBlocks} more blocks, so that the inserts that follow cannot fail
     * on it. The caller has reserved {@link #blockArraySize(long)} of the new count.
     *
     * @return false when the arena is full.
     */
    public boolean ensureBlockCapacity(final long table, final int extraBlocks)
    {
        final int blockCount = blockCount(table);
        final int capacity = memory.getInt(table + BLOCK_CAPACITY_OFFSET);
        final long needed = (long)blockCount + extraBlocks;
        if (needed <= capacity)
        {
            return true;
        }
        final long newSize = blockArraySize(needed);
        final long newBlocks = arena.allocate(newSize);
        if (OffHeapArena.NULL == newBlocks)
        {
            return false;
        }
        final long oldBlocks = memory.getLong(table + BLOCKS_OFFSET);
        if (OffHeapArena.NULL != oldBlocks)
        {
            memory.copyWithin(oldBlocks, newBlocks, blockCount * 8L);
            arena.free(oldBlocks, capacity * 8L);
        }
        memory.putLong(table + BLOCKS_OFFSET, newBlocks);
        memory.putInt(table + BLOCK_CAPACITY_OFFSET, (int)(newSize / 8));
        return true;
    }

    /**
     * Find a row.
     *
     * @return the row's record offset, or {@link OffHeapArena#NULL}.
     */
    public long find(final long table, final DirectBuffer rowKey, final int index, final int length)
    {
        final long position = locate(table, rowKey, index, length);
        return position >= 0 ? recordAt(table, position) : OffHeapArena.NULL;
    }

    /**
     * Insert a row, or find the existing row with that key. The caller then writes the row version and value
     * reference at the returned record (and, for an existing row, drops what the old reference held first: see
     * {@link #putFoundExisting()}). Needs up to one free block and one free block-array slot: see
     * {@link #ensureBlockCapacity(long, int)}.
     *
     * @return the row's record offset, or {@link OffHeapArena#NULL} when the arena is full.
     */
    public long put(final long table, final DirectBuffer rowKey, final int index, final int length)
    {
        final long position = locate(table, rowKey, index, length);
        if (position >= 0)
        {
            putFoundExisting = true;
            return recordAt(table, position);
        }
        putFoundExisting = false;
        if (0 == blockCount(table))
        {
            if (!insertBlock(table, 0))
            {
                return OffHeapArena.NULL;
            }
        }
        long insertAt = -(position + 1);
        final int recordSize = recordSize(length);
        while (true)
        {
            final int blockIndex = blockIndex(insertAt);
            final int slot = slot(insertAt);
            final long block = block(table, blockIndex);
            if (room(block) < recordSize + 2 && room(block) + garbage(block) >= recordSize + 2)
            {
                compact(block);
            }
            if (room(block) >= recordSize + 2)
            {
                final long record = insertInBlock(block, slot, recordSize, rowKey, index, length);
                memory.putLong(table + ROW_COUNT_OFFSET, rowCount(table) + 1);
                return record;
            }
            final int count = count(block);
            if (blockIndex == blockCount(table) - 1 && slot == count)
            {
                if (!insertBlock(table, blockIndex + 1))
                {
                    return OffHeapArena.NULL;
                }
                insertAt = position(blockIndex + 1, 0);
            }
            else
            {
                final int moved = split(table, blockIndex);
                if (moved < 0)
                {
                    return OffHeapArena.NULL;
                }
                final int kept = count - moved;
                insertAt = slot <= kept ? position(blockIndex, slot) : position(blockIndex + 1, slot - kept);
            }
        }
    }

    /** @return whether the last {@link #put} found the row already there. */
    public boolean putFoundExisting()
    {
        return putFoundExisting;
    }

    /**
     * Find a row's position.
     *
     * @return the row's position (>= 0), or -(insertion position + 1) when absent.
     */
    public long locate(final long table, final DirectBuffer rowKey, final int index, final int length)
    {
        final int blockCount = blockCount(table);
        if (0 == blockCount)
        {
            return -1;
        }
        final long blocks = memory.getLong(table + BLOCKS_OFFSET);
        int low = 0;
        int high = blockCount - 1;
        while (low < high)
        {
            final int mid = (low + high + 1) >>> 1;
            if (compareRecord(firstRecord(memory.getLong(blocks + mid * 8L)), rowKey, index, length) <= 0)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        final long block = memory.getLong(blocks + low * 8L);
        int slotLow = 0;
        int slotHigh = count(block) - 1;
        while (slotLow <= slotHigh)
        {
            final int mid = (slotLow + slotHigh) >>> 1;
            final int cmp = compareRecord(block + slotOffset(block, mid), rowKey, index, length);
            if (cmp < 0)
            {
                slotLow = mid + 1;
            }
            else if (cmp > 0)
            {
                slotHigh = mid - 1;
            }
            else
            {
                return position(low, mid);
            }
        }
        return -(position(low, slotLow) + 1);
    }

    /**
     * Remove the row at a position from {@link #locate}; the caller has read what it needs from the record.
     */
    public void removeAt(final long table, final long position)
    {
        final int blockIndex = blockIndex(position);
        final int slot = slot(position);
        final long block = block(table, blockIndex);
        final int count = count(block);
        final int record = slotOffset(block, slot);
        final int size = recordSize(memory.getShortUnsigned(block + record + ROW_KEY_LENGTH_OFFSET));
        memory.copyWithin(block + SLOTS_OFFSET + (slot + 1) * 2L, block + SLOTS_OFFSET + slot * 2L, (count - slot - 1) * 2L);
        memory.putShort(block + COUNT_OFFSET, count - 1);
        memory.putShort(block + GARBAGE_OFFSET, garbage(block) + size);
        memory.putLong(table + ROW_COUNT_OFFSET, rowCount(table) - 1);
        if (1 == count)
        {
            removeBlock(table, blockIndex);
        }
    }

    /**
     * @return the position of the first row whose key is at or after the given key, or {@link #END}.
     */
    public long seek(final long table, final DirectBuffer rowKey, final int index, final int length)
    {
        final long position = locate(table, rowKey, index, length);
        if (position >= 0)
        {
            return position;
        }
        final long insertAt = -(position + 1);
        if (0 == blockCount(table))
        {
            return END;
        }
        final long block = block(table, blockIndex(insertAt));
        return slot(insertAt) < count(block) ? insertAt : nextBlockStart(table, blockIndex(insertAt));
    }

    /**
     * @return the position of the first row, or {@link #END} when the table is empty.
     */
    public long first(final long table)
    {
        return blockCount(table) > 0 ? position(0, 0) : END;
    }

    /**
     * @return the position after a row's, or {@link #END}.
     */
    public long next(final long table, final long position)
    {
        final int blockIndex = blockIndex(position);
        final int slot = slot(position) + 1;
        return slot < count(block(table, blockIndex)) ? position(blockIndex, slot) : nextBlockStart(table, blockIndex);
    }

    /**
     * @return the record offset of the row at a position.
     */
    public long recordAt(final long table, final long position)
    {
        final long block = block(table, blockIndex(position));
        return block + slotOffset(block, slot(position));
    }

    /**
     * @return negative, zero or positive as the key sorts before, equal to or after the table's last row; positive
     * when the table is empty.
     */
    public int compareWithLast(final long table, final DirectBuffer rowKey, final int index, final int length)
    {
        final int blockCount = blockCount(table);
        if (0 == blockCount)
        {
            return 1;
        }
        final long block = block(table, blockCount - 1);
        return -compareRecord(block + slotOffset(block, count(block) - 1), rowKey, index, length);
    }

    public long rowVersion(final long record)
    {
        return memory.getLong(record + ROW_VERSION_OFFSET);
    }

    public void rowVersion(final long record, final long version)
    {
        memory.putLong(record + ROW_VERSION_OFFSET, version);
    }

    public int rowKeyLength(final long record)
    {
        return memory.getShortUnsigned(record + ROW_KEY_LENGTH_OFFSET);
    }

    public void close()
    {
        scratch.close();
    }

    private int compareRecord(final long record, final DirectBuffer rowKey, final int index, final int length)
    {
        return memory.compare(record + ROW_KEY_OFFSET, memory.getShortUnsigned(record + ROW_KEY_LENGTH_OFFSET),
            rowKey, index, length);
    }

    private long insertInBlock(
        final long block, final int slot, final int recordSize, final DirectBuffer rowKey, final int index, final int length)
    {
        final int count = count(block);
        final int heapStart = heapStart(block) - recordSize;
        final long record = block + heapStart;
        memory.putShort(record + ROW_KEY_LENGTH_OFFSET, length);
        memory.copyFrom(record + ROW_KEY_OFFSET, rowKey, index, length);
        memory.copyWithin(block + SLOTS_OFFSET + slot * 2L, block + SLOTS_OFFSET + (slot + 1) * 2L, (count - slot) * 2L);
        memory.putShort(block + SLOTS_OFFSET + slot * 2L, heapStart);
        memory.putShort(block + COUNT_OFFSET, count + 1);
        memory.putShort(block + HEAP_START_OFFSET, heapStart);
        return record;
    }

    /**
     * Move the upper half (by bytes) of a block's rows into a new block inserted after it.
     *
     * @return rows moved, or -1 when the arena is full.
     */
    private int split(final long table, final int blockIndex)
    {
        if (!insertBlock(table, blockIndex + 1))
        {
            return -1;
        }
        final long block = block(table, blockIndex);
        final long newBlock = block(table, blockIndex + 1);
        final int count = count(block);
        final int used = BLOCK_SIZE - heapStart(block) - garbage(block);
        int keep = 0;
        for (int bytes = 0; keep < count - 1; keep++)
        {
            bytes += recordSize(memory.getShortUnsigned(block + slotOffset(block, keep) + ROW_KEY_LENGTH_OFFSET));
            if (bytes * 2 >= used)
            {
                keep++;
                break;
            }
        }
        keep = Math.max(1, keep);
        for (int slot = keep; slot < count; slot++)
        {
            final long record = block + slotOffset(block, slot);
            final int size = recordSize(memory.getShortUnsigned(record + ROW_KEY_LENGTH_OFFSET));
            final int newCount = count(newBlock);
            final int heapStart = heapStart(newBlock) - size;
            memory.copyWithin(record, newBlock + heapStart, size);
            memory.putShort(newBlock + SLOTS_OFFSET + newCount * 2L, heapStart);
            memory.putShort(newBlock + COUNT_OFFSET, newCount + 1);
            memory.putShort(newBlock + HEAP_START_OFFSET, heapStart);
        }
        memory.putShort(block + COUNT_OFFSET, keep);
        compact(block);
        return count - keep;
    }

    /** Rewrite a block's live records contiguously at the end of the block, dropping garbage. */
    private void compact(final long block)
    {
        final int count = count(block);
        scratch.setMemory(0, SLOTS_OFFSET, (byte)0);
        int heapStart = BLOCK_SIZE;
        for (int slot = 0; slot < count; slot++)
        {
            final long record = block + slotOffset(block, slot);
            final int size = recordSize(memory.getShortUnsigned(record + ROW_KEY_LENGTH_OFFSET));
            heapStart -= size;
            memory.copyTo(record, scratch, heapStart, size);
            scratch.putShort(SLOTS_OFFSET + slot * 2L, heapStart);
        }
        scratch.copyTo(SLOTS_OFFSET, memory, block + SLOTS_OFFSET, count * 2L);
        scratch.copyTo(heapStart, memory, block + heapStart, BLOCK_SIZE - heapStart);
        memory.putShort(block + HEAP_START_OFFSET, heapStart);
        memory.putShort(block + GARBAGE_OFFSET, 0);
    }

    private boolean insertBlock(final long table, final int blockIndex)
    {
        if (!ensureBlockCapacity(table, 1))
        {
            return false;
        }
        final long block = arena.allocate(BLOCK_SIZE);
        if (OffHeapArena.NULL == block)
        {
            return false;
        }
        memory.putShort(block + COUNT_OFFSET, 0);
        memory.putShort(block + HEAP_START_OFFSET, BLOCK_SIZE);
        memory.putShort(block + GARBAGE_OFFSET, 0);
        memory.putShort(block + GARBAGE_OFFSET + 2, 0);
        final long blocks = memory.getLong(table + BLOCKS_OFFSET);
        final int blockCount = blockCount(table);
        memory.copyWithin(blocks + blockIndex * 8L, blocks + (blockIndex + 1) * 8L, (blockCount - blockIndex) * 8L);
        memory.putLong(blocks + blockIndex * 8L, block);
        memory.putInt(table + BLOCK_COUNT_OFFSET, blockCount + 1);
        return true;
    }

    private void removeBlock(final long table, final int blockIndex)
    {
        final long blocks = memory.getLong(table + BLOCKS_OFFSET);
        final int blockCount = blockCount(table);
        arena.free(memory.getLong(blocks + blockIndex * 8L), BLOCK_SIZE);
        memory.copyWithin(blocks + (blockIndex + 1) * 8L, blocks + blockIndex * 8L, (blockCount - blockIndex - 1) * 8L);
        memory.putInt(table + BLOCK_COUNT_OFFSET, blockCount - 1);
    }

    private long nextBlockStart(final long table, final int blockIndex)
    {
        return blockIndex + 1 < blockCount(table) ? position(blockIndex + 1, 0) : END;
    }

    private long block(final long table, final int blockIndex)
    {
        return memory.getLong(memory.getLong(table + BLOCKS_OFFSET) + blockIndex * 8L);
    }

    private long firstRecord(final long block)
    {
        return block + slotOffset(block, 0);
    }

    private int slotOffset(final long block, final int slot)
    {
        return memory.getShortUnsigned(block + SLOTS_OFFSET + slot * 2L);
    }

    private int count(final long block)
    {
        return memory.getShortUnsigned(block + COUNT_OFFSET);
    }

    private int heapStart(final long block)
    {
        return memory.getShortUnsigned(block + HEAP_START_OFFSET);
    }

    private int garbage(final long block)
    {
        return memory.getShortUnsigned(block + GARBAGE_OFFSET);
    }

    private int room(final long block)
    {
        return heapStart(block) - SLOTS_OFFSET - count(block) * 2;
    }

    private static long position(final int blockIndex, final int slot)
    {
        return ((long)blockIndex << 16) | slot;
    }

    private static int blockIndex(final long position)
    {
        return (int)(position >>> 16);
    }

    private static int slot(final long position)
    {
        return (int)(position & 0xFFFF);
    }
}
