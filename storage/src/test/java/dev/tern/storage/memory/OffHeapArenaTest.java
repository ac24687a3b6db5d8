package dev.tern.storage.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class OffHeapArenaTest
{
    private final NativeMemory memory = NativeMemory.allocate(64 * 1024, true);
    private final OffHeapArena arena = new OffHeapArena(memory);

    @AfterEach
    void after()
    {
        memory.close();
    }

    @Test
    void shouldNeverHandOutOffsetZero()
    {
        assertNotEquals(OffHeapArena.NULL, arena.allocate(8));
    }

    @Test
    void shouldReuseAFreedBlockOfTheSameClass()
    {
        final long first = arena.allocate(40);
        arena.allocate(40);
        arena.free(first, 40);
        assertEquals(first, arena.allocate(37));
    }

    @Test
    void shouldNotOverlapBlocks()
    {
        final long a = arena.allocate(100);
        final long b = arena.allocate(100);
        assertTrue(Math.abs(b - a) >= OffHeapArena.allocationSize(100));
    }

    @Test
    void shouldReturnNullWhenFull()
    {
        long allocated = 0;
        while (OffHeapArena.NULL != arena.allocate(4096))
        {
            allocated++;
        }
        assertEquals(15, allocated);
        assertEquals(OffHeapArena.NULL, arena.allocate(4096));
    }

    @Test
    void shouldTellWhetherAReservationFits()
    {
        arena.beginReservation();
        arena.reserve(4096, 15);
        assertTrue(arena.reservationFits());
        arena.reserve(4096, 1);
        assertFalse(arena.reservationFits());
    }

    @Test
    void shouldCountFreeBlocksInAReservation()
    {
        final long[] blocks = new long[15];
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = arena.allocate(4096);
        }
        arena.free(blocks[3], 4096);
        arena.beginReservation();
        arena.reserve(4096, 1);
        assertTrue(arena.reservationFits());
        arena.reserve(4096, 1);
        assertFalse(arena.reservationFits());
    }

    @Test
    void shouldTrackUsedBytes()
    {
        final long block = arena.allocate(20);
        assertEquals(24, arena.usedBytes());
        arena.free(block, 20);
        assertEquals(0, arena.usedBytes());
    }

    @Test
    void shouldRoundLargeAllocationsToPowersOfTwo()
    {
        assertEquals(16384, OffHeapArena.allocationSize(OffHeapArena.MAX_SMALL_SIZE + 1));
    }
}
