package dev.tern.storage.cache;

import dev.tern.storage.memory.NativeMemory;

import java.util.Arrays;

/**
 * The store's built-in cache: a bounded off-heap cache of values, a slab allocator with CLOCK eviction per size class.
 * <p>
 * The memory is cut into {@link #PAGE_SIZE} pages; a page is given to one size class (item sizes in 16-byte steps
 * up to 1 KiB, then growing by about 12.5%) the first time that class needs room, and is cut into items of that
 * size. When a class has no free item and no page is left, its CLOCK hand sweeps its items: an item used since the
 * last sweep gets a second chance, the first one not used is evicted. Pages never move between classes once given
 * (the slab calcification of memcached: a workload whose value sizes change a lot caches less well).
 * <p>
 * An item holds a value and the stamp of the value reference that owns it. A reference holds the item's cache
 * reference and its own stamp; a lookup is a hit only when both stamps agree, so an evicted or reused item simply
 * stops matching and no back pointer needs updating when rows move or values change. The store fills the cache on
 * reads (write-around): an item whose value was overwritten or deleted no longer matches any reference and is
 * reclaimed by the next sweep of its class, so writes never touch cache memory.
 * <pre>
 *  item: | stamp (8) | length (4) | flags (4) | value bytes ... (class size - 16) |
 * </pre>
 * Not thread-safe.
 */
public final class ValueCache implements AutoCloseable
{
    public static final int PAGE_SIZE = 256 * 1024;
    public static final int ITEM_HEADER_LENGTH = 16;
    /** The largest value an item can hold; larger values are never cached. */
    public static final int MAX_VALUE_LENGTH = PAGE_SIZE - ITEM_HEADER_LENGTH;
    /** The largest cache: references are 32-bit counts of 8-byte units. */
    public static final long MAX_CAPACITY = 16L * 1024 * 1024 * 1024 - PAGE_SIZE;

    private static final int STAMP_OFFSET = 0;
    private static final int LENGTH_OFFSET = 8;
    private static final int FLAGS_OFFSET = 12;
    private static final int REFERENCED = 1;
    private static final int MIN_ITEM_SIZE = 32;
    private static final long NO_ITEM = -1;
    private static final int NO_PAGE = -1;

    private final NativeMemory memory;
    private final int pageCount;
    private final int[] classSizes;
    private final int[] pageClass;
    private final int[] nextPageInClass;
    private final int[] lastPageOfClass;
    private final long[] freeHead;
    private final long[] itemsInClass;
    private final int[] handPage;
    private final int[] handItem;
    private int pagesAssigned;
    private long usedBytes;
    private long evictions;

    /**
     * @param capacityBytes bytes of memory, rounded down to whole pages; 0 disables the cache.
     */
    public ValueCache(final long capacityBytes)
    {
        if (capacityBytes < 0 || capacityBytes > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("cache capacity=" + capacityBytes + " must be in [0, " + MAX_CAPACITY + "]");
        }
        pageCount = (int)(capacityBytes / PAGE_SIZE);
        memory = pageCount > 0 ? NativeMemory.allocate((long)pageCount * PAGE_SIZE, false) : null;

        // 16-byte steps while items are small (values of a few hundred bytes are the common case and waste at
        // most 15 bytes each), then steps of about 12.5%
        int classes = 0;
        final int[] sizes = new int[256];
        for (int size = MIN_ITEM_SIZE; size < PAGE_SIZE; size = size < 1024 ? size + 16 : (size * 9 / 8 + 63) & ~63)
        {
            sizes[classes++] = size;
        }
        sizes[classes++] = PAGE_SIZE;
        classSizes = Arrays.copyOf(sizes, classes);

        pageClass = new int[pageCount];
        nextPageInClass = new int[pageCount];
        lastPageOfClass = new int[classes];
        freeHead = new long[classes];
        itemsInClass = new long[classes];
        handPage = new int[classes];
        handItem = new int[classes];
        reset();
    }

    /**
     * Find an item for a new value, evicting if needed.
     *
     * @param stamp  the stamp of the value reference that will own it, never 0.
     * @param length the value's length.
     * @return the cache reference to keep in the value reference, or 0 when the value cannot be cached (disabled,
     * too large, or no page left for its size class).
     */
    public int allocate(final long stamp, final int length)
    {
        if (null == memory || length > MAX_VALUE_LENGTH || length < 0)
        {
            return 0;
        }
        final int sizeClass = sizeClass(length + ITEM_HEADER_LENGTH);
        long item = freeHead[sizeClass];
        if (NO_ITEM != item)
        {
            freeHead[sizeClass] = memory.getLong(item + ITEM_HEADER_LENGTH);
        }
        else if (pagesAssigned < pageCount)
        {
            item = assignPage(sizeClass);
        }
        else
        {
            item = evict(sizeClass);
            if (NO_ITEM == item)
            {
                return 0;
            }
        }
        memory.putLong(item + STAMP_OFFSET, stamp);
        memory.putInt(item + LENGTH_OFFSET, length);
        memory.putInt(item + FLAGS_OFFSET, REFERENCED);
        usedBytes += classSizes[sizeClass];
        return (int)(item >>> 3) + 1;
    }

