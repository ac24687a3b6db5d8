package dev.tern.perf.storage;

import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResponseListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Requests to a KVSvr group through one client with at most {@code window} in flight: answers and failures counted.
 * Single-threaded.
 */
final class KvWindow
{
    final KvClient client;
    final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 50_000);
    long completed;
    long failed;
    private final int window;
    private int inFlight;
    private final KvResponseListener listener = (correlationId, result, version, response) ->
    {
        inFlight--;
        completed++;
        if (ResultCode.OK != result)
        {
            failed++;
        }
    };

    KvWindow(final KvClient client, final int window)
    {
        this.client = client;
        this.window = window;
    }

    /** @return whether a put went out: fewer than {@code window} were in flight and the client took it. */
    boolean tryPut(final DirectBuffer key, final int keyLength, final DirectBuffer value)
    {
        if (inFlight < window && client.put(key, 0, keyLength, value, 0, value.capacity(), listener) >= 0)
        {
            inFlight++;
            return true;
        }
        return false;
    }

    /** @return whether a get went out: fewer than {@code window} were in flight and the client took it. */
    boolean tryGet(final DirectBuffer key, final int keyLength)
    {
        if (inFlight < window && client.get(key, 0, keyLength, listener) >= 0)
        {
            inFlight++;
            return true;
        }
        return false;
    }

    /**
     * Put keys {@code first} to {@code first + count - 1} (the id at offset 8 of {@code key}, and at offset 0 of
     * {@code value}) and wait for every answer.
     */
    void putAll(final UnsafeBuffer key, final UnsafeBuffer value, final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            key.putLong(8, first + i);
            value.putLong(0, first + i);
            while (!tryPut(key, key.capacity(), value))
            {
                idle.idle(client.poll());
            }
        }
        drain();
    }

    /** Wait for every request in flight to be answered. */
    void drain()
    {
        while (inFlight > 0)
        {
            idle.idle(client.poll());
        }
        idle.reset();
    }
}
