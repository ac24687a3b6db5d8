package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.MessageHeaderDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderEncoder;
import dev.tern.codecs.replication.sbe.StateChunkDecoder;
import dev.tern.codecs.replication.sbe.StateChunkEncoder;
import dev.tern.codecs.replication.sbe.StateRequestDecoder;
import dev.tern.codecs.replication.sbe.StateRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Installing a peer's whole decided state when that peer no longer holds the part of its authored stream this replica
 * missed (docs/kvsvr-protocol.md section 9). Both sides of it:
 * <ul>
 * <li>As the receiver: after a stream reset from an author, ask it for its state chunk by chunk, one chunk in flight,
 * and install each key that is newer than the local one. A durable marker in the store makes a restart resume the
 * transfer (from the start: it is idempotent). A lost request or chunk is asked for again after a timeout.</li>
 * <li>As the author: answer each request from the store alone (stateless): scan the key positions from the one asked
 * for and export the decided state of each key until the chunk is full. The scan is fuzzy: each key is exported at
 * its own committed slot, which is all a per-key protocol needs; records authored after the reset reach the receiver
 * through the stream, which continues from the reset point meanwhile.</li>
 * </ul>
 * Single-threaded: called from the replica's duty cycle.
 */
final class StateTransfer
{
    /**
     * Installs one key's exported state at the receiver, if newer; returns whether it did. An empty state names a key
     * too large for a chunk: the receiver fetches it from the author on its own.
     */
    interface Installer
    {
        boolean install(int author, DirectBuffer key, int keyLength, DirectBuffer state, int stateLength);
    }

    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final long NONE = -1;
    /** Positions scanned per chunk at most, so a sparse index costs the author bounded work per request. */
    private static final int MAX_POSITIONS_PER_CHUNK = 1 << 16;
    /** Keys too large for a chunk named per chunk at most: each costs the receiver a fetch of its own. */
    private static final int MAX_LARGE_KEYS_PER_CHUNK = 16;

    private final int groupId;
    private final int self;
    private final ReplicaStore store;
    private final PeerOutbox[] outboxes;
    private final ReplicaStats stats;
    private final long incarnation;
    private final long resendNs;
    private final int chunkBytes;

    private final long[] position;
    private final long[] transferId;
    private final long[] authorIncarnation;
    private final long[] requestedNs;
    private long nextTransferId;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StateRequestEncoder requestEncoder = new StateRequestEncoder();
    private final StateChunkEncoder chunkEncoder = new StateChunkEncoder();
    private final UnsafeBuffer message;
    private final ExpandableArrayBuffer gathered = new ExpandableArrayBuffer(64 * 1024);
    private final ExpandableArrayBuffer exported = new ExpandableArrayBuffer(4096);
    private final UnsafeBuffer scanKey = new UnsafeBuffer(new byte[Replica.MAX_KEY_LENGTH]);
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer stateView = new UnsafeBuffer(0, 0);

    /**
     * @param incarnation  differs at each start of this replica: a receiver whose author restarted starts over.
     * @param resendNs     how long a request waits for its chunk before it is sent again.
     * @param chunkBytes   the most state bytes per chunk (one message).
     */
    StateTransfer(
        final int groupId, final int self, final int replicaCount, final ReplicaStore store,
        final PeerOutbox[] outboxes, final ReplicaStats stats, final long incarnation, final long resendNs,
        final int chunkBytes, final int maxMessageLength)
    {
        this.groupId = groupId;
        this.self = self;
        this.store = store;
        this.outboxes = outboxes;
        this.stats = stats;
        this.incarnation = incarnation;
        this.resendNs = resendNs;
        this.chunkBytes = chunkBytes;
        message = new UnsafeBuffer(new byte[maxMessageLength + 4096]);
        position = new long[replicaCount];
        transferId = new long[replicaCount];
        authorIncarnation = new long[replicaCount];
        requestedNs = new long[replicaCount];
        Arrays.fill(position, NONE);
    }

    // ---------------------------------------------------------------------------------------------------------
    // receiver
    // ---------------------------------------------------------------------------------------------------------

    /** After recovery: resume the transfers a restart interrupted (from the start), on the next tick. */
    void resumePending()
    {
        for (int author = 0; author < position.length; author++)
        {
            if (author != self && store.isTransferPending(author))
            {
                stats.stateTransfersStarted++;
                position[author] = 0;
                authorIncarnation[author] = 0;
                transferId[author] = 0;
            }
        }
    }

    /**
     * The author no longer holds records this replica missed: install its whole state (again from the start if a
     * transfer from it was running: the newly lost records may lie behind its scan).
     */
    void start(final int author, final long nowNs)
    {
        if (NONE == position[author])
        {
            store.transferPending(author, true);
        }
        stats.stateTransfersStarted++;
        position[author] = 0;
        authorIncarnation[author] = 0;
        transferId[author] = 0;
        request(author, nowNs);
    }

    /** Ask again for chunks whose request or answer was lost (or whose author is down). */
    int tick(final long nowNs)
    {
        int work = 0;
        for (int author = 0; author < position.length; author++)
        {
            if (NONE != position[author] && (0 == transferId[author] || nowNs - requestedNs[author] > resendNs))
            {
                request(author, nowNs);
                work++;
            }
        }
        return work;
    }

