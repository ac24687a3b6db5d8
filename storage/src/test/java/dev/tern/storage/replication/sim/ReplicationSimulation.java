package dev.tern.storage.replication.sim;

import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.codecs.replication.sbe.KvRequestEncoder;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderEncoder;
import dev.tern.codecs.replication.sbe.RowOp;
import dev.tern.storage.ResultCode;
import dev.tern.storage.cluster.KeyHash;
import dev.tern.storage.replication.Replica;
import dev.tern.storage.replication.ReplicaStats;
import dev.tern.storage.replication.check.KvModel;
import dev.tern.storage.replication.check.Operation;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic world for one seed: the real {@link Replica} logic of every replica of a group, driven in one
 * thread over a simulated network that drops, delays, duplicates and reorders messages and partitions replicas,
 * with crashes and restarts that lose each replica's unsynced binlog tail. Clients issue random operations, retry
 * with the same request identity, and record a history for the linearizability checker.
 */
public final class ReplicationSimulation
{
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** What one run checked and saw. */
    public record Outcome(
        long seed, List<Operation> history, int replicas, long messages, long dropped, long duplicated,
        int crashes, int partitions, int acknowledgedWrites, int unknownOutcomes, List<String> violations,
        ReplicaStats totals)
    {
    }

    /** The faults of a run. */
    public record Faults(double dropRate, double duplicateRate, long minDelayNs, long maxDelayNs, int crashes,
        int partitions)
    {
        public int faultCount()
        {
            return crashes + partitions + (dropRate > 0 ? 1 : 0) + (duplicateRate > 0 ? 1 : 0);
        }
    }

    private final long seed;
    private final SplittableRandom random;
    private final int replicaCount;
    private final int f;
    private final Faults faults;
    private final Node[] nodes;
    private final Client[] clients;
    private final String[] kvKeys;
    private final String[] tableKeys;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final boolean[][] cut;
    /** After the clients finish: no more crashes or partitions, and the group must converge. */
    private boolean healing;
    /** Transfer counters of replicas that crashed since (their Replica objects are gone). */
    private final ReplicaStats retired = new ReplicaStats();
    private final List<String> violations = new ArrayList<>();
    private long now;
    private long eventSequence;
    private long messages;
    private long dropped;
    private long duplicated;
    private int crashesDone;
    private int partitionsDone;
    private int acknowledgedWrites;
    private int unknownOutcomes;

    /**
     * @param seed          everything follows from it.
     * @param opsPerClient  operations each client issues.
     */
    public ReplicationSimulation(final long seed, final int opsPerClient)
    {
        this.seed = seed;
        random = new SplittableRandom(seed);
        replicaCount = random.nextInt(10) < 8 ? 3 : 5;
        f = replicaCount / 2;
        final boolean calm = random.nextInt(10) == 0;
        faults = calm ? new Faults(0, 0, 20 * US, 200 * US, 0, 0) : new Faults(
            random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.08,
            random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.05,
            20 * US,
            (100 + random.nextInt(3000)) * US,
            random.nextInt(4),
            random.nextInt(3));
        cut = new boolean[replicaCount][replicaCount];
        nodes = new Node[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            nodes[i] = new Node(i);
        }
        kvKeys = new String[]{ "k1", "k2", "k3" };
        tableKeys = new String[]{ "t1", "t2" };
        final int clientCount = 3 + random.nextInt(3);
        clients = new Client[clientCount];
        for (int i = 0; i < clientCount; i++)
        {
            clients[i] = new Client(i, opsPerClient);
        }
    }

    public Faults faults()
    {
        return faults;
    }

    // ---------------------------------------------------------------------------------------------------------
    // events
    // ---------------------------------------------------------------------------------------------------------

    private abstract class Event implements Comparable<Event>
    {
        final long at;
        final long order;

        Event(final long at)
        {
            this.at = at;
            this.order = eventSequence++;
        }

        public int compareTo(final Event o)
        {
            final int byTime = Long.compare(at, o.at);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }

        abstract void run();
    }

    private void schedule(final Event event)
    {
        events.add(event);
    }

    /** A message in flight to a replica (from a peer or a client) or to a client. */
    private final class Delivery extends Event
    {
        final int toNode;
        final int toClient;
        final int fromNode;
        final int fromClient;
        final byte[] bytes;

