package dev.tern.storage.memory;

/**
 * Layout of a value reference: where a stored value lives and how to find it in the value cache. Key entries and
 * table rows embed one, so a value is never held on the Java heap.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  location: binlog index, or 1|generation(15)|offset(48) of a  |
 *  |  snapshot frame, or NO_LOCATION (64 bits)                     |
 *  +---------------------------------------------------------------+
 *  |  stamp: unique per stored value; the cache item must carry    |
 *  |  the same stamp to be a hit (64 bits)                         |
 *  +---------------------------------------------------------------+
 *  |  value length                                                 |
 *  +---------------------------------------------------------------+
 *  |  cache reference (0: not cached)                              |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ValueRef
{
    public static final int LOCATION_OFFSET = 0;
    public static final int STAMP_OFFSET = 8;
    public static final int LENGTH_OFFSET = 16;
    public static final int CACHE_REF_OFFSET = 20;
    public static final int LENGTH = 24;

    /** No durable copy: never stored for a live value, used for metadata-only keys and tombstones. */
    public static final long NO_LOCATION = Long.MAX_VALUE;

    private static final long SNAPSHOT_BIT = 1L << 63;
    private static final int GENERATION_SHIFT = 48;
    private static final long GENERATION_MASK = 0x7FFF;
    private static final long OFFSET_MASK = (1L << GENERATION_SHIFT) - 1;

    private ValueRef()
    {
    }

    public static void set(final NativeMemory memory, final long ref, final long location, final long stamp, final int length)
    {
        memory.putLong(ref + LOCATION_OFFSET, location);
        memory.putLong(ref + STAMP_OFFSET, stamp);
        memory.putInt(ref + LENGTH_OFFSET, length);
        memory.putInt(ref + CACHE_REF_OFFSET, 0);
    }

    public static void clear(final NativeMemory memory, final long ref)
    {
        set(memory, ref, NO_LOCATION, 0, 0);
    }

    public static long location(final NativeMemory memory, final long ref)
    {
        return memory.getLong(ref + LOCATION_OFFSET);
    }

    public static void location(final NativeMemory memory, final long ref, final long location)
    {
        memory.putLong(ref + LOCATION_OFFSET, location);
    }

    public static long stamp(final NativeMemory memory, final long ref)
    {
        return memory.getLong(ref + STAMP_OFFSET);
    }

    public static int length(final NativeMemory memory, final long ref)
    {
        return memory.getInt(ref + LENGTH_OFFSET);
    }

    public static int cacheRef(final NativeMemory memory, final long ref)
    {
        return memory.getInt(ref + CACHE_REF_OFFSET);
    }

    public static void cacheRef(final NativeMemory memory, final long ref, final int cacheRef)
    {
        memory.putInt(ref + CACHE_REF_OFFSET, cacheRef);
    }

    public static boolean isSnapshotLocation(final long location)
    {
        return location < 0;
    }

    public static long snapshotLocation(final int generation, final long frameOffset)
    {
        return SNAPSHOT_BIT | ((generation & GENERATION_MASK) << GENERATION_SHIFT) | (frameOffset & OFFSET_MASK);
    }

    /** @return the low 15 bits of the generation of the snapshot holding the value. */
    public static int snapshotGeneration(final long location)
    {
        return (int)((location >>> GENERATION_SHIFT) & GENERATION_MASK);
    }

    public static long snapshotOffset(final long location)
    {
        return location & OFFSET_MASK;
    }
}
