package dev.tern.perf.load;

/**
 * {@code kv-put}: a quorum write of a value to a random key of the key space.
 */
public final class KvPutWorkload implements Workload
{
    public String name()
    {
        return "kv-put";
    }

    public Kind kind()
    {
        return Kind.KV;
    }

    public boolean send(final Connections connections, final Pending pending)
    {
        final KvConnection kv = connections.kv();
        final int keyLength = kv.nextKey();
        return kv.client().put(kv.key(), 0, keyLength, kv.value(), 0, kv.value().capacity(), pending) >= 0;
    }
}