        Delivery(final long at, final int toNode, final int toClient, final int fromNode, final int fromClient,
            final byte[] bytes)
        {
            super(at);
            this.toNode = toNode;
            this.toClient = toClient;
            this.fromNode = fromNode;
            this.fromClient = fromClient;
            this.bytes = bytes;
        }

        void run()
        {
            if (toClient >= 0)
            {
                clients[toClient].onResponse(bytes);
                return;
            }
            final Node node = nodes[toNode];
            if (!node.up || (fromNode >= 0 && cut[fromNode][toNode]))
            {
                dropped++;
                return;
            }
            if (fromNode >= 0)
            {
                node.replica.onPeerMessage(new UnsafeBuffer(bytes), 0, bytes.length);
            }
            else
            {
                node.replica.onClientMessage(fromClient, new UnsafeBuffer(bytes), 0, bytes.length);
            }
            node.dirty = true;
            maybeCrashBeforeSync(node);
            node.scheduleWork();
        }
    }

    private void send(final int fromNode, final int fromClient, final int toNode, final int toClient,
        final byte[] bytes)
    {
        messages++;
        if (fromNode >= 0 && toNode >= 0 && cut[fromNode][toNode])
        {
            dropped++;
            return;
        }
        if (random.nextDouble() < faults.dropRate())
        {
            dropped++;
            return;
        }
        final long delay = faults.minDelayNs() + random.nextLong(faults.maxDelayNs() - faults.minDelayNs() + 1);
        schedule(new Delivery(now + delay, toNode, toClient, fromNode, fromClient, bytes));
        if (random.nextDouble() < faults.duplicateRate())
        {
            duplicated++;
            final long again = faults.minDelayNs() + random.nextLong(faults.maxDelayNs() * 2);
            schedule(new Delivery(now + again, toNode, toClient, fromNode, fromClient, bytes));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // replicas
    // ---------------------------------------------------------------------------------------------------------

    private final class Node
    {
        final int index;
        final MemoryReplicaStore store;
        Replica replica;
        boolean up = true;
        boolean dirty;
        boolean workScheduled;

        Node(final int index)
        {
            this.index = index;
            store = new MemoryReplicaStore(index);
            start();
        }

        void start()
        {
            replica = new Replica(new Replica.Context()
                .groupId(0)
                .replicaIndex(index)
                .replicaCount(replicaCount)
                .store(store)
                .peerTransport((peer, buffer, offset, length) ->
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    send(index, -1, peer, -1, bytes);
                    return true;
                })
                .clientTransport((session, buffer, offset, length) ->
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    send(index, -1, -1, (int)session, bytes);
                    return true;
                })
                .errorHandler(error -> violations.add("replica " + index + " error: " + error))
                .randomSeed(random.nextLong())
                .roundTimeoutNs(8 * MS)
                .maxBackoffNs(4 * MS)
                .opTimeoutNs(150 * MS)
                .readRetryNs(500 * US)
                .commitWaitNs(20 * MS)
                .heartbeatIntervalNs(20 * MS)
                // short, so that crashes and partitions outlast it: peers then drop what the replica missed of their
                // streams, reset it and it installs their whole state
                .retentionPeerTimeoutNs(60 * MS)
                // small chunks and batches: transfers take many round trips, so crashes land in the middle of them
                .maxShipBytes(1024)
                .tickIntervalNs(MS));
            replica.recover();
            up = true;
            scheduleTick();
        }

        void scheduleWork()
        {
            if (!workScheduled)
            {
                workScheduled = true;
                schedule(new Event(now)
                {
                    void run()
                    {
                        workScheduled = false;
                        if (up)
                        {
                            doWork();
                        }
                    }
                });
            }
        }

        void scheduleTick()
        {
            final Node node = this;
            final Replica ticking = replica;
            schedule(new Event(now + MS)
            {
                void run()
                {
                    if (node.up && node.replica == ticking)
                    {
                        node.doWork();
                        if (node.up)
                        {
                            scheduleTick();
                        }
                    }
                }
            });
        }

        void doWork()
        {
            if (!healing && crashesDone < faults.crashes() && nodesDown() < f && random.nextInt(300) == 0)
            {
                // crash in the middle of the group commit: the cycle's appends never become durable
                store.crashOnNextSync();
            }
            try
            {
                replica.doWork(now);
                store.trimAuthored(replica.retentionFloorLogIndex());
            }
            catch (final MemoryReplicaStore.SimulatedCrash crash)
            {
                crashNode(this);
            }
        }

        void crash()
        {
            final ReplicaStats s = replica.stats();
            retired.streamResets += s.streamResets;
            retired.stateTransfersStarted += s.stateTransfersStarted;
            retired.stateTransfersCompleted += s.stateTransfersCompleted;
            retired.stateTransferKeys += s.stateTransferKeys;
            retired.stateTransferRestarts += s.stateTransferRestarts;
            up = false;
            replica.close();
            store.crash();
        }
    }