    /** @return how many peers this replica is installing the state of. */
    int active()
    {
        int active = 0;
        for (final long p : position)
        {
            if (NONE != p)
            {
                active++;
            }
        }
        return active;
    }

    /**
     * Ask for the chunk at the current position. A transfer keeps its id across its requests, resends included: a
     * chunk that comes after its request was sent again still counts (when it is for the current position), so a
     * round trip longer than the resend timeout slows a transfer down but never stops it.
     */
    private void request(final int author, final long nowNs)
    {
        if (0 == transferId[author])
        {
            transferId[author] = ++nextTransferId;
        }
        requestedNs[author] = nowNs;
        requestEncoder.wrapAndApplyHeader(message, 0, headerEncoder)
            .groupId(groupId)
            .from((short)self)
            .transferId(transferId[author])
            .position(position[author]);
        outboxes[author].message(message, 0, HEADER + requestEncoder.encodedLength());
    }

    /** A chunk from an author: install its keys and ask for the next, or finish. */
    void onChunk(final StateChunkDecoder decoder, final Installer installer, final long nowNs)
    {
        final int author = decoder.from();
        if (NONE == position[author] || decoder.transferId() != transferId[author] ||
            decoder.position() != position[author])
        {
            return; // a duplicate, or the answer to a request already given up
        }
        final long chunkIncarnation = decoder.incarnation();
        if (0 != authorIncarnation[author] && chunkIncarnation != authorIncarnation[author])
        {
            // the author restarted: its positions now mean other keys
            stats.stateTransferRestarts++;
            position[author] = 0;
            authorIncarnation[author] = 0;
            transferId[author] = 0;
            request(author, nowNs);
            return;
        }
        authorIncarnation[author] = chunkIncarnation;
        final long next = decoder.nextPosition();
        final StateChunkDecoder.StatesDecoder states = decoder.states();
        while (states.hasNext())
        {
            states.next();
            final int keyLength = states.keyLength();
            states.wrapKey(keyView);
            final int stateLength = states.stateLength();
            states.wrapState(stateView);
            if (keyLength < 1 || keyLength > Replica.MAX_KEY_LENGTH)
            {
                stats.malformed++;
                continue;
            }
            if (installer.install(author, keyView, keyLength, stateView, stateLength))
            {
                stats.stateTransferKeys++;
            }
        }
        if (NONE == next)
        {
            position[author] = NONE;
            transferId[author] = 0;
            store.transferPending(author, false);
            stats.stateTransfersCompleted++;
        }
        else if (next <= position[author])
        {
            stats.malformed++;
            request(author, nowNs); // a chunk must make progress: ask again
        }
        else
        {
            position[author] = next;
            request(author, nowNs);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // author
    // ---------------------------------------------------------------------------------------------------------

    /** A receiver asks for the chunk at a position: export the keys from there until the chunk is full. */
    void onRequest(final StateRequestDecoder decoder)
    {
        final int from = decoder.from();
        final long start = decoder.position();
        if (start < 0)
        {
            stats.malformed++;
            return;
        }
        stats.stateChunksServed++;
        final long positions = store.keyPositions();
        final long limit = Math.min(positions, start + MAX_POSITIONS_PER_CHUNK);
        long scan = start;
        int count = 0;
        int bytes = 0;
        int large = 0;
        while (scan < limit && count < 65535)
        {
            final int keyLength = store.keyAt(scan, scanKey);
            int stateLength = keyLength > 0 ? store.exportKey(scanKey, 0, keyLength, exported) : 0;
            if (stateLength > 0)
            {
                if (8 + keyLength + stateLength > chunkBytes)
                {
                    // larger than any chunk: named without its state, the receiver fetches it (KeyState has no limit)
                    if (large == MAX_LARGE_KEYS_PER_CHUNK)
                    {
                        break; // the next chunk starts at this key
                    }
                    large++;
                    stateLength = 0;
                }
                final int entryLength = 8 + keyLength + stateLength;
                if (count > 0 && bytes + entryLength > chunkBytes)
                {
                    break; // the next chunk starts at this key
                }
                gathered.putInt(bytes, keyLength);
                gathered.putBytes(bytes + 4, scanKey, 0, keyLength);
                gathered.putInt(bytes + 4 + keyLength, stateLength);
                gathered.putBytes(bytes + 8 + keyLength, exported, 0, stateLength);
                bytes += entryLength;
                count++;
            }
            scan++;
        }

        chunkEncoder.wrapAndApplyHeader(message, 0, headerEncoder)
            .groupId(groupId)
            .from((short)self)
            .transferId(decoder.transferId())
            .incarnation(incarnation)
            .position(start)
            .nextPosition(scan >= positions ? NONE : scan);
        final StateChunkEncoder.StatesEncoder states = chunkEncoder.statesCount(count);
        for (int i = 0, p = 0; i < count; i++)
        {
            final int keyLength = gathered.getInt(p);
            final int stateLength = gathered.getInt(p + 4 + keyLength);
            states.next()
                .putKey(gathered, p + 4, keyLength)
                .putState(gathered, p + 8 + keyLength, stateLength);
            p += 8 + keyLength + stateLength;
        }
        outboxes[from].message(message, 0, HEADER + chunkEncoder.encodedLength());
    }
}
