package dev.tern.storage.memory;

import java.util.Arrays;

/**
 * A bounded allocator of variable-size blocks inside one {@link NativeMemory}: key entries, table headers, row blocks
 * and block directories live here, so the store keeps no Java object per key or row.
 * <p>
 * Sizes are rounded up to a size class (multiples of 8 bytes up to {@link #MAX_SMALL_SIZE}, powers of two above);
 * freed blocks go to their class's free list and are reused by the next allocation of that class. The rest of the
 * memory is handed out by bumping a pointer. Blocks are never coalesced: memory freed in one class serves only that
 * class (a store that deletes many large tables and then grows keys may report full early).
 * <p>
 * {@link #allocate(long)} returns {@link #NULL} when the class has no free block and the bump space is exhausted: the
 * store turns that into {@code STORE_FULL}. A write checks first, with a reservation, that everything it will
 * allocate fits, so that a mutation accepted into the binlog never fails half-applied.
 * <p>
 * Not thread-safe.
 */
public final class OffHeapArena
{
    /** The offset that means "no block"; offset 0 is never handed out. */
    public static final long NULL = 0;
    public static final int ALIGNMENT = 8;
    public static final int MAX_SMALL_SIZE = 8192;

    private static final int SMALL_CLASSES = MAX_SMALL_SIZE / ALIGNMENT + 1;
    private static final int LARGE_CLASSES = 48;
    private static final int MAX_RESERVATIONS = 8;

    private final NativeMemory memory;
    private final long[] freeHead = new long[SMALL_CLASSES + LARGE_CLASSES];
    private final long[] freeCount = new long[SMALL_CLASSES + LARGE_CLASSES];
    private final int[] reservedClass = new int[MAX_RESERVATIONS];
    private final long[] reservedCount = new long[MAX_RESERVATIONS];
    private int reservations;
    private long bump = ALIGNMENT;
    private long usedBytes;

    /**
     * @param memory the memory to carve; the arena owns every byte of it.
     */
    public OffHeapArena(final NativeMemory memory)
    {
        this.memory = memory;
    }

    public NativeMemory memory()
    {
        return memory;
    }

    /**
     * @param size bytes wanted, at least 1.
     * @return the offset of a block of at least {@code size} bytes (contents undefined), or {@link #NULL} when full.
     */
    public long allocate(final long size)
    {
        final int sizeClass = sizeClass(size);
        final long classSize = classSize(sizeClass);
        final long head = freeHead[sizeClass];
        if (NULL != head)
        {
            freeHead[sizeClass] = memory.getLong(head);
            freeCount[sizeClass]--;
            usedBytes += classSize;
            return head;
        }
        if (bump + classSize > memory.capacity())
        {
            return NULL;
        }
        final long offset = bump;
        bump += classSize;
        usedBytes += classSize;
        return offset;
    }

    /**
     * Return a block to its class's free list.
     *
     * @param offset a block from {@link #allocate(long)}.
     * @param size   the size it was allocated with.
     */
    public void free(final long offset, final long size)
    {
        assert offset >= ALIGNMENT && offset < bump : offset;
        final int sizeClass = sizeClass(size);
        memory.putLong(offset, freeHead[sizeClass]);
        freeHead[sizeClass] = offset;
        freeCount[sizeClass]++;
        usedBytes -= classSize(sizeClass);
    }

    /** Start checking whether a set of allocations will all succeed. */
    public void beginReservation()
    {
        reservations = 0;
    }

    /**
     * Add {@code count} allocations of {@code size} bytes to the reservation being checked.
     */
    public void reserve(final long size, final long count)
    {
        if (count <= 0)
        {
            return;
        }
        final int sizeClass = sizeClass(size);
        for (int i = 0; i < reservations; i++)
        {
            if (reservedClass[i] == sizeClass)
            {
                reservedCount[i] += count;
                return;
            }
        }
        if (reservations == MAX_RESERVATIONS)
        {
            throw new IllegalStateException("more than " + MAX_RESERVATIONS + " size classes in one reservation");
        }
        reservedClass[reservations] = sizeClass;
        reservedCount[reservations] = count;
        reservations++;
    }

    /**
     * @return whether every allocation reserved since {@link #beginReservation()} would succeed now.
     */
    public boolean reservationFits()
    {
        long bumpNeeded = 0;
        for (int i = 0; i < reservations; i++)
        {
            final int sizeClass = reservedClass[i];
            final long fromBump = reservedCount[i] - freeCount[sizeClass];
            if (fromBump > 0)
            {
                bumpNeeded += fromBump * classSize(sizeClass);
            }
        }
        return bumpNeeded <= memory.capacity() - bump;
    }

    /** Forget every allocation: the whole memory is free again. */
    public void reset()
    {
        Arrays.fill(freeHead, NULL);
        Arrays.fill(freeCount, 0);
        bump = ALIGNMENT;
        usedBytes = 0;
    }

    /** @return bytes in allocated blocks (rounded to their classes). */
    public long usedBytes()
    {
        return usedBytes;
    }

    /** @return bytes of the memory, allocated or not. */
    public long capacity()
    {
        return memory.capacity();
    }

    /**
     * @param size bytes wanted.
     * @return the bytes a block of that size really occupies.
     */
    public static long allocationSize(final long size)
    {
        return classSize(sizeClass(size));
    }

    private static int sizeClass(final long size)
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("size=" + size + " must be positive");
        }
        if (size <= MAX_SMALL_SIZE)
        {
            return (int)((size + ALIGNMENT - 1) / ALIGNMENT);
        }
        final int log2 = 64 - Long.numberOfLeadingZeros(size - 1);
        if (log2 >= LARGE_CLASSES)
        {
            throw new IllegalArgumentException("size=" + size + " too large");
        }
        return SMALL_CLASSES + log2;
    }

    private static long classSize(final int sizeClass)
    {
        return sizeClass < SMALL_CLASSES ? (long)sizeClass * ALIGNMENT : 1L << (sizeClass - SMALL_CLASSES);
    }
}
