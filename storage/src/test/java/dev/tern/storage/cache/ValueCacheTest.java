package dev.tern.storage.cache;

import org.agrona.UnsafeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class ValueCacheTest
{
    private ValueCache cache = new ValueCache(ValueCache.PAGE_SIZE);

    @AfterEach
    void after()
    {
        cache.close();
    }

    @Test
    void shouldFindAValueByItsReferenceAndStamp()
    {
        final int ref = cache.allocate(7, 100);
        UnsafeApi.putLong(cache.valueAddress(ref), 0x1234L);
        assertTrue(cache.lookup(ref, 7));
        assertEquals(0x1234L, UnsafeApi.getLong(cache.valueAddress(ref)));
    }

    @Test
    void shouldMissWhenTheStampDiffers()
    {
        final int ref = cache.allocate(7, 100);
        assertFalse(cache.lookup(ref, 8));
        assertFalse(cache.lookup(0, 7));
    }

    @Test
    void shouldReuseAnInvalidatedItem()
    {
        final int ref = cache.allocate(7, 100);
        cache.invalidate(ref, 7);
        assertFalse(cache.lookup(ref, 7));
        assertEquals(ref, cache.allocate(9, 100));
    }

    @Test
    void shouldNotCacheValuesLargerThanAPage()
    {
        assertEquals(0, cache.allocate(1, ValueCache.MAX_VALUE_LENGTH + 1));
        assertNotEquals(0, cache.allocate(1, ValueCache.MAX_VALUE_LENGTH));
    }

    @Test
    void shouldCacheNothingWhenDisabled()
    {
        cache.close();
        cache = new ValueCache(0);
        assertEquals(0, cache.allocate(1, 10));
        assertFalse(cache.lookup(1, 1));
    }

    @Test
    void shouldEvictAnItemNotUsedSinceTheLastSweepBeforeOneThatWas()
    {
        final int itemSize = cache.itemSize(100);
        final int items = ValueCache.PAGE_SIZE / itemSize;
        final int[] refs = new int[items];
        for (int i = 0; i < items; i++)
        {
            refs[i] = cache.allocate(i + 1, 100);
        }
        final int evictedRef = cache.allocate(items + 1, 100);
        assertNotEquals(0, evictedRef);
        assertEquals(1, cache.evictions());
        assertTrue(cache.lookup(refs[1], 2), "the sweep cleared it but did not evict it");
        final int next = cache.allocate(items + 2, 100);
        assertNotEquals(refs[1], next, "an item used since the sweep gets a second chance");
        assertTrue(cache.lookup(refs[1], 2));
    }

    @Test
    void shouldCountUsedBytes()
    {
        final int ref = cache.allocate(1, 100);
        assertEquals(cache.itemSize(100), cache.usedBytes());
        cache.invalidate(ref, 1);
        assertEquals(0, cache.usedBytes());
    }
}
