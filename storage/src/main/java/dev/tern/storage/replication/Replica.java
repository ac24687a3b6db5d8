package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.AcceptBatchDecoder;
import dev.tern.codecs.replication.sbe.AcceptResult;
import dev.tern.codecs.replication.sbe.AcceptedBatchDecoder;
import dev.tern.codecs.replication.sbe.BinlogBatchDecoder;
import dev.tern.codecs.replication.sbe.BinlogBatchEncoder;
import dev.tern.codecs.replication.sbe.BooleanType;
import dev.tern.codecs.replication.sbe.CatchUpRequestDecoder;
import dev.tern.codecs.replication.sbe.CatchUpRequestEncoder;
import dev.tern.codecs.replication.sbe.FetchKeyDecoder;
import dev.tern.codecs.replication.sbe.FetchKeyEncoder;
import dev.tern.codecs.replication.sbe.HeartbeatDecoder;
import dev.tern.codecs.replication.sbe.HeartbeatEncoder;
import dev.tern.codecs.replication.sbe.KeyStateDecoder;
import dev.tern.codecs.replication.sbe.KeyStateEncoder;
import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.codecs.replication.sbe.KvRequestDecoder;
import dev.tern.codecs.replication.sbe.KvResponseEncoder;
import dev.tern.codecs.replication.sbe.MessageHeaderDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderEncoder;
import dev.tern.codecs.replication.sbe.PrepareBatchDecoder;
import dev.tern.codecs.replication.sbe.PromiseBatchDecoder;
import dev.tern.codecs.replication.sbe.ReadBatchDecoder;
import dev.tern.codecs.replication.sbe.ReadReplyBatchDecoder;
import dev.tern.codecs.replication.sbe.StateChunkDecoder;
import dev.tern.codecs.replication.sbe.StateRequestDecoder;
import dev.tern.codecs.replication.sbe.StreamResetDecoder;
import dev.tern.codecs.replication.sbe.StreamResetEncoder;
import dev.tern.storage.ResultCode;
import dev.tern.storage.cluster.KeyHash;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One replica of a KVSvr group: the protocol of docs/kvsvr-protocol.md. Single-threaded: the node's agent (or the
 * simulation) feeds it peer and client messages and calls {@link #doWork(long)} every duty cycle; it appends to its
 * store, and sends through its transports only after the cycle's group commit ({@link ReplicaStore#sync()}).
 */
public final class Replica implements AutoCloseable
{
    /** Where a key belongs: the group owning its slot. */
    @FunctionalInterface
    public interface KeyRouter
    {
        int groupOf(DirectBuffer key, int offset, int length);
    }

    private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    static final int MAX_KEY_LENGTH = 1024;
    /** Heartbeat intervals without a heartbeat after which a peer is silent and its shipping pauses. */
    private static final int SILENT_PEER_HEARTBEATS = 5;

    private final Context ctx;
    private final int groupId;
    private final int self;
    private final int replicaCount;
    private final int majority;
    private final int selfBit;
    private final ReplicaStore store;
    private final PeerTransport peers;
    private final ClientTransport clients;
    private final ErrorHandler errorHandler;
    private final KeyRouter router;
    private final SplittableRandom random;

    private final PeerOutbox[] outboxes;
    private final long[] cursor;
    private final long[] shippedTo;
    private final long[] lastBatchNs;
    private final long[] peerAuthoredHead;
    private final long[] catchUpRequestedNs;
    /** What each peer holds of this replica's authored stream, and when it last said so: binlog retention. */
    private final long[] peerCursorOfSelf;
    private final long[] peerHeartbeatNs;

    private final ActiveKeys keys = new ActiveKeys();
    private final Long2ObjectHashMap<ReadOp> reads = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<KeyState> fetches = new Long2ObjectHashMap<>();
    private final ArrayDeque<ClientOp> opPool = new ArrayDeque<>();
    private final ArrayDeque<ReadOp> readPool = new ArrayDeque<>();
    private final ArrayList<KeyState> awaitingSync = new ArrayList<>();
    private final ArrayList<KeyState> awaitingSyncSwap = new ArrayList<>();
    private KeyState[] keyScratch = new KeyState[1024];
    private final ArrayList<ReadOp> readScratch = new ArrayList<>();

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final KvRequestDecoder requestDecoder = new KvRequestDecoder();
    private final KvResponseEncoder responseEncoder = new KvResponseEncoder();
    private final BinlogBatchDecoder binlogBatchDecoder = new BinlogBatchDecoder();
    private final BinlogBatchEncoder binlogBatchEncoder = new BinlogBatchEncoder();
    private final CatchUpRequestDecoder catchUpDecoder = new CatchUpRequestDecoder();
    private final CatchUpRequestEncoder catchUpEncoder = new CatchUpRequestEncoder();
    private final PrepareBatchDecoder prepareDecoder = new PrepareBatchDecoder();
    private final PromiseBatchDecoder promiseDecoder = new PromiseBatchDecoder();
    private final AcceptBatchDecoder acceptDecoder = new AcceptBatchDecoder();
    private final AcceptedBatchDecoder acceptedDecoder = new AcceptedBatchDecoder();
    private final ReadBatchDecoder readDecoder = new ReadBatchDecoder();
    private final ReadReplyBatchDecoder readReplyDecoder = new ReadReplyBatchDecoder();
    private final FetchKeyDecoder fetchKeyDecoder = new FetchKeyDecoder();
    private final FetchKeyEncoder fetchKeyEncoder = new FetchKeyEncoder();
    private final KeyStateDecoder keyStateDecoder = new KeyStateDecoder();
    private final KeyStateEncoder keyStateEncoder = new KeyStateEncoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final StreamResetDecoder streamResetDecoder = new StreamResetDecoder();
    private final StreamResetEncoder streamResetEncoder = new StreamResetEncoder();
    private final StateRequestDecoder stateRequestDecoder = new StateRequestDecoder();
    private final StateChunkDecoder stateChunkDecoder = new StateChunkDecoder();
    private final StateTransfer transfer;
    private final StateTransfer.Installer installTransferred = this::installTransferred;

    private final UnsafeBuffer inbound = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer dataView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer sendBuffer;
    private final UnsafeBuffer messageBuffer;
    private final UnsafeBuffer replyBuffer;
    private final ExpandableArrayBuffer recordBuffer = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer commitBuffer = new ExpandableArrayBuffer(2048);
    private final RecordView view;
    private final RecordView heldView;
    private final ExpandableArrayBuffer copyBuffer = new ExpandableArrayBuffer(4096);
    private int copyLength;
    private final ReplicaStore.RecordHandler copyRecord = (logIndex, record) ->
    {
        copyBuffer.putBytes(0, record.buffer(), record.offset(), record.length());
        copyLength = record.length();
        return false;
    };
    private final ReplicaStats stats = new ReplicaStats();
    private final java.util.function.Consumer<KeyState> onKeyTimer = this::onKeyTimer;
    private final ReplicaStore.RecordHandler gatherShipped = this::gatherShipped;
    private final ReplicaStore.RecoveryListener onRecoveredRecord = this::onRecoveredRecord;

    private long nowNs;
    private long nextTickNs;
    private long nextHeartbeatNs;
    /** The durable authored head this replica last told its peers. */
    private long announcedHead;
    private boolean started;
    private long nextReadId;
    private long nextFetchId;
    private int inFlight;
    private boolean closed;
    private int shipPeer;
    private int shipCount;
    private long shipPrevious;
    private int shipBytes;

    /**
     * @param ctx the replica's settings; concluded here.
     */
    public Replica(final Context ctx)
    {
        ctx.conclude();
        this.ctx = ctx;
        groupId = ctx.groupId;
        self = ctx.replicaIndex;
        replicaCount = ctx.replicaCount;
        majority = replicaCount / 2 + 1;
        selfBit = 1 << self;
        store = ctx.store;
        peers = ctx.peerTransport;
        clients = ctx.clientTransport;
        errorHandler = ctx.errorHandler;
        router = ctx.router;
        random = new SplittableRandom(ctx.randomSeed);

        outboxes = new PeerOutbox[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            outboxes[i] = new PeerOutbox(groupId, self, ctx.maxMessageLength);
        }
        cursor = new long[replicaCount];
        shippedTo = new long[replicaCount];
        lastBatchNs = new long[replicaCount];
        peerAuthoredHead = new long[replicaCount];
        catchUpRequestedNs = new long[replicaCount];
        peerCursorOfSelf = new long[replicaCount];
        peerHeartbeatNs = new long[replicaCount];
        sendBuffer = new UnsafeBuffer(new byte[ctx.maxMessageLength + store.maxRecordLength() + 4096]);
        messageBuffer = new UnsafeBuffer(new byte[ctx.maxMessageLength + store.maxRecordLength() + 4096]);
        replyBuffer = new UnsafeBuffer(new byte[ctx.maxMessageLength + store.maxRecordLength() + 4096]);
        view = store.newView();
        heldView = store.newView();
        transfer = new StateTransfer(groupId, self, replicaCount, store, outboxes, stats, random.nextLong() | 1,
            ctx.roundTimeoutNs * 10, Math.min(ctx.maxShipBytes, ctx.maxMessageLength - 1024), ctx.maxMessageLength);
    }

    /** @return counters of this replica's work. */
    public ReplicaStats stats()
    {
        return stats;
    }

    public int replicaIndex()
    {
        return self;
    }

    public int groupId()
    {
        return groupId;
    }

    /**
     * Rebuild votes, held values and stream positions from the store's binlog. Call once before the first
     * {@link #doWork(long)}.
     */
    public void recover()
    {
        store.recover(onRecoveredRecord);
        shippedToAll(store.durableAuthoredHead());
        transfer.resumePending();
    }

    private void shippedToAll(final long position)
    {
        for (int peer = 0; peer < replicaCount; peer++)
        {
            // peers ask for what they miss (their catch-up request rewinds); start shipping at the head
            shippedTo[peer] = position;
        }
    }

    private void onRecoveredRecord(final long logIndex, final RecordView record)
    {
        final int author = record.author();
        final long authorIndex = record.authorIndex();
        if (authorIndex > 0 && author >= 0 && author < replicaCount)
        {
            if (author != self)
            {
                cursor[author] = Math.max(cursor[author], authorIndex);
            }
        }

        final DirectBuffer key = record.keyBuffer();
        final int keyOffset = record.keyOffset();
        final int keyLength = record.keyLength();
        switch (record.kind())
        {
            case VALUE:
            {
                final long committed = store.committedSlot(key, keyOffset, keyLength);
                if (record.slot() > committed)
                {
                    final KeyState ks = keys.getOrCreate(key, keyOffset, keyLength, hash(key, keyOffset, keyLength));
                    ks.addHeld(record.slot(), record.ballot(), logIndex, record.checksum());
                    if (author == self && authorIndex > 0 && record.slot() == committed + 1 &&
                        record.ballot() >= ks.pendingBallot)
                    {
                        ks.pendingBallot = record.ballot();
                        ks.pendingSlot = record.slot();
                        ks.pendingLogIndex = logIndex;
                    }
                }
                break;
            }

            case ACCEPTED:
            {
                final long committed = store.committedSlot(key, keyOffset, keyLength);
                if (record.slot() == committed + 1)
                {
                    final KeyState ks = keys.getOrCreate(key, keyOffset, keyLength, hash(key, keyOffset, keyLength));
                    final int held = ks.findHeld(record.slot(), record.ballot());
                    if (held >= 0 && record.ballot() >= ks.pendingBallot)
                    {
                        ks.pendingBallot = record.ballot();
                        ks.pendingSlot = record.slot();
                        ks.pendingLogIndex = ks.heldLogIndex[held];
                    }
                }
                break;
            }

            case COMMIT:
            {
                final KeyState ks = keys.getOrCreate(key, keyOffset, keyLength, hash(key, keyOffset, keyLength));
                onCommitLearned(ks, record.slot(), record.ballot(), author, false);
                keys.releaseIfIdle(ks);
                break;
            }

            default:
                break;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // duty cycle
    // ---------------------------------------------------------------------------------------------------------

    /**
     * One duty cycle after the cycle's messages were delivered: timers, the group commit, then shipping and sending.
     *
     * @param nowNs the time, ns.
     * @return the amount of work done.
     */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        if (!started)
        {
            // every peer counts as heard from at start: shipping to a peer waits only once it has been silent
            started = true;
            Arrays.fill(peerHeartbeatNs, nowNs);
        }
        int work = 0;
        if (nowNs - nextTickNs >= 0)
        {
            nextTickNs = nowNs + ctx.tickIntervalNs;
            work += tick();
        }
        if (nowNs - nextHeartbeatNs >= 0)
        {
            nextHeartbeatNs = nowNs + ctx.heartbeatIntervalNs;
            queueHeartbeats();
        }

        store.sync();
        work += afterSync();
        work += ship();
        work += store.doWork();
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self && !outboxes[peer].isEmpty())
            {
                work += outboxes[peer].flush(peers, peer, sendBuffer);
            }
        }
        return work;
    }

    private int afterSync()
    {
        if (awaitingSync.isEmpty())
        {
            return 0;
        }
        final long synced = store.syncedIndex();
        awaitingSyncSwap.clear();
        awaitingSyncSwap.addAll(awaitingSync);
        awaitingSync.clear();
        int work = 0;
        for (int i = 0; i < awaitingSyncSwap.size(); i++)
        {
            final KeyState ks = awaitingSyncSwap.get(i);
            if (ks.selfCounted || (ks.phase != KeyState.PREPARE && ks.phase != KeyState.ACCEPT))
            {
                continue;
            }
            if (ks.selfLogIndex > synced)
            {
                awaitingSync.add(ks);
                continue;
            }
            ks.selfCounted = true;
            work++;
            if (ks.phase == KeyState.PREPARE)
            {
                checkPrepared(ks);
            }
            else
            {
                checkDecided(ks);
            }
        }
        awaitingSyncSwap.clear();
        return work;
    }

    private int tick()
    {
        int work = 0;
        keys.forEach(onKeyTimer, keyScratchFor(keys.size()));

        readScratch.clear();
        for (final Long2ObjectHashMap<ReadOp>.ValueIterator it = reads.values().iterator(); it.hasNext(); )
        {
            readScratch.add(it.next());
        }
        for (int i = 0; i < readScratch.size(); i++)
        {
            work += onReadTimer(readScratch.get(i));
        }
        readScratch.clear();

        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self && peerAuthoredHead[peer] > cursor[peer] &&
                nowNs - lastBatchNs[peer] > ctx.heartbeatIntervalNs * 2)
            {
                requestCatchUp(peer);
            }
        }
        work += transfer.tick(nowNs);
        return work;
    }

    private void onKeyTimer(final KeyState ks)
    {
        final ClientOp head = ks.opHead;
        if (null != head && nowNs - head.deadlineNs > 0 && ks.phase != KeyState.ACCEPT)
        {
            stats.opsTimedOut++;
            failHead(ks, ResultCode.UNAVAILABLE);
            return;
        }

        switch (ks.phase)
        {
            case KeyState.PREPARE:
                if (nowNs - ks.roundDeadlineNs > 0)
                {
                    if (++ks.roundAttempts > ctx.maxRoundAttempts)
                    {
                        backoff(ks);
                    }
                    else
                    {
                        ks.roundDeadlineNs = nowNs + ctx.roundTimeoutNs;
                        for (int peer = 0; peer < replicaCount; peer++)
                        {
                            if (peer != self && (ks.replied & (1 << peer)) == 0)
                            {
                                outboxes[peer].prepare(ks.key, 0, ks.keyLength, ks.ballot);
                            }
                        }
                    }
                }
                break;

            case KeyState.ACCEPT:
                if (nowNs - ks.roundDeadlineNs > 0)
                {
                    if (++ks.roundAttempts > ctx.maxRoundAttempts)
                    {
                        stats.acceptRoundsAbandoned++;
                        if (null != head && nowNs - head.deadlineNs > 0)
                        {
                            ks.phase = KeyState.IDLE;
                            stats.opsTimedOut++;
                            failHead(ks, ResultCode.UNAVAILABLE);
                        }
                        else
                        {
                            backoff(ks);
                        }
                    }
                    else
                    {
                        ks.roundDeadlineNs = nowNs + ctx.roundTimeoutNs;
                        for (int peer = 0; peer < replicaCount; peer++)
                        {
                            if (peer != self && (ks.oks & (1 << peer)) == 0)
                            {
                                outboxes[peer].accept(ks.key, 0, ks.keyLength, ks.ballot, ks.proposalSlot,
                                    ks.previousBallot, ks.proposalChecksum);
                            }
                        }
                    }
                }
                break;

            case KeyState.BACKOFF:
                if (nowNs - ks.roundDeadlineNs >= 0)
                {
                    if (null == ks.opHead)
                    {
                        ks.phase = KeyState.IDLE;
                    }
                    else
                    {
                        startPrepare(ks);
                    }
                }
                break;

            default:
                break;
        }

        if (ks.fetchId != 0 && nowNs - ks.fetchDeadlineNs > 0)
        {
            fetches.remove(ks.fetchId);
            ks.fetchId = 0;
            if (++ks.fetchAttempts > ctx.maxRoundAttempts * 4)
            {
                abandonFetch(ks);
            }
            else
            {
                sendFetch(ks, nextPeer(ks.fetchFrom));
            }
        }

        if (ks.waitingCount > 0 && ks.fetchId == 0 && nowNs - ks.waitingSinceNs > ctx.commitWaitNs)
        {
            stats.commitsWaitedTooLong++;
            ks.waitingSinceNs = nowNs;
            sendFetch(ks, ks.waitingAuthor[0]);
        }

        if (ks.transferSkippedFrom >= 0 && ks.fetchId == 0 &&
            (ks.phase == KeyState.IDLE || ks.phase == KeyState.BACKOFF))
        {
            sendFetch(ks, ks.transferSkippedFrom);
            ks.transferSkippedFrom = -1;
        }

        keys.releaseIfIdle(ks);
    }

    private int nextPeer(final int peer)
    {
        int next = peer;
        do
        {
            next = (next + 1) % replicaCount;
        }
        while (next == self);
        return next;
    }

    private void backoff(final KeyState ks)
    {
        stats.backoffs++;
        ks.phase = KeyState.BACKOFF;
        ks.roundAttempts = 0;
        ks.roundDeadlineNs = nowNs + 1 + random.nextLong(ctx.maxBackoffNs);
    }

    private void queueHeartbeats()
    {
        final int length = encodeHeartbeat();
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self)
            {
                outboxes[peer].message(messageBuffer, 0, length);
            }
        }
    }

    private int encodeHeartbeat()
    {
        announcedHead = store.durableAuthoredHead();
        heartbeatEncoder.wrapAndApplyHeader(messageBuffer, 0, headerEncoder)
            .groupId(groupId)
            .from((short)self)
            .authoredHead(announcedHead);
        final HeartbeatEncoder.CursorsEncoder cursors = heartbeatEncoder.cursorsCount(replicaCount);
        for (int author = 0; author < replicaCount; author++)
        {
            cursors.next().author((short)author).authorIndex(author == self ? announcedHead : cursor[author]);
        }
        return HEADER + heartbeatEncoder.encodedLength();
    }

    // ---------------------------------------------------------------------------------------------------------
    // shipping the authored stream
    // ---------------------------------------------------------------------------------------------------------

    private int ship()
    {
        int work = 0;
        final long durableHead = store.durableAuthoredHead();
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer == self || shippedTo[peer] >= durableHead ||
                nowNs - peerHeartbeatNs[peer] > ctx.heartbeatIntervalNs * SILENT_PEER_HEARTBEATS)
            {
                // a silent peer (down, paused, cut off) is not shipped to: each try would read the binlog again
                // from where it stopped; when it is heard again shipping goes on from there (or it asks to catch up)
                continue;
            }
            shipPeer = peer;
            shipCount = 0;
            shipBytes = 0;
            shipPrevious = shippedTo[peer];
            binlogBatchEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .groupId(groupId)
                .author((short)self)
                .previousAuthorIndex(shippedTo[peer]);
            // count is unknown until read: gather into the message buffer first
            final int read = store.readAuthored(shippedTo[peer], ctx.maxShipBytes, gatherShipped);
            final long gap = store.authoredGap();
            if (gap > shippedTo[peer])
            {
                sendStreamReset(peer, gap);
                shippedTo[peer] = gap;
                continue;
            }
            if (read == 0 || shipCount == 0)
            {
                continue;
            }
            final BinlogBatchEncoder.RecordsEncoder records = binlogBatchEncoder.recordsCount(shipCount);
            int position = 0;
            long last = shippedTo[peer];
            for (int i = 0; i < shipCount; i++)
            {
                final long authorIndex = messageBuffer.getLong(position);
                final int length = messageBuffer.getInt(position + 8);
                records.next().authorIndex(authorIndex).putRecord(messageBuffer, position + 12, length);
                position += 12 + length;
                last = authorIndex;
            }
            if (peers.send(peer, sendBuffer, 0, HEADER + binlogBatchEncoder.encodedLength()))
            {
                shippedTo[peer] = last;
                stats.recordsShipped += shipCount;
                work += shipCount;
            }
            else
            {
                stats.shipBackPressure++;
            }
        }
        return work;
    }

    private boolean gatherShipped(final long logIndex, final RecordView record)
    {
        final int length = record.length();
        final int position = shipBytes;
        if (shipCount == 65535 || position + 12 + length > messageBuffer.capacity() - 64 ||
            (shipCount > 0 && position + length > ctx.maxMessageLength - 256))
        {
            return false;
        }
        messageBuffer.putLong(position, record.authorIndex());
        messageBuffer.putInt(position + 8, length);
        messageBuffer.putBytes(position + 12, record.buffer(), record.offset(), length);
        shipBytes = position + 12 + length;
        shipCount++;
        return true;
    }

    private void sendStreamReset(final int peer, final long fromAuthorIndex)
    {
        stats.streamResets++;
        streamResetEncoder.wrapAndApplyHeader(messageBuffer, 0, headerEncoder)
            .groupId(groupId)
            .author((short)self)
            .fromAuthorIndex(fromAuthorIndex);
        outboxes[peer].message(messageBuffer, 0, HEADER + streamResetEncoder.encodedLength());
    }

    private void requestCatchUp(final int author)
    {
        if (nowNs - catchUpRequestedNs[author] < ctx.roundTimeoutNs)
        {
            return;
        }
        catchUpRequestedNs[author] = nowNs;
        stats.catchUpRequests++;
        catchUpEncoder.wrapAndApplyHeader(messageBuffer, 0, headerEncoder)
            .groupId(groupId)
            .from((short)self)
            .fromAuthorIndex(cursor[author]);
        outboxes[author].message(messageBuffer, 0, HEADER + catchUpEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------
    // inbound: peers
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A message from a peer replica. Malformed or foreign messages are dropped and counted.
     *
     * @return 1 when the message was handled.
     */
    public int onPeerMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return 0;
        }
        if (length < HEADER)
        {
            stats.malformed++;
            return 0;
        }
        inbound.wrap(buffer, offset, length);
        headerDecoder.wrap(inbound, 0);
        if (headerDecoder.schemaId() != SCHEMA_ID || headerDecoder.version() < 1 ||
            headerDecoder.blockLength() > length - HEADER)
        {
            stats.malformed++;
            return 0;
        }
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        try
        {
            switch (headerDecoder.templateId())
            {
                case BinlogBatchDecoder.TEMPLATE_ID:
                    binlogBatchDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(binlogBatchDecoder.groupId(), binlogBatchDecoder.author()))
                    {
                        onBinlogBatch(binlogBatchDecoder);
                    }
                    break;
                case CatchUpRequestDecoder.TEMPLATE_ID:
                    catchUpDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(catchUpDecoder.groupId(), catchUpDecoder.from()))
                    {
                        stats.catchUpsServed++;
                        shippedTo[catchUpDecoder.from()] = Math.max(0, Math.min(catchUpDecoder.fromAuthorIndex(),
                            shippedTo[catchUpDecoder.from()]));
                    }
                    break;
                case PrepareBatchDecoder.TEMPLATE_ID:
                    prepareDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(prepareDecoder.groupId(), prepareDecoder.from()))
                    {
                        onPrepareBatch(prepareDecoder);
                    }
                    break;
                case PromiseBatchDecoder.TEMPLATE_ID:
                    promiseDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(promiseDecoder.groupId(), promiseDecoder.from()))
                    {
                        onPromiseBatch(promiseDecoder);
                    }
                    break;
                case AcceptBatchDecoder.TEMPLATE_ID:
                    acceptDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(acceptDecoder.groupId(), acceptDecoder.from()))
                    {
                        onAcceptBatch(acceptDecoder);
                    }
                    break;
                case AcceptedBatchDecoder.TEMPLATE_ID:
                    acceptedDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(acceptedDecoder.groupId(), acceptedDecoder.from()))
                    {
                        onAcceptedBatch(acceptedDecoder);
                    }
                    break;
                case ReadBatchDecoder.TEMPLATE_ID:
                    readDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(readDecoder.groupId(), readDecoder.from()))
                    {
                        onReadBatch(readDecoder);
                    }
                    break;
                case ReadReplyBatchDecoder.TEMPLATE_ID:
                    readReplyDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(readReplyDecoder.groupId(), readReplyDecoder.from()))
                    {
                        onReadReplyBatch(readReplyDecoder);
                    }
                    break;
                case FetchKeyDecoder.TEMPLATE_ID:
                    fetchKeyDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(fetchKeyDecoder.groupId(), fetchKeyDecoder.from()))
                    {
                        onFetchKey(fetchKeyDecoder);
                    }
                    break;
                case KeyStateDecoder.TEMPLATE_ID:
                    keyStateDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(keyStateDecoder.groupId(), keyStateDecoder.from()))
                    {
                        onKeyState(keyStateDecoder);
                    }
                    break;
                case StreamResetDecoder.TEMPLATE_ID:
                    streamResetDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(streamResetDecoder.groupId(), streamResetDecoder.author()))
                    {
                        onStreamReset(streamResetDecoder);
                    }
                    break;
                case StateRequestDecoder.TEMPLATE_ID:
                    stateRequestDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(stateRequestDecoder.groupId(), stateRequestDecoder.from()))
                    {
                        transfer.onRequest(stateRequestDecoder);
                    }
                    break;
                case StateChunkDecoder.TEMPLATE_ID:
                    stateChunkDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(stateChunkDecoder.groupId(), stateChunkDecoder.from()))
                    {
                        transfer.onChunk(stateChunkDecoder, installTransferred, nowNs);
                    }
                    break;
                case HeartbeatDecoder.TEMPLATE_ID:
                    heartbeatDecoder.wrap(inbound, HEADER, blockLength, version);
                    if (isForUs(heartbeatDecoder.groupId(), heartbeatDecoder.from()))
                    {
                        onHeartbeat(heartbeatDecoder);
                    }
                    break;
                default:
                    stats.malformed++;
                    return 0;
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            // a lying length or group count runs into the fragment's end: the slice view turns it into this
            stats.malformed++;
            return 0;
        }
        catch (final RuntimeException ex)
        {
            stats.errors++;
            errorHandler.onError(ex);
            return 0;
        }
        return 1;
    }

    private boolean isForUs(final int messageGroupId, final int from)
    {
        if (messageGroupId != groupId || from < 0 || from >= replicaCount || from == self)
        {
            stats.foreign++;
            return false;
        }
        return true;
    }

    private void onHeartbeat(final HeartbeatDecoder decoder)
    {
        final int from = decoder.from();
        peerAuthoredHead[from] = Math.max(peerAuthoredHead[from], decoder.authoredHead());
        peerHeartbeatNs[from] = nowNs;
        final HeartbeatDecoder.CursorsDecoder cursors = decoder.cursors();
        while (cursors.hasNext())
        {
            cursors.next();
            if (cursors.author() == self)
            {
                peerCursorOfSelf[from] = cursors.authorIndex();
            }
        }
    }

    private void onStreamReset(final StreamResetDecoder decoder)
    {
        final int author = decoder.author();
        final long from = decoder.fromAuthorIndex();
        if (from > cursor[author])
        {
            // the author no longer holds what this replica missed of its stream: the stream goes on from there while
            // this replica installs the author's whole state, which covers what was missed (meanwhile reads and
            // writes check a majority and fetch what this replica lacks, so nothing stale is served)
            stats.streamResets++;
            cursor[author] = from;
            transfer.start(author, nowNs);
        }
    }

    /**
     * A key's state from a peer's state transfer: installed when newer, unless the key is being coordinated or fetched
     * here (then that operation brings it up to date by itself, and installing under it would only race it). A key
     * named without its state (too large for a chunk) is fetched.
     */
    private boolean installTransferred(
        final int author, final DirectBuffer key, final int keyLength, final DirectBuffer state, final int stateLength)
    {
        final long keyHash = hash(key, 0, keyLength);
        final KeyState ks = keys.get(key, 0, keyLength, keyHash);
        if (null != ks && ks.phase != KeyState.IDLE && ks.phase != KeyState.BACKOFF)
        {
            // that operation may fail (its round times out): the key is fetched from the author once it is idle
            stats.stateTransferKeysSkipped++;
            ks.transferSkippedFrom = author;
            return false;
        }
        if (0 == stateLength)
        {
            // too large for a chunk: fetched on its own, installed when the KeyState comes
            final KeyState large = null != ks ? ks : keys.getOrCreate(key, 0, keyLength, keyHash);
            sendFetch(large, author);
            return false;
        }
        if (!store.installKey(state, 0, stateLength))
        {
            return false;
        }
        stats.keysInstalled++;
        if (null != ks)
        {
            afterInstall(ks);
            keys.releaseIfIdle(ks);
        }
        return true;
    }

    /** After an install (fetched or transferred): drop what it decided and apply the commits waiting behind it. */
    private void afterInstall(final KeyState ks)
    {
        ks.decidedUpTo(store.committedSlot(ks.key, 0, ks.keyLength));
        tryApplyWaiting(ks);
        if (ks.waitingCount > 0)
        {
            ks.waitingSinceNs = nowNs;
        }
    }

    /** @return how many peers this replica is installing the whole state of (after stream resets). */
    public int stateTransfersActive()
    {
        return transfer.active();
    }

    /**
     * @return the binlog index from which this replica's authored records are still needed by a peer that was heard
     * from within the retention timeout, Long.MAX_VALUE when none: the store keeps binlog cycles from there.
     */
    public long retentionFloorLogIndex()
    {
        long floor = Long.MAX_VALUE;
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self && nowNs - peerHeartbeatNs[peer] < ctx.retentionPeerTimeoutNs)
            {
                floor = Math.min(floor, store.logIndexOfAuthored(peerCursorOfSelf[peer] + 1));
            }
        }
        return floor;
    }

    private void onBinlogBatch(final BinlogBatchDecoder decoder)
    {
        final int author = decoder.author();
        lastBatchNs[author] = nowNs;
        final long previous = decoder.previousAuthorIndex();
        final BinlogBatchDecoder.RecordsDecoder records = decoder.records();
        if (previous > cursor[author])
        {
            stats.streamGaps++;
            while (records.hasNext())
            {
                records.next().skipRecord();
            }
            requestCatchUp(author);
            return;
        }

        while (records.hasNext())
        {
            records.next();
            final long authorIndex = records.authorIndex();
            final int length = records.recordLength();
            records.wrapRecord(dataView);
            if (authorIndex <= cursor[author])
            {
                stats.duplicateRecords++;
                continue;
            }
            if (!view.wrap(dataView, 0, length) || view.author() != author || view.authorIndex() != authorIndex)
            {
                stats.corruptRecords++;
                requestCatchUp(author);
                return;
            }
            final long logIndex = store.appendReceived(dataView, 0, length);
            cursor[author] = authorIndex;
            stats.recordsReceived++;
            onStreamRecord(view, logIndex, author);
        }
        peerAuthoredHead[author] = Math.max(peerAuthoredHead[author], cursor[author]);
    }

    private void onStreamRecord(final RecordView record, final long logIndex, final int author)
    {
        final DirectBuffer key = record.keyBuffer();
        final int keyOffset = record.keyOffset();
        final int keyLength = record.keyLength();
        if (record.kind() == RecordView.Kind.VALUE)
        {
            if (record.slot() > store.committedSlot(key, keyOffset, keyLength))
            {
                final KeyState ks = keys.getOrCreate(key, keyOffset, keyLength, hash(key, keyOffset, keyLength));
                ks.addHeld(record.slot(), record.ballot(), logIndex, record.checksum());
                // a commit may have been waiting for this value
                tryApplyWaiting(ks);
                keys.releaseIfIdle(ks);
            }
        }
        else if (record.kind() == RecordView.Kind.COMMIT)
        {
            final KeyState ks = keys.getOrCreate(key, keyOffset, keyLength, hash(key, keyOffset, keyLength));
            onCommitLearned(ks, record.slot(), record.ballot(), author, true);
            keys.releaseIfIdle(ks);
        }
    }

    /**
     * A version was decided: apply the held value if this replica is at the version before, else wait for the
     * earlier versions (bounded), else fetch.
     */
    private void onCommitLearned(
        final KeyState ks, final long version, final long ballot, final int author, final boolean live)
    {
        final long committed = store.committedSlot(ks.key, 0, ks.keyLength);
        if (version <= committed)
        {
            return;
        }
        if (version == committed + 1)
        {
            final int held = ks.findHeld(version, ballot);
            if (held >= 0)
            {
                applyHeld(ks, held);
                tryApplyWaiting(ks);
                return;
            }
        }
        ks.addWaiting(version, ballot, author, nowNs);
        if (live && version == committed + 1 && ks.fetchId == 0)
        {
            // the value never reached us: fetch the decided state instead
            sendFetch(ks, author);
        }
    }

    private void applyHeld(final KeyState ks, final int held)
    {
        store.commit(ks.heldLogIndex[held]);
        stats.commitsApplied++;
        ks.decidedUpTo(store.committedSlot(ks.key, 0, ks.keyLength));
    }

    private void tryApplyWaiting(final KeyState ks)
    {
        boolean progress = true;
        while (progress && ks.waitingCount > 0)
        {
            progress = false;
            final long committed = store.committedSlot(ks.key, 0, ks.keyLength);
            ks.decidedUpTo(committed);
            final int waiting = ks.findWaiting(committed + 1);
            if (waiting >= 0)
            {
                final int held = ks.findHeld(ks.waitingSlot[waiting], ks.waitingBallot[waiting]);
                if (held >= 0)
                {
                    applyHeld(ks, held);
                    progress = true;
                }
            }
        }
    }

    private void onPrepareBatch(final PrepareBatchDecoder decoder)
    {
        final int from = decoder.from();
        final PrepareBatchDecoder.EntriesDecoder entries = decoder.entries();
        while (entries.hasNext())
        {
            entries.next();
            final long ballot = entries.ballot();
            final int keyLength = entries.keyLength();
            entries.wrapKey(keyView);
            if (keyLength < 1 || keyLength > MAX_KEY_LENGTH)
            {
                stats.malformed++;
                continue;
            }
            stats.preparesReceived++;
            long promised = store.promisedBallot(keyView, 0, keyLength);
            final boolean ok = ballot >= promised;
            if (ballot > promised)
            {
                store.appendPromise(keyView, 0, keyLength, ballot);
                promised = ballot;
            }
            final KeyState ks = keys.get(keyView, 0, keyLength, hash(keyView, 0, keyLength));
            if (null != ks && ballot > ks.maxBallotSeen)
            {
                ks.maxBallotSeen = ballot;
            }
            final long committed = store.committedSlot(keyView, 0, keyLength);
            final long committedBallot = store.committedBallot(keyView, 0, keyLength);
            long pendingBallot = 0;
            long pendingSlot = 0;
            copyLength = 0;
            if (ok && null != ks && ks.pendingSlot == committed + 1 && ks.pendingSlot != 0)
            {
                pendingBallot = ks.pendingBallot;
                pendingSlot = ks.pendingSlot;
                store.read(ks.pendingLogIndex, copyRecord);
            }
            outboxes[from].promise(keyView, 0, keyLength, ballot, ok, promised, committed, committedBallot,
                pendingBallot, pendingSlot, copyBuffer, 0, copyLength);
        }
    }

    private void onAcceptBatch(final AcceptBatchDecoder decoder)
    {
        final int from = decoder.from();
        final AcceptBatchDecoder.EntriesDecoder entries = decoder.entries();
        while (entries.hasNext())
        {
            entries.next();
            final long ballot = entries.ballot();
            final long version = entries.slot();
            final long previousBallot = entries.previousBallot();
            final int checksum = entries.checksum();
            final int keyLength = entries.keyLength();
            entries.wrapKey(keyView);
            if (keyLength < 1 || keyLength > MAX_KEY_LENGTH || version < 1)
            {
                stats.malformed++;
                continue;
            }
            stats.acceptsReceived++;
            final AcceptResult result = accept(from, keyView, keyLength, ballot, version, previousBallot, checksum);
            outboxes[from].accepted(keyView, 0, keyLength, ballot, version, result,
                store.promisedBallot(keyView, 0, keyLength), store.committedSlot(keyView, 0, keyLength),
                store.committedBallot(keyView, 0, keyLength));
        }
    }

    private AcceptResult accept(
        final int from, final DirectBuffer key, final int keyLength, final long ballot, final long version,
        final long previousBallot, final int checksum)
    {
        final long promised = store.promisedBallot(key, 0, keyLength);
        if (ballot < promised)
        {
            return AcceptResult.REJECT;
        }
        long committed = store.committedSlot(key, 0, keyLength);
        if (version <= committed)
        {
            return version == committed && store.committedBallot(key, 0, keyLength) == ballot ?
                AcceptResult.OK : AcceptResult.STALE;
        }

        final long hash = hash(key, 0, keyLength);
        KeyState ks = keys.get(key, 0, keyLength, hash);
        if (version == committed + 2 && null != ks)
        {
            // the coordinator proposes version only after version-1 was decided at previousBallot
            final int held = ks.findHeld(committed + 1, previousBallot);
            if (held >= 0)
            {
                final int length = store.encodeCommit(key, 0, keyLength, committed + 1, previousBallot, from,
                    commitBuffer);
                store.appendReceived(commitBuffer, 0, length);
                applyHeld(ks, held);
                tryApplyWaiting(ks);
                committed = store.committedSlot(key, 0, keyLength);
            }
        }

        if (version == committed + 1)
        {
            final int held = null == ks ? -1 : ks.findHeld(version, ballot);
            if (held < 0 || ks.heldChecksum[held] != checksum)
            {
                stats.acceptsMissingValue++;
                return AcceptResult.MISSING;
            }
            store.appendAccepted(key, 0, keyLength, version, ballot);
            ks.pendingBallot = ballot;
            ks.pendingSlot = version;
            ks.pendingLogIndex = ks.heldLogIndex[held];
            if (ballot > ks.maxBallotSeen)
            {
                ks.maxBallotSeen = ballot;
            }
            return AcceptResult.OK;
        }

        if (null == ks)
        {
            ks = keys.getOrCreate(key, 0, keyLength, hash);
        }
        if (ks.fetchId == 0)
        {
            sendFetch(ks, from);
        }
        stats.acceptsBehind++;
        return AcceptResult.BEHIND;
    }

    private void onPromiseBatch(final PromiseBatchDecoder decoder)
    {
        final int from = decoder.from();
        final int bit = 1 << from;
        final PromiseBatchDecoder.EntriesDecoder entries = decoder.entries();
        while (entries.hasNext())
        {
            entries.next();
            final long ballot = entries.ballot();
            final boolean ok = entries.ok() == BooleanType.TRUE;
            final long promised = entries.promised();
            final long committed = entries.committedSlot();
            final long committedBallot = entries.committedBallot();
            final long pendingBallot = entries.pendingBallot();
            final long pendingSlot = entries.pendingSlot();
            final int keyLength = entries.keyLength();
            entries.wrapKey(keyView);
            final int recordLength = entries.pendingRecordLength();
            entries.wrapPendingRecord(dataView);

            final KeyState ks = keys.get(keyView, 0, keyLength, hash(keyView, 0, keyLength));
            if (null == ks || ks.phase != KeyState.PREPARE || ks.ballot != ballot || (ks.replied & bit) != 0)
            {
                continue;
            }
            ks.replied |= bit;
            if (!ok)
            {
                if (promised > ks.maxBallotSeen)
                {
                    ks.maxBallotSeen = promised;
                }
                stats.preparesRejected++;
                backoff(ks);
                continue;
            }
            ks.oks |= bit;
            aggregatePromise(ks, from, committed, committedBallot, pendingBallot, pendingSlot, dataView, 0,
                recordLength);
            checkPrepared(ks);
        }
    }

    private void aggregatePromise(
        final KeyState ks, final int from, final long committed, final long committedBallot, final long pendingBallot,
        final long pendingSlot, final DirectBuffer record, final int recordOffset, final int recordLength)
    {
        if (committed > ks.p1CommittedSlot)
        {
            ks.p1CommittedSlot = committed;
            ks.p1CommittedBallot = committedBallot;
            ks.p1CommittedFrom = from;
        }
        if (pendingSlot > 0 && recordLength > 0 && (pendingSlot > ks.p1PendingSlot ||
            (pendingSlot == ks.p1PendingSlot && pendingBallot > ks.p1PendingBallot)))
        {
            ks.p1PendingSlot = pendingSlot;
            ks.p1PendingBallot = pendingBallot;
            ks.p1PendingRecord.putBytes(0, record, recordOffset, recordLength);
            ks.p1PendingRecordLength = recordLength;
        }
    }

    private void onAcceptedBatch(final AcceptedBatchDecoder decoder)
    {
        final int from = decoder.from();
        final int bit = 1 << from;
        final AcceptedBatchDecoder.EntriesDecoder entries = decoder.entries();
        while (entries.hasNext())
        {
            entries.next();
            final long ballot = entries.ballot();
            final long version = entries.slot();
            final AcceptResult result = entries.result();
            final long promised = entries.promised();
            final int keyLength = entries.keyLength();
            entries.wrapKey(keyView);

            final KeyState ks = keys.get(keyView, 0, keyLength, hash(keyView, 0, keyLength));
            if (null == ks || ks.phase != KeyState.ACCEPT || ks.ballot != ballot || ks.proposalSlot != version ||
                (ks.replied & bit) != 0)
            {
                continue;
            }
            switch (result)
            {
                case OK:
                    ks.replied |= bit;
                    ks.oks |= bit;
                    checkDecided(ks);
                    break;
                case REJECT:
                case STALE:
                    ks.replied |= bit;
                    if (promised > ks.maxBallotSeen)
                    {
                        ks.maxBallotSeen = promised;
                    }
                    stats.acceptsRejected++;
                    backoff(ks);
                    break;
                default:
                    // MISSING or BEHIND: the value or the state is on its way; the round timer resends
                    break;
            }
        }
    }

    private void onReadBatch(final ReadBatchDecoder decoder)
    {
        final int from = decoder.from();
        final ReadBatchDecoder.EntriesDecoder entries = decoder.entries();
        while (entries.hasNext())
        {
            entries.next();
            final long readId = entries.readId();
            final int keyLength = entries.keyLength();
            entries.wrapKey(keyView);
            if (keyLength < 1 || keyLength > MAX_KEY_LENGTH)
            {
                stats.malformed++;
                continue;
            }
            final long committed = store.committedSlot(keyView, 0, keyLength);
            final KeyState ks = keys.get(keyView, 0, keyLength, hash(keyView, 0, keyLength));
            final long pending = null != ks && ks.pendingSlot > committed ? ks.pendingSlot : 0;
            outboxes[from].readReply(readId, committed, store.committedBallot(keyView, 0, keyLength), pending);
        }
    }

    private void onReadReplyBatch(final ReadReplyBatchDecoder decoder)
    {
        final int from = decoder.from();
        final ReadReplyBatchDecoder.EntriesDecoder entries = decoder.entries();
        while (entries.hasNext())
        {
            entries.next();
            final ReadOp read = reads.get(entries.readId());
            if (null == read || read.state != ReadOp.VOTING || (read.replied & (1 << from)) != 0)
            {
                continue;
            }
            aggregateRead(read, from, entries.committedSlot(), entries.committedBallot(), entries.pendingSlot());
        }
    }

    private void onFetchKey(final FetchKeyDecoder decoder)
    {
        final int from = decoder.from();
        final long fetchId = decoder.fetchId();
        final long haveVersion = decoder.haveSlot();
        final int keyLength = decoder.keyLength();
        decoder.wrapKey(keyView);
        if (keyLength < 1 || keyLength > MAX_KEY_LENGTH)
        {
            stats.malformed++;
            return;
        }
        stats.fetchesServed++;
        final long committed = store.committedSlot(keyView, 0, keyLength);
        final int stateLength = committed > haveVersion ?
            store.exportKey(keyView, 0, keyLength, recordBuffer) : 0;
        keyStateEncoder.wrapAndApplyHeader(messageBuffer, 0, headerEncoder)
            .groupId(groupId)
            .from((short)self)
            .fetchId(fetchId)
            .slot(committed)
            .ballot(store.committedBallot(keyView, 0, keyLength))
            .putKey(keyView, 0, keyLength)
            .putState(recordBuffer, 0, stateLength);
        outboxes[from].message(messageBuffer, 0, HEADER + keyStateEncoder.encodedLength());
    }

    private void onKeyState(final KeyStateDecoder decoder)
    {
        final long fetchId = decoder.fetchId();
        final int keyLength = decoder.keyLength();
        decoder.wrapKey(keyView);
        final int stateLength = decoder.stateLength();
        decoder.wrapState(dataView);
        KeyState ks = fetches.remove(fetchId);
        if (null == ks || ks.fetchId != fetchId)
        {
            // the answer to an earlier attempt of a fetch since sent again: it answers the pending one as well (a
            // peer's decided state, installed only when newer; whoever waits checks again), so a peer slower than
            // the fetch timeout still gets its answers through
            ks = keyLength > 0 && keyLength <= MAX_KEY_LENGTH ?
                keys.get(keyView, 0, keyLength, hash(keyView, 0, keyLength)) : null;
            if (null == ks || 0 == ks.fetchId)
            {
                return;
            }
            fetches.remove(ks.fetchId);
        }
        ks.fetchId = 0;
        ks.fetchAttempts = 0;
        if (stateLength > 0 && store.installKey(dataView, 0, stateLength))
        {
            stats.keysInstalled++;
        }
        afterInstall(ks);
        resumeAfterFetch(ks);
        keys.releaseIfIdle(ks);
    }

    private void resumeAfterFetch(final KeyState ks)
    {
        ReadOp waiter = ks.fetchWaiters;
        ks.fetchWaiters = null;
        while (null != waiter)
        {
            final ReadOp next = waiter.nextWaiter;
            waiter.nextWaiter = null;
            serveOrFetch(waiter);
            waiter = next;
        }
        if (ks.phase == KeyState.FETCH)
        {
            afterPrepare(ks);
        }
    }

    private void abandonFetch(final KeyState ks)
    {
        ks.fetchAttempts = 0;
        ReadOp waiter = ks.fetchWaiters;
        ks.fetchWaiters = null;
        while (null != waiter)
        {
            final ReadOp next = waiter.nextWaiter;
            waiter.nextWaiter = null;
            finishRead(waiter, ResultCode.UNAVAILABLE);
            waiter = next;
        }
        if (ks.phase == KeyState.FETCH)
        {
            backoff(ks);
        }
    }

    private void sendFetch(final KeyState ks, final int from)
    {
        if (ks.fetchId != 0)
        {
            return;
        }
        final int target = from == self || from < 0 || from >= replicaCount ? nextPeer(self) : from;
        ks.fetchId = ++nextFetchId;
        ks.fetchFrom = target;
        // each attempt waits longer (up to 4 times): a peer slow to answer is not sent the same fetch ever faster
        ks.fetchDeadlineNs = nowNs + (ctx.roundTimeoutNs * 2 << Math.min(ks.fetchAttempts, 2));
        fetches.put(ks.fetchId, ks);
        stats.fetchesSent++;
        fetchKeyEncoder.wrapAndApplyHeader(messageBuffer, 0, headerEncoder)
            .groupId(groupId)
            .from((short)self)
            .fetchId(ks.fetchId)
            .haveSlot(store.committedSlot(ks.key, 0, ks.keyLength))
            .putKey(ks.key, 0, ks.keyLength);
        outboxes[target].message(messageBuffer, 0, HEADER + fetchKeyEncoder.encodedLength());
    }

    // ---------------------------------------------------------------------------------------------------------
    // inbound: clients
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A KvRequest from a client. Malformed requests are dropped and counted; invalid ones are answered with a
     * result code.
     *
     * @param clientSession the transport's name for the client, used to reply.
     * @return 1 when handled.
     */
    public int onClientMessage(final long clientSession, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return 0;
        }
        if (length < HEADER)
        {
            stats.malformed++;
            return 0;
        }
        inbound.wrap(buffer, offset, length);
        headerDecoder.wrap(inbound, 0);
        if (headerDecoder.schemaId() != SCHEMA_ID || headerDecoder.templateId() != KvRequestDecoder.TEMPLATE_ID ||
            headerDecoder.version() < 1 || headerDecoder.blockLength() > length - HEADER)
        {
            stats.malformed++;
            return 0;
        }

        final long correlationId;
        final KvOp op;
        final int keyOffset;
        final int keyLength;
        final long clientId;
        final long sequence;
        try
        {
            requestDecoder.wrap(inbound, HEADER, headerDecoder.blockLength(), headerDecoder.version());
            correlationId = requestDecoder.correlationId();
            clientId = requestDecoder.clientId();
            sequence = requestDecoder.requestSequence();
            op = requestDecoder.op();
            final KvRequestDecoder.RowsDecoder rows = requestDecoder.rows();
            while (rows.hasNext())
            {
                rows.next().skipRowKey();
                rows.skipRowValue();
            }
            keyLength = requestDecoder.keyLength();
            keyOffset = requestDecoder.limit() + KvRequestDecoder.keyHeaderLength();
            requestDecoder.skipKey();
            requestDecoder.skipRowKey();
            requestDecoder.skipRowKeyEnd();
            requestDecoder.skipValue();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            stats.malformed++;
            return 0;
        }
        stats.requests++;

        if (keyLength < 1 || keyLength > MAX_KEY_LENGTH)
        {
            reply(clientSession, correlationId, ResultCode.KEY_TOO_LARGE, 0);
            return 1;
        }
        final int owner = router.groupOf(inbound, keyOffset, keyLength);
        if (owner != groupId)
        {
            stats.wrongGroup++;
            replyWrongGroup(clientSession, correlationId, owner);
            return 1;
        }
        if (inFlight >= ctx.maxInFlight)
        {
            stats.busy++;
            reply(clientSession, correlationId, ResultCode.BUSY, 0);
            return 1;
        }

        switch (op)
        {
            case GET:
            case ROW_GET:
            case SCAN:
                startRead(clientSession, correlationId, offset, length, keyOffset, keyLength, buffer);
                break;
            case PUT:
            case DELETE:
            case PUT_IF_VERSION:
            case PUT_IF_ABSENT:
            case ROW_PUT:
            case ROW_DELETE:
            case ROW_APPEND:
            case TABLE_BATCH:
                enqueueWrite(clientSession, correlationId, clientId, sequence, buffer, offset, length, keyOffset,
                    keyLength);
                break;
            default:
                reply(clientSession, correlationId, ResultCode.INVALID_REQUEST, 0);
                break;
        }
        return 1;
    }

    private void enqueueWrite(
        final long clientSession, final long correlationId, final long clientId, final long sequence,
        final DirectBuffer buffer, final int offset, final int length, final int keyOffset, final int keyLength)
    {
        final KeyState ks = keys.getOrCreate(inbound, keyOffset, keyLength, hash(inbound, keyOffset, keyLength));
        for (ClientOp queued = ks.opHead; null != queued; queued = queued.next)
        {
            if (!queued.completeOnly && queued.clientId == clientId && queued.requestSequence == sequence)
            {
                // a retry of a write still queued here joins it: one proposal, the latest attempt gets the answer
                stats.retriesJoined++;
                queued.clientSession = clientSession;
                queued.correlationId = correlationId;
                return;
            }
        }
        final ClientOp op = opPool.isEmpty() ? new ClientOp() : opPool.pollFirst();
        op.init(buffer, offset, length);
        op.clientSession = clientSession;
        op.correlationId = correlationId;
        op.clientId = clientId;
        op.requestSequence = sequence;
        op.deadlineNs = nowNs + ctx.opTimeoutNs;
        inFlight++;
        enqueue(ks, op);
    }

    private void enqueue(final KeyState ks, final ClientOp op)
    {
        if (null == ks.opTail)
        {
            ks.opHead = op;
            ks.opTail = op;
        }
        else
        {
            ks.opTail.next = op;
            ks.opTail = op;
        }
        if (ks.phase == KeyState.IDLE && ks.opHead == op)
        {
            startHead(ks);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // coordinator: writes
    // ---------------------------------------------------------------------------------------------------------

    private void startHead(final KeyState ks)
    {
        while (null != ks.opHead)
        {
            final ClientOp op = ks.opHead;
            if (!op.completeOnly && store.findApplied(op.clientId, op.requestSequence))
            {
                stats.duplicatesAnswered++;
                popHead(ks);
                reply(op.clientSession, op.correlationId, store.appliedResult(), store.appliedVersion());
                releaseOp(op);
                continue;
            }

            final long promised = store.promisedBallot(ks.key, 0, ks.keyLength);
            final long committed = store.committedSlot(ks.key, 0, ks.keyLength);
            final boolean pendingHere = ks.pendingSlot == committed + 1 && ks.pendingSlot != 0;
            if (!op.completeOnly && promised != 0 && Ballots.replica(promised) == self && !pendingHere &&
                ks.waitingCount == 0)
            {
                // this replica holds the key's ballot: one round trip
                ks.ballot = promised;
                ks.roundAttempts = 0;
                stats.fastPathWrites++;
                evaluateAndPropose(ks);
            }
            else
            {
                startPrepare(ks);
            }
            return;
        }
        ks.phase = KeyState.IDLE;
        keys.releaseIfIdle(ks);
    }

    private void startPrepare(final KeyState ks)
    {
        final long promised = store.promisedBallot(ks.key, 0, ks.keyLength);
        final long ballot = Ballots.next(Math.max(promised, Math.max(ks.maxBallotSeen, ks.ballot)), self);
        ks.ballot = ballot;
        ks.phase = KeyState.PREPARE;
        ks.reproposing = false;
        ks.startRound(nowNs + ctx.roundTimeoutNs);
        stats.preparesSent++;

        ks.selfLogIndex = store.appendPromise(ks.key, 0, ks.keyLength, ballot);
        awaitingSync.add(ks);

        final long committed = store.committedSlot(ks.key, 0, ks.keyLength);
        ks.p1CommittedSlot = committed;
        ks.p1CommittedBallot = store.committedBallot(ks.key, 0, ks.keyLength);
        ks.p1CommittedFrom = self;
        ks.p1PendingBallot = 0;
        ks.p1PendingSlot = 0;
        ks.p1PendingRecordLength = 0;
        if (ks.pendingSlot == committed + 1 && ks.pendingSlot != 0)
        {
            copyLength = 0;
            store.read(ks.pendingLogIndex, copyRecord);
            aggregatePromise(ks, self, committed, ks.p1CommittedBallot, ks.pendingBallot, ks.pendingSlot,
                copyBuffer, 0, copyLength);
        }
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self)
            {
                outboxes[peer].prepare(ks.key, 0, ks.keyLength, ballot);
            }
        }
    }

    private void checkPrepared(final KeyState ks)
    {
        if (ks.phase == KeyState.PREPARE && ks.selfCounted && Integer.bitCount(ks.oks) + 1 >= majority)
        {
            afterPrepare(ks);
        }
    }

    private void afterPrepare(final KeyState ks)
    {
        ks.roundAttempts = 0;
        final long local = store.committedSlot(ks.key, 0, ks.keyLength);
        if (local < ks.p1CommittedSlot)
        {
            // try the value held here before fetching
            tryApplyWaiting(ks);
            final long after = store.committedSlot(ks.key, 0, ks.keyLength);
            if (after < ks.p1CommittedSlot)
            {
                if (after == ks.p1CommittedSlot - 1)
                {
                    final int held = ks.findHeld(ks.p1CommittedSlot, ks.p1CommittedBallot);
                    if (held >= 0)
                    {
                        applyHeld(ks, held);
                        afterPrepare(ks);
                        return;
                    }
                }
                ks.phase = KeyState.FETCH;
                sendFetch(ks, ks.p1CommittedFrom);
                return;
            }
        }

        final long committed = store.committedSlot(ks.key, 0, ks.keyLength);
        if (ks.p1PendingSlot == committed + 1 && ks.p1PendingRecordLength > 0)
        {
            if (!heldView.wrap(ks.p1PendingRecord, 0, ks.p1PendingRecordLength))
            {
                stats.corruptRecords++;
                backoff(ks);
                return;
            }
            final int length = store.reballot(heldView, ks.ballot, self, recordBuffer);
            ks.reproposing = true;
            stats.reproposals++;
            propose(ks, length);
            return;
        }
        evaluateAndPropose(ks);
    }

    private void evaluateAndPropose(final KeyState ks)
    {
        final ClientOp op = ks.opHead;
        if (null == op)
        {
            ks.phase = KeyState.IDLE;
            return;
        }
        if (op.completeOnly)
        {
            popHead(ks);
            final ReadOp read = op.readToResume;
            releaseOp(op);
            if (null != read)
            {
                startReadRound(read);
            }
            startHead(ks);
            return;
        }
        if (store.promisedBallot(ks.key, 0, ks.keyLength) > ks.ballot)
        {
            // this replica promised a higher ballot since: its own vote at ks.ballot would break that promise
            backoff(ks);
            return;
        }
        if (store.findApplied(op.clientId, op.requestSequence))
        {
            // decided meanwhile (a retry that another coordinator, or a re-proposal, completed)
            stats.duplicatesAnswered++;
            popHead(ks);
            reply(op.clientSession, op.correlationId, store.appliedResult(), store.appliedVersion());
            releaseOp(op);
            startHead(ks);
            return;
        }

        requestDecoder.wrapAndApplyHeader(op.request, 0, headerDecoder);
        final int result = store.evaluate(requestDecoder, ks.ballot, self, recordBuffer);
        if (result == ResultCode.OK)
        {
            // a change, or a no-op recording a failed condition: either way decided, so a retry of the same
            // request elsewhere can never apply it later
            propose(ks, store.proposalLength());
        }
        else
        {
            popHead(ks);
            reply(op.clientSession, op.correlationId, result, store.version(ks.key, 0, ks.keyLength));
            releaseOp(op);
            startHead(ks);
        }
    }

    private void propose(final KeyState ks, final int length)
    {
        if (!view.wrap(recordBuffer, 0, length))
        {
            errorHandler.onError(new IllegalStateException("store encoded an invalid proposal"));
            failHead(ks, ResultCode.INTERNAL_ERROR);
            return;
        }
        final long version = view.slot();
        final long logIndex = store.appendAuthored(recordBuffer, 0, length);
        view.wrap(recordBuffer, 0, length);
        final int checksum = view.checksum();
        ks.proposalSlot = version;
        ks.proposalLogIndex = logIndex;
        ks.proposalChecksum = checksum;
        ks.previousBallot = store.committedBallot(ks.key, 0, ks.keyLength);
        ks.addHeld(version, ks.ballot, logIndex, checksum);
        ks.pendingBallot = ks.ballot;
        ks.pendingSlot = version;
        ks.pendingLogIndex = logIndex;
        ks.phase = KeyState.ACCEPT;
        ks.startRound(nowNs + ctx.roundTimeoutNs);
        ks.selfLogIndex = logIndex;
        awaitingSync.add(ks);
        stats.proposals++;
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self)
            {
                outboxes[peer].accept(ks.key, 0, ks.keyLength, ks.ballot, version, ks.previousBallot, checksum);
            }
        }
    }

    private void checkDecided(final KeyState ks)
    {
        if (ks.phase == KeyState.ACCEPT && ks.selfCounted && Integer.bitCount(ks.oks) + 1 >= majority)
        {
            decide(ks);
        }
    }

    private void decide(final KeyState ks)
    {
        final long version = ks.proposalSlot;
        final int length = store.encodeCommit(ks.key, 0, ks.keyLength, version, ks.ballot, self, commitBuffer);
        store.appendAuthored(commitBuffer, 0, length);
        // the slot may already be applied here: learned from another coordinator that completed this very value
        final boolean appliedHere = store.committedSlot(ks.key, 0, ks.keyLength) >= version;
        final int result = appliedHere ? ResultCode.OK : store.commit(ks.proposalLogIndex);
        stats.decided++;
        ks.decidedUpTo(store.committedSlot(ks.key, 0, ks.keyLength));
        ks.phase = KeyState.IDLE;
        ks.roundAttempts = 0;

        if (ks.reproposing)
        {
            ks.reproposing = false;
            ks.phase = KeyState.PREPARE;
            // still holding the ballot on a majority: go on with the operation that asked for the round
            evaluateAndPropose(ks);
            return;
        }
        final ClientOp op = ks.opHead;
        if (null != op && !op.completeOnly)
        {
            popHead(ks);
            if (appliedHere && store.findApplied(op.clientId, op.requestSequence))
            {
                reply(op.clientSession, op.correlationId, store.appliedResult(), store.appliedVersion());
            }
            else
            {
                reply(op.clientSession, op.correlationId, result, store.version(ks.key, 0, ks.keyLength));
            }
            releaseOp(op);
        }
        startHead(ks);
    }

    private void failHead(final KeyState ks, final int result)
    {
        final ClientOp op = ks.opHead;
        if (null == op)
        {
            return;
        }
        popHead(ks);
        if (op.completeOnly)
        {
            if (null != op.readToResume)
            {
                finishRead(op.readToResume, result);
            }
        }
        else
        {
            reply(op.clientSession, op.correlationId, result, 0);
        }
        releaseOp(op);
        ks.phase = KeyState.IDLE;
        startHead(ks);
    }

    private void popHead(final KeyState ks)
    {
        final ClientOp op = ks.opHead;
        ks.opHead = op.next;
        if (null == ks.opHead)
        {
            ks.opTail = null;
        }
        op.next = null;
    }

    private void releaseOp(final ClientOp op)
    {
        if (!op.completeOnly)
        {
            inFlight--;
        }
        op.reset();
        opPool.addLast(op);
    }

    // ---------------------------------------------------------------------------------------------------------
    // coordinator: reads
    // ---------------------------------------------------------------------------------------------------------

    private void startRead(
        final long clientSession, final long correlationId, final int offset, final int length, final int keyOffset,
        final int keyLength, final DirectBuffer buffer)
    {
        final ReadOp read = readPool.isEmpty() ? new ReadOp() : readPool.pollFirst();
        read.init(buffer, offset, length);
        read.keyOffset = keyOffset;
        read.keyLength = keyLength;
        read.readId = ++nextReadId;
        read.clientSession = clientSession;
        read.correlationId = correlationId;
        read.deadlineNs = nowNs + ctx.opTimeoutNs;
        read.attempts = 0;
        reads.put(read.readId, read);
        inFlight++;
        stats.reads++;
        startReadRound(read);
    }

    private void startReadRound(final ReadOp read)
    {
        read.startRound(nowNs + ctx.roundTimeoutNs);
        final DirectBuffer key = read.request;
        final long committed = store.committedSlot(key, read.keyOffset, read.keyLength);
        final KeyState ks = keys.get(key, read.keyOffset, read.keyLength, hash(key, read.keyOffset, read.keyLength));
        final long pending = null != ks && ks.pendingSlot > committed ? ks.pendingSlot : 0;
        aggregateRead(read, self, committed, store.committedBallot(key, read.keyOffset, read.keyLength), pending);
        if (read.state == ReadOp.VOTING)
        {
            for (int peer = 0; peer < replicaCount; peer++)
            {
                if (peer != self)
                {
                    outboxes[peer].read(read.readId, key, read.keyOffset, read.keyLength);
                }
            }
        }
    }

    private void aggregateRead(
        final ReadOp read, final int from, final long committed, final long committedBallot, final long pending)
    {
        read.replied |= 1 << from;
        if (committed > read.maxCommittedSlot)
        {
            read.maxCommittedSlot = committed;
            read.maxCommittedBallot = committedBallot;
            read.maxCommittedFrom = from;
        }
        if (pending > read.maxPendingSlot)
        {
            read.maxPendingSlot = pending;
        }
        if (Integer.bitCount(read.replied) >= majority)
        {
            evaluateRead(read);
        }
    }

    private void evaluateRead(final ReadOp read)
    {
        if (read.maxPendingSlot > read.maxCommittedSlot)
        {
            // a write is in flight: wait for it a little, then complete it ourselves
            stats.readsUnsettled++;
            if (++read.attempts <= ctx.readRetries)
            {
                read.state = ReadOp.WAIT_RETRY;
                read.roundDeadlineNs = nowNs + ctx.readRetryNs;
            }
            else
            {
                read.state = ReadOp.WAIT_WRITE;
                final KeyState ks = keys.getOrCreate(read.request, read.keyOffset, read.keyLength,
                    hash(read.request, read.keyOffset, read.keyLength));
                final ClientOp op = opPool.isEmpty() ? new ClientOp() : opPool.pollFirst();
                op.completeOnly = true;
                op.readToResume = read;
                op.deadlineNs = read.deadlineNs;
                enqueue(ks, op);
            }
            return;
        }
        serveOrFetch(read);
    }

    private void serveOrFetch(final ReadOp read)
    {
        final DirectBuffer key = read.request;
        final long local = store.committedSlot(key, read.keyOffset, read.keyLength);
        if (local >= read.maxCommittedSlot)
        {
            serve(read);
            return;
        }
        final KeyState ks = keys.getOrCreate(key, read.keyOffset, read.keyLength,
            hash(key, read.keyOffset, read.keyLength));
        if (local == read.maxCommittedSlot - 1)
        {
            final int held = ks.findHeld(read.maxCommittedSlot, read.maxCommittedBallot);
            if (held >= 0)
            {
                applyHeld(ks, held);
                keys.releaseIfIdle(ks);
                serve(read);
                return;
            }
        }
        if (++read.fetches > 3)
        {
            // the replicas that reported the version keep answering with older state (one lost its tail): ask again
            read.fetches = 0;
            read.state = ReadOp.WAIT_RETRY;
            read.roundDeadlineNs = nowNs + ctx.readRetryNs;
            return;
        }
        stats.readsFetched++;
        read.state = ReadOp.WAIT_FETCH;
        read.nextWaiter = ks.fetchWaiters;
        ks.fetchWaiters = read;
        sendFetch(ks, read.maxCommittedFrom);
    }

    private void serve(final ReadOp read)
    {
        requestDecoder.wrapAndApplyHeader(read.request, 0, headerDecoder);
        responseEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .correlationId(read.correlationId)
            .hintGroupId(groupId)
            .more(BooleanType.FALSE);
        final int result = store.serve(requestDecoder, responseEncoder);
        responseEncoder.result(result);
        sendReply(read.clientSession, HEADER + responseEncoder.encodedLength());
        releaseRead(read);
    }

    private void finishRead(final ReadOp read, final int result)
    {
        reply(read.clientSession, read.correlationId, result, 0);
        releaseRead(read);
    }

    private void releaseRead(final ReadOp read)
    {
        reads.remove(read.readId);
        inFlight--;
        read.reset();
        readPool.addLast(read);
    }

    private int onReadTimer(final ReadOp read)
    {
        if (nowNs - read.deadlineNs > 0 && read.state != ReadOp.WAIT_WRITE && read.state != ReadOp.WAIT_FETCH)
        {
            stats.opsTimedOut++;
            finishRead(read, ResultCode.UNAVAILABLE);
            return 1;
        }
        if (read.state == ReadOp.WAIT_RETRY && nowNs - read.roundDeadlineNs >= 0)
        {
            startReadRound(read);
            return 1;
        }
        if (read.state == ReadOp.VOTING && nowNs - read.roundDeadlineNs > 0)
        {
            read.roundDeadlineNs = nowNs + ctx.roundTimeoutNs;
            for (int peer = 0; peer < replicaCount; peer++)
            {
                if (peer != self && (read.replied & (1 << peer)) == 0)
                {
                    outboxes[peer].read(read.readId, read.request, read.keyOffset, read.keyLength);
                }
            }
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // replies
    // ---------------------------------------------------------------------------------------------------------

    private void reply(final long clientSession, final long correlationId, final int result, final long version)
    {
        responseEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .result(result)
            .version(version)
            .hintGroupId(groupId)
            .more(BooleanType.FALSE);
        responseEncoder.rowsCount(0);
        responseEncoder.putValue(replyBuffer, 0, 0);
        sendReply(clientSession, HEADER + responseEncoder.encodedLength());
    }

    private void replyWrongGroup(final long clientSession, final long correlationId, final int owner)
    {
        responseEncoder.wrapAndApplyHeader(replyBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .result(ResultCode.WRONG_GROUP)
            .version(0)
            .hintGroupId(owner)
            .more(BooleanType.FALSE);
        responseEncoder.rowsCount(0);
        responseEncoder.putValue(replyBuffer, 0, 0);
        sendReply(clientSession, HEADER + responseEncoder.encodedLength());
    }

    private void sendReply(final long clientSession, final int length)
    {
        if (clients.reply(clientSession, replyBuffer, 0, length))
        {
            stats.replies++;
        }
        else
        {
            stats.repliesDropped++;
        }
    }

    private static long hash(final DirectBuffer buffer, final int offset, final int length)
    {
        return KeyHash.hash(buffer, offset, length);
    }

    /**
     * @return the lowest binlog index recovery must still replay for this replica's votes and held values on
     * undecided slots, Long.MAX_VALUE when none (asked when the store starts a snapshot).
     */
    public long oldestNeededLogIndex()
    {
        oldestNeeded = Long.MAX_VALUE;
        keys.forEach(oldestNeededOf, keyScratchFor(keys.size()));
        return oldestNeeded;
    }

    private long oldestNeeded;
    private final java.util.function.Consumer<KeyState> oldestNeededOf = ks ->
    {
        if (ks.pendingSlot != 0)
        {
            oldestNeeded = Math.min(oldestNeeded, ks.pendingLogIndex);
        }
        for (int i = 0; i < ks.heldCount; i++)
        {
            oldestNeeded = Math.min(oldestNeeded, ks.heldLogIndex[i]);
        }
    };

    private KeyState[] keyScratchFor(final int size)
    {
        if (keyScratch.length < size)
        {
            keyScratch = new KeyState[size * 2];
        }
        return keyScratch;
    }

    /**
     * @return how many records this replica still misses of its peers' authored streams, as far as their heartbeats
     * tell: 0 when it has caught up.
     */
    public long catchUpLag()
    {
        long lag = 0;
        for (int peer = 0; peer < replicaCount; peer++)
        {
            if (peer != self && peerAuthoredHead[peer] > cursor[peer])
            {
                lag += peerAuthoredHead[peer] - cursor[peer];
            }
        }
        return lag;
    }

    /**
     * @return how many records of this replica's authored stream a peer has not reported holding, as the last
     * heartbeats both ways tell: 0 once the peer has caught up with this replica's stream.
     */
    public long peerStreamLag(final int peer)
    {
        return Math.max(0, announcedHead - peerCursorOfSelf[peer]);
    }

    /** @return requests (reads and writes) in progress here. */
    public int inFlight()
    {
        return inFlight;
    }

    /** @return keys with in-memory activity (coordination, votes, held values). */
    public int activeKeys()
    {
        return keys.size();
    }

    public void close()
    {
        closed = true;
    }

    /**
     * Settings of a {@link Replica}.
     */
    public static final class Context
    {
        private int groupId;
        private int replicaIndex = -1;
        private int replicaCount;
        private ReplicaStore store;
        private PeerTransport peerTransport;
        private ClientTransport clientTransport;
        private KeyRouter router;
        private ErrorHandler errorHandler = Throwable::printStackTrace;
        private long randomSeed = System.nanoTime();
        private int maxMessageLength = ReplicationConfiguration.maxMessageLength();
        private int maxShipBytes = ReplicationConfiguration.maxShipBytes();
        private int maxInFlight = ReplicationConfiguration.maxInFlight();
        private long roundTimeoutNs = ReplicationConfiguration.roundTimeoutNs();
        private long maxBackoffNs = ReplicationConfiguration.maxBackoffNs();
        private long opTimeoutNs = ReplicationConfiguration.opTimeoutNs();
        private long readRetryNs = ReplicationConfiguration.readRetryNs();
        private int readRetries = ReplicationConfiguration.readRetries();
        private int maxRoundAttempts = ReplicationConfiguration.maxRoundAttempts();
        private long commitWaitNs = ReplicationConfiguration.commitWaitNs();
        private long heartbeatIntervalNs = ReplicationConfiguration.heartbeatIntervalNs();
        private long tickIntervalNs = TimeUnit.MILLISECONDS.toNanos(1);
        private long retentionPeerTimeoutNs = ReplicationConfiguration.retentionPeerTimeoutNs();

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (replicaCount < 1 || replicaCount > 31 || replicaCount % 2 == 0)
            {
                throw new IllegalArgumentException("replicaCount=" + replicaCount + " must be odd and in [1, 31]");
            }
            if (replicaIndex < 0 || replicaIndex >= replicaCount)
            {
                throw new IllegalArgumentException("replicaIndex=" + replicaIndex + " must be in [0, replicaCount)");
            }
            if (null == store)
            {
                throw new IllegalArgumentException("store must be set");
            }
            if (null == peerTransport)
            {
                throw new IllegalArgumentException("peerTransport must be set");
            }
            if (null == clientTransport)
            {
                throw new IllegalArgumentException("clientTransport must be set");
            }
            if (null == router)
            {
                final int group = groupId;
                router = (key, offset, length) -> group;
            }
            if (maxMessageLength < 4096)
            {
                throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " must be >= 4096");
            }
            if (roundTimeoutNs <= 0 || opTimeoutNs <= roundTimeoutNs)
            {
                throw new IllegalArgumentException("opTimeoutNs=" + opTimeoutNs +
                    " must exceed roundTimeoutNs=" + roundTimeoutNs + " > 0");
            }
            if (maxBackoffNs <= 0)
            {
                throw new IllegalArgumentException("maxBackoffNs=" + maxBackoffNs + " must be > 0");
            }
            return this;
        }

        public Context groupId(final int groupId)
        {
            this.groupId = groupId;
            return this;
        }

        public Context replicaIndex(final int replicaIndex)
        {
            this.replicaIndex = replicaIndex;
            return this;
        }

        public Context replicaCount(final int replicaCount)
        {
            this.replicaCount = replicaCount;
            return this;
        }

        public Context store(final ReplicaStore store)
        {
            this.store = store;
            return this;
        }

        public Context peerTransport(final PeerTransport peerTransport)
        {
            this.peerTransport = peerTransport;
            return this;
        }

        public Context clientTransport(final ClientTransport clientTransport)
        {
            this.clientTransport = clientTransport;
            return this;
        }

        public Context router(final KeyRouter router)
        {
            this.router = router;
            return this;
        }

        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        public Context randomSeed(final long randomSeed)
        {
            this.randomSeed = randomSeed;
            return this;
        }

        public Context maxMessageLength(final int maxMessageLength)
        {
            this.maxMessageLength = maxMessageLength;
            return this;
        }

        public Context maxShipBytes(final int maxShipBytes)
        {
            this.maxShipBytes = maxShipBytes;
            return this;
        }

        public Context maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Context roundTimeoutNs(final long roundTimeoutNs)
        {
            this.roundTimeoutNs = roundTimeoutNs;
            return this;
        }

        public Context maxBackoffNs(final long maxBackoffNs)
        {
            this.maxBackoffNs = maxBackoffNs;
            return this;
        }

        public Context opTimeoutNs(final long opTimeoutNs)
        {
            this.opTimeoutNs = opTimeoutNs;
            return this;
        }

        public Context readRetryNs(final long readRetryNs)
        {
            this.readRetryNs = readRetryNs;
            return this;
        }

        public Context readRetries(final int readRetries)
        {
            this.readRetries = readRetries;
            return this;
        }

        public Context maxRoundAttempts(final int maxRoundAttempts)
        {
            this.maxRoundAttempts = maxRoundAttempts;
            return this;
        }

        public Context commitWaitNs(final long commitWaitNs)
        {
            this.commitWaitNs = commitWaitNs;
            return this;
        }

        public Context heartbeatIntervalNs(final long heartbeatIntervalNs)
        {
            this.heartbeatIntervalNs = heartbeatIntervalNs;
            return this;
        }

        /**
         * @param retentionPeerTimeoutNs a peer not heard from for this long no longer holds back the deletion of
         *                               binlog cycles it has not read: when it comes back, what is gone is reset.
         * @return this.
         */
        public Context retentionPeerTimeoutNs(final long retentionPeerTimeoutNs)
        {
            this.retentionPeerTimeoutNs = retentionPeerTimeoutNs;
            return this;
        }

        public Context tickIntervalNs(final long tickIntervalNs)
        {
            this.tickIntervalNs = tickIntervalNs;
            return this;
        }
    }
}
