package dev.tern.storage;

import java.util.Arrays;

/**
 * The bounded table of recent requests that makes retried writes at-most-once: per client id, the last request
 * sequence seen and its result (code and version). When full, the client entered longest ago is forgotten (first in,
 * first out), so its retries become new requests: size it above the number of clients active within a retry window.
 * <p>
 * Open addressing with linear probing and backward-shift deletion over primitive arrays; no allocation after
 * construction. Not thread-safe.
 */
final class RequestTable
{
    private static final long EMPTY = 0;

    private final int capacity;
    private final int mask;
    private final long[] clientIds;
    private final long[] sequences;
    private final long[] versions;
    private final int[] codes;
    private final long[] arrivalOrder;
    private int arrivalHead;
    private int size;

    /**
     * @param capacity clients remembered, at least 1.
     */
    RequestTable(final int capacity)
    {
        if (capacity < 1 || capacity > 1 << 28)
        {
            throw new IllegalArgumentException("requestTableCapacity=" + capacity + " must be in [1, 2^28]");
        }
        this.capacity = capacity;
        final int slots = Integer.highestOneBit(capacity * 2 - 1) << 1;
        mask = slots - 1;
        clientIds = new long[slots];
        sequences = new long[slots];
        versions = new long[slots];
        codes = new int[slots];
        arrivalOrder = new long[capacity];
    }

    /**
     * @return the slot holding the client, or -1.
     */
    int find(final long clientId)
    {
        if (EMPTY == clientId)
        {
            return -1;
        }
        int slot = slotOf(clientId);
        while (true)
        {
            final long id = clientIds[slot];
            if (id == clientId)
            {
                return slot;
            }
            if (EMPTY == id)
            {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    long sequence(final int slot)
    {
        return sequences[slot];
    }

    long version(final int slot)
    {
        return versions[slot];
    }

    int code(final int slot)
    {
        return codes[slot];
    }

    /**
     * Remember a request's result if its sequence is the client's newest.
     *
     * @param clientId not 0 (0 means "no client" and is never remembered).
     */
    void record(final long clientId, final long sequence, final int code, final long version)
    {
        if (EMPTY == clientId)
        {
            return;
        }
        int slot = find(clientId);
        if (slot < 0)
        {
            if (size == capacity)
            {
                remove(arrivalOrder[arrivalHead]);
            }
            slot = slotOf(clientId);
            while (EMPTY != clientIds[slot])
            {
                slot = (slot + 1) & mask;
            }
            clientIds[slot] = clientId;
            sequences[slot] = Long.MIN_VALUE;
            arrivalOrder[(arrivalHead + size) % capacity] = clientId;
            size++;
        }
        if (sequence >= sequences[slot])
        {
            sequences[slot] = sequence;
            codes[slot] = code;
            versions[slot] = version;
        }
    }

    int size()
    {
        return size;
    }

    /**
     * Visit every remembered client, oldest first.
     */
    void forEach(final Visitor visitor)
    {
        for (int i = 0; i < size; i++)
        {
            final long clientId = arrivalOrder[(arrivalHead + i) % capacity];
            final int slot = find(clientId);
            visitor.onRequest(clientId, sequences[slot], codes[slot], versions[slot]);
        }
    }

    void clear()
    {
        Arrays.fill(clientIds, EMPTY);
        size = 0;
        arrivalHead = 0;
    }

    /** A remembered request, for snapshots. */
    interface Visitor
    {
        void onRequest(long clientId, long sequence, int code, long version);
    }

    private void remove(final long clientId)
    {
        int slot = find(clientId);
        arrivalHead = (arrivalHead + 1) % capacity;
        size--;
        if (slot < 0)
        {
            return;
        }
        clientIds[slot] = EMPTY;
        int next = (slot + 1) & mask;
        while (EMPTY != clientIds[next])
        {
            final int home = slotOf(clientIds[next]);
            if (((next - home) & mask) >= ((next - slot) & mask))
            {
                clientIds[slot] = clientIds[next];
                sequences[slot] = sequences[next];
                versions[slot] = versions[next];
                codes[slot] = codes[next];
                clientIds[next] = EMPTY;
                slot = next;
            }
            next = (next + 1) & mask;
        }
    }

    private int slotOf(final long clientId)
    {
        long h = clientId * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int)h & mask;
    }
}
