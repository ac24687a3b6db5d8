package dev.tern.perf.load;

import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResponseListener;
import dev.tern.transport.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Workload#prepare} works with: the first sender's connections (used on the controller thread before
 * the senders start) and the run's settings, with the preparations several workloads share, each done at most once.
 */
public final class LoadSetup
{
    private static final int PRELOAD_WINDOW = 512;
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(30);

    private final Connections connections;
    private final long keys;
    private final boolean preload;
    private final PrintStream out;
    private boolean preloaded;

    /**
     * @param connections the first sender's connections.
     * @param keys        the KV key space.
     * @param preload     whether {@link #preloadKeys()} writes the keys (false: the keys are assumed written).
     * @param out         where progress goes.
     */
    public LoadSetup(final Connections connections, final long keys, final boolean preload, final PrintStream out)
    {
        this.connections = connections;
        this.keys = keys;
        this.preload = preload;
        this.out = out;
    }

    /** @return the connections to prepare through. */
    public Connections connections()
    {
        return connections;
    }

    /**
     * Write every key of the key space once, so that reads find values: pipelined, at most once per run.
     *
     * @throws IllegalStateException when a write fails or the group stops answering for 30 s.
     */
    public void preloadKeys()
    {
        if (preloaded || !preload)
        {
            return;
        }
        preloaded = true;
        final KvConnection kv = connections.kv();
        final KvClient client = kv.client();
        final Map<String, Long> failures = new TreeMap<>();
        final long[] answered = new long[1];
        final KvResponseListener listener = (correlationId, result, version, response) ->
        {
            answered[0]++;
            if (ResultCode.OK != result)
            {
                failures.merge(ResultCode.describe(result), 1L, Long::sum);
            }
        };
        final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
        final long startNs = System.nanoTime();
        long lastProgressNs = startNs;
        long lastAnswered = 0;
        long next = 0;
        while (answered[0] < keys)
        {
            while (next < keys && next - answered[0] < PRELOAD_WINDOW)
            {
                final int keyLength = kv.key(next);
                if (client.put(kv.key(), 0, keyLength, kv.value(), 0, kv.value().capacity(), listener) < 0)
                {
                    break;
                }
                next++;
            }
            idle.idle(client.poll());
            final long nowNs = System.nanoTime();
            if (answered[0] != lastAnswered)
            {
                lastAnswered = answered[0];
                lastProgressNs = nowNs;
            }
            else if (nowNs - lastProgressNs > STALL_NS)
            {
                throw new IllegalStateException("preload: the KVSvr group stopped answering after " + lastAnswered +
                    " of " + keys + " puts");
            }
        }
        if (!failures.isEmpty())
        {
            throw new IllegalStateException("preload: puts failed: " + failures);
        }
        out.printf("preloaded %,d keys in %.1f s%n", keys, (System.nanoTime() - startNs) / 1e9);
    }
}