    /**
     * @param cacheRef from {@link #allocate(long, int)}.
     * @return the absolute address where the item's value bytes go or are.
     */
    public long valueAddress(final int cacheRef)
    {
        return memory.address(itemOffset(cacheRef) + ITEM_HEADER_LENGTH);
    }

    /**
     * Look a value up and mark it used.
     *
     * @param cacheRef the reference kept with the value, 0 when none.
     * @param stamp    the stamp kept with the value.
     * @return whether the item still holds that value.
     */
    public boolean lookup(final int cacheRef, final long stamp)
    {
        if (0 == cacheRef || null == memory)
        {
            return false;
        }
        final long item = itemOffset(cacheRef);
        if (memory.getLong(item + STAMP_OFFSET) != stamp)
        {
            return false;
        }
        memory.putInt(item + FLAGS_OFFSET, REFERENCED);
        return true;
    }

    /**
     * Free the item of a value that changed or went away, if the item still holds it.
     */
    public void invalidate(final int cacheRef, final long stamp)
    {
        if (0 == cacheRef || null == memory)
        {
            return;
        }
        final long item = itemOffset(cacheRef);
        if (memory.getLong(item + STAMP_OFFSET) == stamp)
        {
            final int sizeClass = pageClass[(int)(item / PAGE_SIZE)];
            memory.putLong(item + STAMP_OFFSET, 0);
            memory.putLong(item + ITEM_HEADER_LENGTH, freeHead[sizeClass]);
            freeHead[sizeClass] = item;
            usedBytes -= classSizes[sizeClass];
        }
    }

    /** Drop every item. */
    public void reset()
    {
        Arrays.fill(pageClass, NO_PAGE);
        Arrays.fill(nextPageInClass, NO_PAGE);
        Arrays.fill(lastPageOfClass, NO_PAGE);
        Arrays.fill(freeHead, NO_ITEM);
        Arrays.fill(itemsInClass, 0);
        Arrays.fill(handPage, NO_PAGE);
        Arrays.fill(handItem, 0);
        pagesAssigned = 0;
        usedBytes = 0;
    }

    /** @return bytes of the cache memory (whole pages). */
    public long capacity()
    {
        return (long)pageCount * PAGE_SIZE;
    }

    /** @return bytes of items holding values, including values since overwritten that the sweep has not reclaimed. */
    public long usedBytes()
    {
        return usedBytes;
    }

    /** @return items evicted to make room since start. */
    public long evictions()
    {
        return evictions;
    }

    /**
     * @param length a value length.
     * @return the bytes an item for it occupies, or 0 when it is not cacheable.
     */
    public int itemSize(final int length)
    {
        return length > MAX_VALUE_LENGTH ? 0 : classSizes[sizeClass(length + ITEM_HEADER_LENGTH)];
    }

    public void close()
    {
        if (null != memory)
        {
            memory.close();
        }
    }

    private long assignPage(final int sizeClass)
    {
        final int page = pagesAssigned++;
        pageClass[page] = sizeClass;
        final int last = lastPageOfClass[sizeClass];
        if (NO_PAGE == last)
        {
            nextPageInClass[page] = page;
            handPage[sizeClass] = page;
            handItem[sizeClass] = 0;
        }
        else
        {
            nextPageInClass[page] = nextPageInClass[last];
            nextPageInClass[last] = page;
        }
        lastPageOfClass[sizeClass] = page;

        final int itemSize = classSizes[sizeClass];
        final int items = PAGE_SIZE / itemSize;
        itemsInClass[sizeClass] += items;
        final long base = (long)page * PAGE_SIZE;
        for (int i = items - 1; i >= 1; i--)
        {
            final long item = base + (long)i * itemSize;
            memory.putLong(item + STAMP_OFFSET, 0);
            memory.putLong(item + ITEM_HEADER_LENGTH, freeHead[sizeClass]);
            freeHead[sizeClass] = item;
        }
        return base;
    }

    private long evict(final int sizeClass)
    {
        int page = handPage[sizeClass];
        if (NO_PAGE == page)
        {
            return NO_ITEM;
        }
        int index = handItem[sizeClass];
        final int itemSize = classSizes[sizeClass];
        final int itemsPerPage = PAGE_SIZE / itemSize;
        for (long step = 0, limit = 2 * itemsInClass[sizeClass] + 1; step < limit; step++)
        {
            final long item = (long)page * PAGE_SIZE + (long)index * itemSize;
            if (++index == itemsPerPage)
            {
                index = 0;
                page = nextPageInClass[page];
            }
            final int flags = memory.getInt(item + FLAGS_OFFSET);
            if (0 != (flags & REFERENCED))
            {
                memory.putInt(item + FLAGS_OFFSET, flags & ~REFERENCED);
            }
            else if (0 != memory.getLong(item + STAMP_OFFSET))
            {
                handPage[sizeClass] = page;
                handItem[sizeClass] = index;
                usedBytes -= itemSize;
                evictions++;
                return item;
            }
        }
        handPage[sizeClass] = page;
        handItem[sizeClass] = index;
        return NO_ITEM;
    }

    private int sizeClass(final int itemLength)
    {
        int low = 0;
        int high = classSizes.length - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (classSizes[mid] < itemLength)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private static long itemOffset(final int cacheRef)
    {
        return ((long)(cacheRef - 1) & 0xFFFF_FFFFL) << 3;
    }
}