    private int nodesDown()
    {
        int down = 0;
        for (final Node node : nodes)
        {
            if (!node.up)
            {
                down++;
            }
        }
        return down;
    }

    private void maybeCrashBeforeSync(final Node node)
    {
        // a crash between receiving and the group commit loses what the replica appended in this cycle
        if (!healing && crashesDone < faults.crashes() && nodesDown() < f && random.nextInt(4000) == 0)
        {
            crashNode(node);
        }
    }

    private void crashNode(final Node node)
    {
        if (!node.up)
        {
            return;
        }
        crashesDone++;
        node.crash();
        schedule(new Event(now + (5 + random.nextInt(100)) * MS)
        {
            void run()
            {
                node.start();
            }
        });
    }

    private void scheduleFaults(final long horizonNs)
    {
        for (int i = 0; i < faults.crashes(); i++)
        {
            schedule(new Event(random.nextLong(horizonNs))
            {
                void run()
                {
                    final Node node = nodes[random.nextInt(replicaCount)];
                    if (!healing && node.up && nodesDown() < f && crashesDone < faults.crashes())
                    {
                        crashNode(node);
                    }
                }
            });
        }
        for (int i = 0; i < faults.partitions(); i++)
        {
            schedule(new Event(random.nextLong(horizonNs))
            {
                void run()
                {
                    if (healing)
                    {
                        return;
                    }
                    partitionsDone++;
                    // cut a minority off (or, rarely, split so that no majority exists for a while)
                    final int isolated = random.nextInt(replicaCount);
                    final boolean total = random.nextInt(5) == 0;
                    for (int a = 0; a < replicaCount; a++)
                    {
                        for (int b = 0; b < replicaCount; b++)
                        {
                            if (a != b && (a == isolated || b == isolated || (total && (a + b) % 2 == 0)))
                            {
                                cut[a][b] = true;
                            }
                        }
                    }
                    // now and then longer than a client waits: operations end with an unknown outcome
                    final long lasts = random.nextInt(4) == 0 ? 300 + random.nextInt(600) : 10 + random.nextInt(150);
                    schedule(new Event(now + lasts * MS)
                    {
                        void run()
                        {
                            for (final boolean[] row : cut)
                            {
                                java.util.Arrays.fill(row, false);
                            }
                        }
                    });
                }
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // clients
    // ---------------------------------------------------------------------------------------------------------

    private final class Client
    {
        final int index;
        final long clientId;
        final int opsToDo;
        final List<Operation> history = new ArrayList<>();
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final KvRequestEncoder encoder = new KvRequestEncoder();
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final KvResponseDecoder decoder = new KvResponseDecoder();
        int opsDone;
        long sequence;
        long correlation;
        long pendingCorrelation;
        KvModel.Op op;
        String key;
        long callNs;
        int attempt;
        int target;
        long attemptDeadline;
        long opDeadline;
        boolean waiting;

        Client(final int index, final int opsToDo)
        {
            this.index = index;
            this.clientId = 1000 + index;
            this.opsToDo = opsToDo;
        }

        void scheduleNext(final long delayNs)
        {
            schedule(new Event(now + delayNs)
            {
                void run()
                {
                    startOp();
                }
            });
        }

        void startOp()
        {
            if (opsDone == opsToDo)
            {
                return;
            }
            opsDone++;
            sequence++;
            final boolean table = random.nextInt(5) < 2;
            key = table ? tableKeys[random.nextInt(tableKeys.length)] : kvKeys[random.nextInt(kvKeys.length)];
            // now and then an operation of the other kind, which the store must refuse with WRONG_TYPE
            final boolean crossType = random.nextInt(25) == 0;
            op = table != crossType ? randomTableOp() : randomKvOp();
            callNs = now;
            attempt = 0;
            target = Math.floorMod(KeyHash.hash(key.getBytes(StandardCharsets.ISO_8859_1)), replicaCount);
            opDeadline = now + 400 * MS;
            sendAttempt();
        }

        KvModel.Op randomKvOp()
        {
            final String value = "v" + clientId + "." + sequence;
            switch (random.nextInt(7))
            {
                case 0:
                case 1:
                    return new KvModel.Get();
                case 2:
                case 3:
                    return new KvModel.Put(value);
                case 4:
                    return new KvModel.PutIfVersion(random.nextInt(6), value);
                case 5:
                    return new KvModel.PutIfAbsent(value);
                default:
                    return new KvModel.Delete();
            }
        }

        KvModel.Op randomTableOp()
        {
            final String row = "r" + random.nextInt(6);
            final String value = "v" + clientId + "." + sequence;
            switch (random.nextInt(7))
            {
                case 0:
                    return new KvModel.RowGet(row);
                case 1:
                case 2:
                    return new KvModel.Scan("r" + random.nextInt(3), random.nextBoolean() ? null : "r4",
                        1 + random.nextInt(5));
                case 3:
                    return new KvModel.RowPut(row, value);
                case 4:
                    return new KvModel.RowAppend(row, value);
                default:
                    return new KvModel.RowDelete(row);
            }
        }

        void sendAttempt()
        {
            attempt++;
            pendingCorrelation = ++correlation;
            waiting = true;
            attemptDeadline = now + 60 * MS;
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .clientId(clientId)
                .requestSequence(sequence)
                .correlationId(pendingCorrelation)
                .groupId(0)
                .expectedVersion(op instanceof KvModel.PutIfVersion cas ? cas.expected() : 0)
                .rowLimit(op instanceof KvModel.Scan scan ? scan.limit() : 0)
                .op(kvOpOf(op));
            encoder.rowsCount(0);
            final byte[] keyBytes = bytes(key);
            encoder.putKey(keyBytes, 0, keyBytes.length);
            final byte[] row = bytes(rowOf(op));
            encoder.putRowKey(row, 0, row.length);
            final byte[] end = bytes(op instanceof KvModel.Scan scan && null != scan.end() ? scan.end() : "");
            encoder.putRowKeyEnd(end, 0, end.length);
            final byte[] value = bytes(valueOf(op));
            encoder.putValue(value, 0, value.length);
            final byte[] message = new byte[MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()];
            buffer.getBytes(0, message);
            send(-1, index, target, -1, message);

            final long myCorrelation = pendingCorrelation;
            schedule(new Event(attemptDeadline)
            {
                void run()
                {
                    if (waiting && pendingCorrelation == myCorrelation)
                    {
                        retryOrGiveUp();
                    }
                }
            });
        }

        void retryOrGiveUp()
        {
            if (now >= opDeadline)
            {
                complete(null);
                return;
            }
            target = (target + 1) % replicaCount;
            sendAttempt();
        }

        void onResponse(final byte[] bytes)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            headerDecoder.wrap(buffer, 0);
            decoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
            if (!waiting || decoder.correlationId() != pendingCorrelation)
            {
                return;
            }
            final int code = decoder.result();
            final long version = decoder.version();
            final boolean more = decoder.more() == dev.tern.codecs.replication.sbe.BooleanType.TRUE;
            final List<KvModel.RowOut> rows = new ArrayList<>();
            final KvResponseDecoder.RowsDecoder rowsDecoder = decoder.rows();
            while (rowsDecoder.hasNext())
            {
                rowsDecoder.next();
                final long rowVersion = rowsDecoder.rowVersion();
                final byte[] rowKey = new byte[rowsDecoder.rowKeyLength()];
                rowsDecoder.getRowKey(rowKey, 0, rowKey.length);
                final byte[] rowValue = new byte[rowsDecoder.rowValueLength()];
                rowsDecoder.getRowValue(rowValue, 0, rowValue.length);
                rows.add(new KvModel.RowOut(text(rowKey), text(rowValue), rowVersion));
            }
            final byte[] valueBytes = new byte[decoder.valueLength()];
            decoder.getValue(valueBytes, 0, valueBytes.length);
            final String value = text(valueBytes);

            if (ResultCode.isOutcomeUnknown(code))
            {
                retryOrGiveUp();
                return;
            }
            if (code == ResultCode.WRONG_GROUP)
            {
                violations.add("client " + index + " got WRONG_GROUP from a single-group cluster");
                complete(null);
                return;
            }
            final KvModel.Result result;
            if (op instanceof KvModel.Get && code == ResultCode.OK)
            {
                result = new KvModel.Result(code, version, value, List.of(), false);
            }
            else if ((op instanceof KvModel.RowGet || op instanceof KvModel.Scan) && code == ResultCode.OK)
            {
                result = new KvModel.Result(code, version, null, rows, op instanceof KvModel.Scan && more);
            }
            else
            {
                result = KvModel.Result.of(code, version);
            }
            if (op.isWrite() && code == ResultCode.OK)
            {
                acknowledgedWrites++;
                checkDurableOnMajority(version);
            }
            complete(result);
        }

        void checkDurableOnMajority(final long version)
        {
            final byte[] keyBytes = bytes(key);
            int holders = 0;
            for (final Node node : nodes)
            {
                if (node.store.holdsRequestDurably(keyBytes, clientId, sequence))
                {
                    holders++;
                }
            }
            if (holders < f + 1)
            {
                violations.add("acknowledged write " + key + " v" + version + " (client " + clientId + " seq " +
                    sequence + ") durable on " + holders + " binlogs, fewer than f+1=" + (f + 1));
            }
        }

        void complete(final KvModel.Result result)
        {
            waiting = false;
            if (null == result)
            {
                unknownOutcomes++;
            }
            history.add(new Operation(index, key, op, result, callNs, now));
            scheduleNext((random.nextInt(500) + 1) * US);
        }
    }

    private static KvOp kvOpOf(final KvModel.Op op)
    {
        if (op instanceof KvModel.Put)
        {
            return KvOp.PUT;
        }
        if (op instanceof KvModel.Delete)
        {
            return KvOp.DELETE;
        }
        if (op instanceof KvModel.PutIfVersion)
        {
            return KvOp.PUT_IF_VERSION;
        }
        if (op instanceof KvModel.PutIfAbsent)
        {
            return KvOp.PUT_IF_ABSENT;
        }
        if (op instanceof KvModel.Get)
        {
            return KvOp.GET;
        }
        if (op instanceof KvModel.RowPut)
        {
            return KvOp.ROW_PUT;
        }
        if (op instanceof KvModel.RowDelete)
        {
            return KvOp.ROW_DELETE;
        }
        if (op instanceof KvModel.RowAppend)
        {
            return KvOp.ROW_APPEND;
        }
        if (op instanceof KvModel.RowGet)
        {
            return KvOp.ROW_GET;
        }
        return KvOp.SCAN;
    }

    private static String rowOf(final KvModel.Op op)
    {
        if (op instanceof KvModel.RowPut o)
        {
            return o.row();
        }
        if (op instanceof KvModel.RowDelete o)
        {
            return o.row();
        }
        if (op instanceof KvModel.RowAppend o)
        {
            return o.row();
        }
        if (op instanceof KvModel.RowGet o)
        {
            return o.row();
        }
        if (op instanceof KvModel.Scan o)
        {
            return o.from();
        }
        return "";
    }

    private static String valueOf(final KvModel.Op op)
    {
        if (op instanceof KvModel.Put o)
        {
            return o.value();
        }
        if (op instanceof KvModel.PutIfVersion o)
        {
            return o.value();
        }
        if (op instanceof KvModel.PutIfAbsent o)
        {
            return o.value();
        }
        if (op instanceof KvModel.RowPut o)
        {
            return o.value();
        }
        if (op instanceof KvModel.RowAppend o)
        {
            return o.value();
        }
        return "";
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // running
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Run the world until every client finished and the network is quiet, then check the invariants.
     *
     * @return what happened.
     */
    public Outcome run()
    {
        final long horizon = 2000 * MS;
        scheduleFaults(horizon / 2);
        for (final Client client : clients)
        {
            client.scheduleNext((1 + random.nextInt(1000)) * US);
        }

        final long limit = 60_000 * MS;
        while (!events.isEmpty())
        {
            if (events.peek().at > limit)
            {
                violations.add("simulation did not finish within " + limit / MS + " ms of simulated time");
                break;
            }
            if (!runNextEvent())
            {
                break;
            }
            if (allClientsDone())
            {
                break;
            }
        }

        if (violations.isEmpty())
        {
            healAndCheckConvergence();
        }
        checkOneValuePerVersion();
        final List<Operation> history = new ArrayList<>();
        for (final Client client : clients)
        {
            if (client.opsDone != client.opsToDo || client.waiting)
            {
                violations.add("client " + client.index + " finished " + client.opsDone + " of " + client.opsToDo);
            }
            history.addAll(client.history);
        }
        final ReplicaStats totals = new ReplicaStats();
        for (final Node node : nodes)
        {
            final ReplicaStats s = node.replica.stats();
            totals.decided += s.decided;
            totals.fastPathWrites += s.fastPathWrites;
            totals.preparesSent += s.preparesSent;
            totals.reproposals += s.reproposals;
            totals.fetchesSent += s.fetchesSent;
            totals.keysInstalled += s.keysInstalled;
            totals.streamGaps += s.streamGaps;
            totals.catchUpRequests += s.catchUpRequests;
            totals.opsTimedOut += s.opsTimedOut;
            totals.malformed += s.malformed;
            totals.duplicatesAnswered += s.duplicatesAnswered;
            totals.streamResets += s.streamResets;
            totals.stateTransfersStarted += s.stateTransfersStarted;
            totals.stateTransfersCompleted += s.stateTransfersCompleted;
            totals.stateTransferKeys += s.stateTransferKeys;
            totals.stateTransferRestarts += s.stateTransferRestarts;
        }
        totals.streamResets += retired.streamResets;
        totals.stateTransfersStarted += retired.stateTransfersStarted;
        totals.stateTransfersCompleted += retired.stateTransfersCompleted;
        totals.stateTransferKeys += retired.stateTransferKeys;
        totals.stateTransferRestarts += retired.stateTransferRestarts;
        return new Outcome(seed, history, replicaCount, messages, dropped, duplicated, crashesDone, partitionsDone,
            acknowledgedWrites, unknownOutcomes, violations, totals);
    }

    /**
     * Catch-up must leave no replica behind: with the network whole and every replica up (crashed ones restart by
     * themselves), run a while longer, then every replica must hold every key at the latest slot any replica applied.
     * This is what stream catch-up, per-key fetches and state transfers after stream resets are for.
     */
    private void healAndCheckConvergence()
    {
        healing = true;
        for (final boolean[] row : cut)
        {
            java.util.Arrays.fill(row, false);
        }
        final long until = now + 3000 * MS;
        while (!events.isEmpty() && events.peek().at <= until)
        {
            if (!runNextEvent())
            {
                return;
            }
        }
        final java.util.Set<MemoryReplicaStore.Bytes> keys = new java.util.TreeSet<>();
        for (final Node node : nodes)
        {
            keys.addAll(node.store.decidedDigests().keySet());
        }
        for (final MemoryReplicaStore.Bytes key : keys)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(key.bytes());
            long latest = 0;
            for (final Node node : nodes)
            {
                latest = Math.max(latest, node.store.committedSlot(buffer, 0, buffer.capacity()));
            }
            for (final Node node : nodes)
            {
                final long slot = node.store.committedSlot(buffer, 0, buffer.capacity());
                if (!node.up || slot != latest)
                {
                    violations.add("after healing, replica " + node.index + (node.up ? "" : " (down)") + " holds " +
                        key + " at slot " + slot + ", the group at " + latest);
                }
            }
        }
    }

    /** @return false when the event threw: recorded as a violation, the run ends. */
    private boolean runNextEvent()
    {
        final Event event = events.poll();
        now = event.at;
        try
        {
            event.run();
            return true;
        }
        catch (final RuntimeException ex)
        {
            final java.io.StringWriter trace = new java.io.StringWriter();
            ex.printStackTrace(new java.io.PrintWriter(trace));
            violations.add("exception at " + now / US + " us: " + trace);
            return false;
        }
    }

    private boolean allClientsDone()
    {
        for (final Client client : clients)
        {
            if (client.opsDone != client.opsToDo || client.waiting)
            {
                return false;
            }
        }
        return true;
    }

    private void checkOneValuePerVersion()
    {
        final Map<MemoryReplicaStore.Bytes, Map<Long, Integer>> seen = new java.util.HashMap<>();
        for (final Node node : nodes)
        {
            for (final Map.Entry<MemoryReplicaStore.Bytes, Map<Long, Integer>> key :
                node.store.decidedDigests().entrySet())
            {
                final Map<Long, Integer> versions = seen.computeIfAbsent(key.getKey(), k -> new java.util.HashMap<>());
                for (final Map.Entry<Long, Integer> version : key.getValue().entrySet())
                {
                    final Integer other = versions.putIfAbsent(version.getKey(), version.getValue());
                    if (null != other && !other.equals(version.getValue()))
                    {
                        violations.add("two states decided for " + key.getKey() + " v" + version.getKey() +
                            " (replica " + node.index + " differs)");
                    }
                }
            }
        }
    }
}
