package dev.tern.perf.load;

import dev.tern.storage.client.KvClient;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A sender's KV client and the keys and values its requests carry: keys are {@code keySize} bytes, a fixed prefix
 * and then the key's number in the last 8 bytes, numbers uniformly random in {@code [0, keys)}; values are
 * {@code valueSize} bytes. Used by one thread.
 */
public final class KvConnection implements AutoCloseable
{
    private static final long KEY_PREFIX = 0x7465726E2D6B6579L; // "tern-key"

    private final KvClient client;
    private final long keys;
    private final UnsafeBuffer key;
    private final UnsafeBuffer value;
    private long seed;

    /**
     * @param client    the connected client, owned from now on.
     * @param keys      the key space: numbers {@code [0, keys)}.
     * @param keySize   bytes of a key, at least 8.
     * @param valueSize bytes of a value.
     * @param seed      of the key choice.
     */
    public KvConnection(final KvClient client, final long keys, final int keySize, final int valueSize,
        final long seed)
    {
        this.client = client;
        this.keys = keys;
        this.key = new UnsafeBuffer(new byte[keySize]);
        this.value = new UnsafeBuffer(new byte[valueSize]);
        this.seed = seed;
        for (int i = 0; i + 8 <= keySize - 8; i += 8)
        {
            key.putLong(i, KEY_PREFIX);
        }
        for (int i = 0; i < valueSize; i++)
        {
            value.putByte(i, (byte)('a' + i % 26));
        }
    }

    /** @return the client: submit requests with a {@link Pending} as the listener. */
    public KvClient client()
    {
        return client;
    }

    /** @return the key buffer, holding the key last chosen. */
    public UnsafeBuffer key()
    {
        return key;
    }

    /** @return the value buffer: {@code value().capacity()} bytes. */
    public UnsafeBuffer value()
    {
        return value;
    }

    /**
     * Choose a key uniformly at random and write it into {@link #key()}.
     *
     * @return the key's length.
     */
    public int nextKey()
    {
        // SplitMix64: cheap, and every bit well mixed, so any key space size is covered evenly
        seed += 0x9E3779B97F4A7C15L;
        long z = seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return key(Long.remainderUnsigned(z ^ (z >>> 31), keys));
    }

    /**
     * Write key number {@code number} into {@link #key()}.
     *
     * @return the key's length.
     */
    public int key(final long number)
    {
        key.putLong(key.capacity() - 8, number);
        return key.capacity();
    }

    public void close()
    {
        client.close();
    }
}
