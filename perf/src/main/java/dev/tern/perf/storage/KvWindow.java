package dev.tern.perf.storage;

import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResponseListener;
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
    final int window;
    final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 50_000);
    int inFlight;
    long completed;
    long failed;
    final KvResponseListener listener = (correlationId, result, version, response) ->
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

    /**
     * Put keys {@code first} to {@code first + count - 1} (the id at offset 8 of {@code key}, and at offset 0 of
     * {@code value}) and wait for every answer.
     */
    void putAll(final UnsafeBuffer key, final UnsafeBuffer value, final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            while (inFlight >= window)
            {
                idle.idle(client.poll());
            }
            key.putLong(8, first + i);
            value.putLong(0, first + i);
            if (client.put(key, 0, key.capacity(), value, 0, value.capacity(), listener) >= 0)
            {
                inFlight++;
            }
            else
            {
                i--;
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
