package dev.tern.storage.memory;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A block of memory outside the Java heap, addressed by a 64-bit offset, so that a store can hold more than 2 GiB
 * and more than the heap. Allocated once at start with {@code Unsafe.allocateMemory} (untouched pages cost nothing
 * until written) and freed by {@link #close()}.
 * <p>
 * Not thread-safe: one thread owns it. Offsets are checked by assertions only (tests run with {@code -ea}); the
 * structures built on it check their inputs before they touch memory.
 */
public final class NativeMemory implements AutoCloseable
{
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private static final long HUGE_PAGE = 2L * 1024 * 1024;
    private static final long HUGE_PAGE_THRESHOLD = 8L * 1024 * 1024;

    private final long allocation;
    private final long address;
    private final long capacity;
    private boolean closed;

    private NativeMemory(final long allocation, final long address, final long capacity)
    {
        this.allocation = allocation;
        this.address = address;
        this.capacity = capacity;
    }

    /**
     * @param capacity bytes, at least 8.
     * @param zeroed   whether to fill the memory with zeros now (touches every page).
     * @return the memory.
     * @throws IllegalStateException when the operating system refuses the allocation.
     */
    public static NativeMemory allocate(final long capacity, final boolean zeroed)
    {
        if (capacity < 8)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be at least 8");
        }
        final boolean large = capacity >= HUGE_PAGE_THRESHOLD;
        final long allocation;
        try
        {
            allocation = UnsafeApi.allocateMemory(large ? capacity + HUGE_PAGE : capacity);
        }
        catch (final OutOfMemoryError ex)
        {
            throw new IllegalStateException("cannot allocate " + capacity + " bytes of native memory", ex);
        }
        final long address = large ? (allocation + HUGE_PAGE - 1) & -HUGE_PAGE : allocation;
        if (large)
        {
            adviseHugePages(address, capacity & -HUGE_PAGE);
        }
        if (zeroed)
        {
            UnsafeApi.setMemory(address, capacity, (byte)0);
        }
        return new NativeMemory(allocation, address, capacity);
    }

    /**
     * Large regions are read at random (the key index, the arena, the cache): ask Linux to back them with 2 MiB pages
     * where transparent huge pages are in "madvise" mode, which saves most TLB misses. Best effort: without the
     * native call, or on another system, the memory simply stays in small pages.
     */
    private static void adviseHugePages(final long address, final long length)
    {
        try
        {
            PosixAPI.posix().madvise(address, length, MAdviseFlag.MADV_HUGEPAGE);
        }
        catch (final RuntimeException | LinkageError ignore)
        {
            // small pages work too, only slower
        }
    }

    public long capacity()
    {
        return capacity;
    }

    /**
     * @param offset within this memory.
     * @return the absolute address of the offset, for checksums and bulk copies.
     */
    public long address(final long offset)
    {
        return address + offset;
    }

    public long getLong(final long offset)
    {
        assert inBounds(offset, 8) : offset;
        return UnsafeApi.getLong(address + offset);
    }

    public void putLong(final long offset, final long value)
    {
        assert inBounds(offset, 8) : offset;
        UnsafeApi.putLong(address + offset, value);
    }

    public int getInt(final long offset)
    {
        assert inBounds(offset, 4) : offset;
        return UnsafeApi.getInt(address + offset);
    }

    public void putInt(final long offset, final int value)
    {
        assert inBounds(offset, 4) : offset;
        UnsafeApi.putInt(address + offset, value);
    }

    public int getShortUnsigned(final long offset)
    {
        assert inBounds(offset, 2) : offset;
        return UnsafeApi.getShort(address + offset) & 0xFFFF;
    }

    public void putShort(final long offset, final int value)
    {
        assert inBounds(offset, 2) : offset;
        UnsafeApi.putShort(address + offset, (short)value);
    }

    public byte getByte(final long offset)
    {
        assert inBounds(offset, 1) : offset;
        return UnsafeApi.getByte(address + offset);
    }

    public void putByte(final long offset, final byte value)
    {
        assert inBounds(offset, 1) : offset;
        UnsafeApi.putByte(address + offset, value);
    }

    public void setMemory(final long offset, final long length, final byte value)
    {
        assert inBounds(offset, length) : offset;
        UnsafeApi.setMemory(address + offset, length, value);
    }

    /** Copy within this memory; the ranges may overlap. */
    public void copyWithin(final long srcOffset, final long dstOffset, final long length)
    {
        assert inBounds(srcOffset, length) && inBounds(dstOffset, length) : srcOffset + " " + dstOffset;
        UnsafeApi.copyMemory(address + srcOffset, address + dstOffset, length);
    }

    public void copyFrom(final long offset, final DirectBuffer src, final int srcIndex, final int length)
    {
        assert inBounds(offset, length) : offset;
        src.boundsCheck(srcIndex, length);
        UnsafeApi.copyMemory(src.byteArray(), src.addressOffset() + srcIndex, null, address + offset, length);
    }

    public void copyTo(final long offset, final MutableDirectBuffer dst, final int dstIndex, final int length)
    {
        assert inBounds(offset, length) : offset;
        dst.boundsCheck(dstIndex, length);
        UnsafeApi.copyMemory(null, address + offset, dst.byteArray(), dst.addressOffset() + dstIndex, length);
    }

    /** Copy a range of this memory into another native memory. */
    public void copyTo(final long offset, final NativeMemory dst, final long dstOffset, final long length)
    {
        assert inBounds(offset, length) && dst.inBounds(dstOffset, length) : offset + " " + dstOffset;
        UnsafeApi.copyMemory(address + offset, dst.address + dstOffset, length);
    }

    /** Point a view at a range of this memory; the view is valid until the range is reused. */
    public void wrap(final UnsafeBuffer view, final long offset, final int length)
    {
        assert inBounds(offset, length) : offset;
        view.wrap(address + offset, length);
    }

    /**
     * @return whether the bytes at {@code offset} equal the buffer's bytes.
     */
    public boolean equalsBytes(final long offset, final DirectBuffer buffer, final int index, final int length)
    {
        return 0 == compare(null, address + offset, length, buffer.byteArray(), buffer.addressOffset() + index, length);
    }

    /**
     * Unsigned lexicographic comparison of stored bytes with a buffer's bytes: a shorter prefix sorts first.
     *
     * @return negative, zero or positive as the stored bytes sort before, equal to or after the buffer's.
     */
    public int compare(final long offset, final int length, final DirectBuffer buffer, final int index, final int bufferLength)
    {
        assert inBounds(offset, length) : offset;
        return compare(null, address + offset, length, buffer.byteArray(), buffer.addressOffset() + index, bufferLength);
    }

    /**
     * Unsigned lexicographic comparison of two stored byte ranges.
     */
    public int compare(final long offsetA, final int lengthA, final long offsetB, final int lengthB)
    {
        return compare(null, address + offsetA, lengthA, null, address + offsetB, lengthB);
    }

    /**
     * Unsigned lexicographic comparison of two byte ranges given as Unsafe base and offset pairs (base null for
     * absolute addresses), eight bytes at a time.
     */
    public static int compare(
        final Object baseA, final long offsetA, final int lengthA, final Object baseB, final long offsetB, final int lengthB)
    {
        final int common = Math.min(lengthA, lengthB);
        int i = 0;
        for (; i + 8 <= common; i += 8)
        {
            final long a = UnsafeApi.getLong(baseA, offsetA + i);
            final long b = UnsafeApi.getLong(baseB, offsetB + i);
            if (a != b)
            {
                return BIG_ENDIAN ? Long.compareUnsigned(a, b) :
                    Long.compareUnsigned(Long.reverseBytes(a), Long.reverseBytes(b));
            }
        }
        for (; i < common; i++)
        {
            final int a = UnsafeApi.getByte(baseA, offsetA + i) & 0xFF;
            final int b = UnsafeApi.getByte(baseB, offsetB + i) & 0xFF;
            if (a != b)
            {
                return a - b;
            }
        }
        return Integer.compare(lengthA, lengthB);
    }

    /**
     * A 64-bit hash of a buffer's bytes, eight bytes at a time with a murmur3 finaliser; the same bytes hash the same
     * in any buffer kind.
     */
    public static long hash(final DirectBuffer buffer, final int index, final int length)
    {
        buffer.boundsCheck(index, length);
        return hash(buffer.byteArray(), buffer.addressOffset() + index, length);
    }

    /** @see #hash(DirectBuffer, int, int) */
    public long hash(final long offset, final int length)
    {
        assert inBounds(offset, length) : offset;
        return hash(null, address + offset, length);
    }

    private static long hash(final Object base, final long offset, final int length)
    {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            long word = UnsafeApi.getLong(base, offset + i);
            if (BIG_ENDIAN)
            {
                word = Long.reverseBytes(word);
            }
            h = Long.rotateLeft(h ^ (word * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8)
        {
            tail |= (UnsafeApi.getByte(base, offset + i) & 0xFFL) << shift;
        }
        h ^= tail * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /** Free the memory; later use is undefined, so the owner closes it last. Idempotent. */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            UnsafeApi.freeMemory(allocation);
        }
    }

    private boolean inBounds(final long offset, final long length)
    {
        return !closed && offset >= 0 && length >= 0 && offset + length <= capacity;
    }
}
