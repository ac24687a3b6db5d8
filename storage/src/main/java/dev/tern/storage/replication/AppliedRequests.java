package dev.tern.storage.replication;

/**
 * The decided requests a replica remembers, so that a retry of a request (same client id and sequence), at any
 * coordinator, is answered with its original result instead of being applied again. Bounded: the oldest entries are
 * forgotten first. Open addressing over primitive arrays, no allocation once built. Single-threaded.
 * <p>
 * Each entry also sits in a doubly linked chain of its key hash's bucket, threaded through its place in the eviction
 * order (which never moves while it is remembered), so the requests of one key are found without a scan of the table
 * (a key export: per-key fetches and state transfers export each key with its requests).
 */
final class AppliedRequests
{
    private static final long EMPTY = 0;
    private static final int NONE = -1;

    private final int mask;
    private final long[] clientIds;
    private final long[] sequences;
    private final long[] keyHashes;
    private final long[] versions;
    private final int[] results;
    private final long[] fifoClient;
    private final long[] fifoSequence;
    /** Per place in the eviction order: the entry's key hash and its neighbours in its bucket's chain. */
    private final long[] fifoKeyHash;
    private final int[] nextInBucket;
    private final int[] previousInBucket;
    /** Per bucket (key hash mixed, masked): the place of the latest entry of its chain, or NONE. */
    private final int[] bucketHeads;
    private final int maxEntries;
    private int size;
    private int fifoHead;
    private int fifoTail;
    private int foundResult;
    private long foundVersion;

    /**
     * @param maxEntries requests remembered; the table holds twice as many slots.
     */
    AppliedRequests(final int maxEntries)
    {
        this.maxEntries = maxEntries;
        final int capacity = Integer.highestOneBit(Math.max(16, maxEntries * 2 - 1)) << 1;
        mask = capacity - 1;
        clientIds = new long[capacity];
        sequences = new long[capacity];
        keyHashes = new long[capacity];
        versions = new long[capacity];
        results = new int[capacity];
        fifoClient = new long[maxEntries];
        fifoSequence = new long[maxEntries];
        fifoKeyHash = new long[maxEntries];
        nextInBucket = new int[maxEntries];
        previousInBucket = new int[maxEntries];
        bucketHeads = new int[capacity];
        java.util.Arrays.fill(bucketHeads, NONE);
    }

    /**
     * Remember a decided request (again: the latest outcome wins).
     *
     * @param clientId 0 means no client: nothing is remembered.
     */
    void record(final long clientId, final long sequence, final long keyHash, final int result, final long version)
    {
        if (EMPTY == clientId)
        {
            return;
        }
        int slot = find(clientId, sequence);
        if (slot < 0)
        {
            if (size == maxEntries)
            {
                // evict first, then look for a slot again: the eviction shifts entries back along probe paths
                remove(fifoClient[fifoHead], fifoSequence[fifoHead]);
                unlink(fifoHead);
                fifoHead = (fifoHead + 1) % maxEntries;
                slot = find(clientId, sequence);
            }
            slot = -slot - 1;
            clientIds[slot] = clientId;
            sequences[slot] = sequence;
            fifoClient[fifoTail] = clientId;
            fifoSequence[fifoTail] = sequence;
            link(fifoTail, keyHash);
            fifoTail = (fifoTail + 1) % maxEntries;
            size++;
        }
        else if (keyHashes[slot] != keyHash)
        {
            // the same request id for another key (a client reusing sequences): it now belongs to that key
            final int place = placeOf(clientId, sequence);
            unlink(place);
            link(place, keyHash);
        }
        keyHashes[slot] = keyHash;
        results[slot] = result;
        versions[slot] = version;
    }

    /**
     * @return true when the request was decided; its outcome is then in {@link #result()} and {@link #version()}.
     */
    boolean lookUp(final long clientId, final long sequence)
    {
        final int slot = EMPTY == clientId ? -1 : find(clientId, sequence);
        if (slot < 0)
        {
            return false;
        }
        foundResult = results[slot];
        foundVersion = versions[slot];
        return true;
    }

