package dev.tern.perf.load;

import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResponseListener;
import dev.tern.transport.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;
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

    /**
     * Wait until the group answers this client: a read of key 0, repeated until it is answered OK or NOT_FOUND. A
     * group that has just started, or a client that has just connected, would otherwise take the first requests of
     * the load while its connections form, and a schedule that does not wait turns that into a storm of retries.
     * Runs on the controller thread before the load.
     *
     * @param timeoutNs how long to wait.
     * @throws IllegalStateException when the group does not answer in time.
     */
    public void awaitServing(final long timeoutNs)
    {
        final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
        final int[] result = { -1 };
        final KvResponseListener listener = (correlationId, code, version, response) -> result[0] = code;
        final long deadlineNs = System.nanoTime() + timeoutNs;
        int last = -1;
        while (System.nanoTime() - deadlineNs < 0)
        {
            result[0] = -1;
            if (client.get(key, 0, key(0), listener) < 0)
            {
                throw new IllegalStateException("the KV client refused a request while idle");
            }
            while (-1 == result[0])
            {
                idle.idle(client.poll());
            }
            if (ResultCode.OK == result[0] || ResultCode.NOT_FOUND == result[0])
            {
                return;
            }
            last = result[0];
        }
        throw new IllegalStateException("the KVSvr group did not answer in " + timeoutNs / 1_000_000 + " ms (last: " +
            ResultCode.describe(last) + ")");
    }

    public void close()
    {
        client.close();
    }
}
