package dev.tern.storage.cluster;

import org.agrona.DirectBuffer;

/**
 * The 64-bit hash of a key that places it: its slot (and so its group) and its home replica. Stable forever:
 * changing it would move every key. Allocation-free over any buffer.
 */
public final class KeyHash
{
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long M = 0xC6A4A7935BD1E995L;

    private KeyHash()
    {
    }

    /**
     * @param buffer holding the key.
     * @param offset of the key's first byte.
     * @param length of the key.
     * @return the key's hash.
     */
    public static long hash(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = SEED ^ (length * M);
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            long k = buffer.getLong(offset + i, java.nio.ByteOrder.LITTLE_ENDIAN);
            k *= M;
            k ^= k >>> 47;
            k *= M;
            h ^= k;
            h *= M;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8)
        {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        h ^= tail;
        h *= M;
        h ^= h >>> 47;
        h *= M;
        h ^= h >>> 47;
        return h;
    }

    /**
     * @param key the key bytes.
     * @return the key's hash.
     */
    public static long hash(final byte[] key)
    {
        return hash(new org.agrona.concurrent.UnsafeBuffer(key), 0, key.length);
    }
}
