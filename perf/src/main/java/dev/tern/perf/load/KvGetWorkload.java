package dev.tern.perf.load;

/**
 * {@code kv-get}: a linearizable read of a random key of the key space (which is written once before the load, so
 * every read finds a value).
 */
public final class KvGetWorkload implements Workload
{
    public String name()
    {
        return "kv-get";
    }

    public Kind kind()
    {
        return Kind.KV;
    }

    public void prepare(final LoadSetup setup)
    {
        setup.preloadKeys();
    }

    public boolean send(final Connections connections, final Pending pending)
    {
        final KvConnection kv = connections.kv();
        final int keyLength = kv.nextKey();
        return kv.client().get(kv.key(), 0, keyLength, pending) >= 0;
    }
}
