package dev.tern.perf.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every workload {@code tern load} knows, by the name used in {@code --mix}. A new workload is one class and one
 * line here.
 */
public final class Workloads
{
    private static final Map<String, Supplier<Workload>> ALL = new LinkedHashMap<>();

    static
    {
        register(KvGetWorkload::new);
        register(KvPutWorkload::new);
        register(LoginWorkload::new);
        register(ContactListWorkload::new);
        register(SendTextWorkload::new);
        register(SendMediaWorkload::new);
        register(SyncWorkload::new);
    }

    private Workloads()
    {
    }

    private static void register(final Supplier<Workload> factory)
    {
        ALL.put(factory.get().name(), factory);
    }

    /** @return the names of every workload, in a stable order. */
    public static Set<String> names()
    {
        return ALL.keySet();
    }

    /**
     * @param name a workload's name.
     * @return a new instance (each sender gets its own).
     * @throws IllegalArgumentException naming the known workloads when the name is unknown.
     */
    public static Workload create(final String name)
    {
        final Supplier<Workload> factory = ALL.get(name);
        if (null == factory)
        {
            throw new IllegalArgumentException("unknown workload '" + name + "': known are " + ALL.keySet());
        }
        return factory.get();
    }
}
