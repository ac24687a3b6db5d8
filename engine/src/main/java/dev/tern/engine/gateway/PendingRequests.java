package dev.tern.engine.gateway;

import org.agrona.collections.IntArrayQueue;

import java.util.function.Consumer;

/**
 * Requests the gateway forwarded to services and not yet answered, each under a gateway request id that the
 * service echoes. An id packs a slot and the slot's generation, so a late reply to a slot reused since is told apart
 * and dropped. A request unanswered by its deadline is expired (the client is told UNAVAILABLE). Fixed capacity,
 * allocation-free, gateway thread only.
 */
final class PendingRequests
{
    /** One forwarded request. Read its fields before the next {@link #add}. */
    static final class Entry
    {
        final int slot;
        long generation;
        boolean live;
        Session session;
        long sessionGeneration;
        long correlationId;
        int templateId;
        int serviceId;
        long startNs;
        long deadlineNs;

        Entry(final int slot)
        {
            this.slot = slot;
        }
    }

    private final Entry[] entries;
    private final IntArrayQueue free;
    private int size;

    PendingRequests(final int capacity)
    {
        entries = new Entry[capacity];
        free = new IntArrayQueue(capacity, IntArrayQueue.DEFAULT_NULL_VALUE);
        for (int i = 0; i < capacity; i++)
        {
            entries[i] = new Entry(i);
            free.addInt(i);
        }
    }

    /**
     * @return the gateway request id, or -1 when every slot is in use.
     */
    long add(final Session session, final long correlationId, final int templateId, final int serviceId,
        final long nowNs, final long deadlineNs)
    {
        if (free.isEmpty())
        {
            return -1;
        }
        final Entry entry = entries[free.pollInt()];
        entry.generation++;
        entry.live = true;
        entry.session = session;
        entry.sessionGeneration = session.generation;
        entry.correlationId = correlationId;
        entry.templateId = templateId;
        entry.serviceId = serviceId;
        entry.startNs = nowNs;
        entry.deadlineNs = deadlineNs;
        size++;
        return entry.generation << 32 | entry.slot;
    }

    /**
     * Take an answered request out.
     *
     * @return its entry, or null when the id names no live request (expired, answered, or never issued).
     */
    Entry take(final long gatewayRequestId)
    {
        final int slot = (int)gatewayRequestId;
        if (slot < 0 || slot >= entries.length)
        {
            return null;
        }
        final Entry entry = entries[slot];
        if (!entry.live || entry.generation != gatewayRequestId >>> 32)
        {
            return null;
        }
        release(entry);
        return entry;
    }

    /**
     * Take out every request past its deadline.
     *
     * @return the number expired.
     */
    int expire(final long nowNs, final Consumer<Entry> onExpired)
    {
        if (0 == size)
        {
            return 0;
        }
        int expired = 0;
        for (final Entry entry : entries)
        {
            if (entry.live && nowNs - entry.deadlineNs >= 0)
            {
                release(entry);
                onExpired.accept(entry);
                expired++;
            }
        }
        return expired;
    }

    /** @return requests in flight. */
    int size()
    {
        return size;
    }

    private void release(final Entry entry)
    {
        entry.live = false;
        size--;
        free.addInt(entry.slot);
    }
}