    int result()
    {
        return foundResult;
    }

    long version()
    {
        return foundVersion;
    }

    int size()
    {
        return size;
    }

    /** Receives remembered requests. */
    interface Visitor
    {
        void accept(long clientId, long sequence, int result, long version);
    }

    /**
     * Visit the remembered requests of one key (for a key export), latest first: a walk of its bucket's chain.
     */
    void forEachOfKey(final long keyHash, final Visitor visitor)
    {
        for (int place = bucketHeads[bucket(keyHash)]; NONE != place; place = nextInBucket[place])
        {
            if (fifoKeyHash[place] == keyHash)
            {
                final int slot = find(fifoClient[place], fifoSequence[place]);
                visitor.accept(clientIds[slot], sequences[slot], results[slot], versions[slot]);
            }
        }
    }

    void clear()
    {
        java.util.Arrays.fill(clientIds, EMPTY);
        java.util.Arrays.fill(bucketHeads, NONE);
        size = 0;
        fifoHead = 0;
        fifoTail = 0;
    }

    private int bucket(final long keyHash)
    {
        return hash(keyHash, 0) & mask;
    }

    /** Put the entry at {@code place} in the eviction order at the head of its key hash's chain. */
    private void link(final int place, final long keyHash)
    {
        final int bucket = bucket(keyHash);
        final int head = bucketHeads[bucket];
        fifoKeyHash[place] = keyHash;
        previousInBucket[place] = NONE;
        nextInBucket[place] = head;
        if (NONE != head)
        {
            previousInBucket[head] = place;
        }
        bucketHeads[bucket] = place;
    }

    private void unlink(final int place)
    {
        final int previous = previousInBucket[place];
        final int next = nextInBucket[place];
        if (NONE == previous)
        {
            bucketHeads[bucket(fifoKeyHash[place])] = next;
        }
        else
        {
            nextInBucket[previous] = next;
        }
        if (NONE != next)
        {
            previousInBucket[next] = previous;
        }
    }

    /** @return the place in the eviction order of a remembered request (rare: a scan of the order). */
    private int placeOf(final long clientId, final long sequence)
    {
        for (int i = 0, place = fifoHead; i < size; i++, place = (place + 1) % maxEntries)
        {
            if (fifoClient[place] == clientId && fifoSequence[place] == sequence)
            {
                return place;
            }
        }
        throw new IllegalStateException("request " + clientId + ":" + sequence + " not in the eviction order");
    }

    private static int hash(final long clientId, final long sequence)
    {
        long h = clientId * 0x9E3779B97F4A7C15L + sequence;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int)(h ^ (h >>> 29));
    }

    /** @return the slot holding the request, or -(free slot) - 1. */
    private int find(final long clientId, final long sequence)
    {
        for (int slot = hash(clientId, sequence) & mask; ; slot = (slot + 1) & mask)
        {
            if (EMPTY == clientIds[slot])
            {
                return -slot - 1;
            }
            if (clientIds[slot] == clientId && sequences[slot] == sequence)
            {
                return slot;
            }
        }
    }

    private void remove(final long clientId, final long sequence)
    {
        int slot = find(clientId, sequence);
        if (slot < 0)
        {
            return;
        }
        clientIds[slot] = EMPTY;
        size--;
        for (int next = (slot + 1) & mask; EMPTY != clientIds[next]; next = (next + 1) & mask)
        {
            final int home = hash(clientIds[next], sequences[next]) & mask;
            final boolean between = slot <= next ? (slot < home && home <= next) : (slot < home || home <= next);
            if (!between)
            {
                clientIds[slot] = clientIds[next];
                sequences[slot] = sequences[next];
                keyHashes[slot] = keyHashes[next];
                versions[slot] = versions[next];
                results[slot] = results[next];
                clientIds[next] = EMPTY;
                slot = next;
            }
        }
    }
}
