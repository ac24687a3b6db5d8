package dev.tern.storage.client;

import dev.tern.codecs.replication.sbe.KvConnectEncoder;
import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.codecs.replication.sbe.KvRequestEncoder;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderDecoder;
import dev.tern.codecs.replication.sbe.MessageHeaderEncoder;
import dev.tern.codecs.replication.sbe.RowOp;
import dev.tern.storage.ResultCode;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.cluster.KeyHash;
import dev.tern.transport.Channels;
import dev.tern.transport.Publications;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The KVSvr client library: asynchronous and pipelined. Submit requests (many may be in flight), then
 * {@link #poll()}: responses are delivered to each request's {@link KvResponseListener} on the polling thread, so a
 * pipeline thread never blocks on storage. Requests are routed by slot to their group and first to the key's home
 * replica; a replica that does not answer in time, or answers UNAVAILABLE or BUSY, is replaced by the next one with
 * the same request identity (client id, request sequence), so a retried write is applied at most once.
 * <p>
 * Not thread-safe: one thread submits and polls. Allocation-free once warm.
 */
public final class KvClient implements AutoCloseable
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final long CONNECT_RESEND_NS = TimeUnit.SECONDS.toNanos(1);

    private final Context ctx;
    private final ClusterConfig cluster;
    private final NanoClock clock;
    private final Subscription responses;
    private final String responseChannel;
    private final Publication[][] publications;
    private final long[][] connectSentNs;
    /** Until when a replica that let an attempt time out is asked last: requests go to a live one first. */
    private final long[][] suspectUntilNs;
    private final FragmentAssembler assembler;
    private final Long2ObjectHashMap<Request> inFlight = new Long2ObjectHashMap<>();
    private final ArrayDeque<Request> pool = new ArrayDeque<>();
    private final ArrayList<Request> timerScratch = new ArrayList<>();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final KvRequestEncoder requestEncoder = new KvRequestEncoder();
    private final KvConnectEncoder connectEncoder = new KvConnectEncoder();
    private final KvResponseDecoder responseDecoder = new KvResponseDecoder();
    private final UnsafeBuffer connectBuffer = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);
    private long nextSequence;
    private long nextCorrelationId;
    private long nextTimerNs;
    private long timeouts;
    private long retries;
    private boolean closed;

    private static final class Request
    {
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(256);
        int length;
        long correlationId;
        int group;
        int replica;
        int attempts;
        long attemptDeadlineNs;
        long deadlineNs;
        KvResponseListener listener;
    }

    /**
     * Describes one row change of a table batch: fill it in {@link TableBatch#row}.
     */
    public interface TableBatch
    {
        /** @return the number of row changes. */
        int rowCount();

        /**
         * @param index  of the row change.
         * @param row    set the change here: op, key, value.
         */
        void row(int index, RowChange row);
    }

    /** One row change of a batch. */
    public static final class RowChange
    {
        RowOp op;
        DirectBuffer key;
        int keyOffset;
        int keyLength;
        DirectBuffer value;
        int valueOffset;
        int valueLength;

        public RowChange set(final RowOp op, final DirectBuffer key, final int keyOffset, final int keyLength,
            final DirectBuffer value, final int valueOffset, final int valueLength)
        {
            this.op = op;
            this.key = key;
            this.keyOffset = keyOffset;
            this.keyLength = keyLength;
            this.value = value;
            this.valueOffset = valueOffset;
            this.valueLength = valueLength;
            return this;
        }
    }

    private final RowChange rowChange = new RowChange();

    private KvClient(final Context ctx)
    {
        this.ctx = ctx;
        cluster = ctx.cluster;
        clock = ctx.clock;
        final Aeron aeron = ctx.aeron;
        Subscription subscription = null;
        final Publication[][] pubs = new Publication[cluster.groupCount()][];
        try
        {
            subscription = aeron.addSubscription(Channels.udp(ctx.responseEndpoint), Channels.KV_RESPONSE_STREAM_ID);
            final String resolved = resolveEndpoint(subscription);
            responseChannel = Channels.udp(resolved);
            for (int group = 0; group < pubs.length; group++)
            {
                pubs[group] = new Publication[cluster.replicas(group).size()];
                for (int replica = 0; replica < pubs[group].length; replica++)
                {
                    // exclusive: replicas tell clients apart by the Aeron session, which a shared publication
                    // would give to every client of this media driver (their responses would cross)
                    pubs[group][replica] = aeron.addExclusivePublication(
                        Channels.udp(cluster.replicas(group).get(replica)), Channels.KV_REQUEST_STREAM_ID);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(subscription);
            for (final Publication[] group : pubs)
            {
                if (null != group)
                {
                    CloseHelper.quietCloseAll(group);
                }
            }
            throw ex;
        }
        responses = subscription;
        publications = pubs;
        connectSentNs = new long[pubs.length][];
        suspectUntilNs = new long[pubs.length][];
        for (int group = 0; group < pubs.length; group++)
        {
            connectSentNs[group] = new long[pubs[group].length];
            suspectUntilNs[group] = new long[pubs[group].length];
        }
        assembler = new FragmentAssembler((buffer, offset, length, header) -> onResponse(buffer, offset, length));
    }

    private String resolveEndpoint(final Subscription subscription)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String endpoint;
        while (null == (endpoint = subscription.resolvedEndpoint()))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("response endpoint " + ctx.responseEndpoint + " did not resolve");
            }
            Thread.onSpinWait();
        }
        return endpoint;
    }

    /**
     * Connect a client: subscribes for responses and opens a publication to every replica of the cluster.
     *
     * @param ctx settings; concluded here.
     * @return the client.
     */
    public static KvClient connect(final Context ctx)
    {
        ctx.conclude();
        return new KvClient(ctx);
    }

    /** @return this client's identity, part of every request's at-most-once identity. */
    public long clientId()
    {
        return ctx.clientId;
    }

    /** @return requests submitted and not yet answered. */
    public int inFlight()
    {
        return inFlight.size();
    }

    /** @return requests that ended in TIMEOUT. */
    public long timeouts()
    {
        return timeouts;
    }

    /** @return attempts sent again to another replica. */
    public long retries()
    {
        return retries;
    }

    // ---- submission: each returns the correlation id given to the listener, or -1 when maxInFlight are in flight

    public long get(final DirectBuffer key, final int offset, final int length, final KvResponseListener listener)
    {
        return submit(KvOp.GET, key, offset, length, empty, 0, 0, empty, 0, 0, empty, 0, 0, 0, 0, null, listener);
    }

    public long put(final DirectBuffer key, final int offset, final int length, final DirectBuffer value,
        final int valueOffset, final int valueLength, final KvResponseListener listener)
    {
        return submit(KvOp.PUT, key, offset, length, empty, 0, 0, empty, 0, 0, value, valueOffset, valueLength, 0, 0,
            null, listener);
    }

    public long delete(final DirectBuffer key, final int offset, final int length, final KvResponseListener listener)
    {
        return submit(KvOp.DELETE, key, offset, length, empty, 0, 0, empty, 0, 0, empty, 0, 0, 0, 0, null, listener);
    }

    public long putIfVersion(final DirectBuffer key, final int offset, final int length, final long expectedVersion,
        final DirectBuffer value, final int valueOffset, final int valueLength, final KvResponseListener listener)
    {
        return submit(KvOp.PUT_IF_VERSION, key, offset, length, empty, 0, 0, empty, 0, 0, value, valueOffset,
            valueLength, expectedVersion, 0, null, listener);
    }

    public long putIfAbsent(final DirectBuffer key, final int offset, final int length, final DirectBuffer value,
        final int valueOffset, final int valueLength, final KvResponseListener listener)
    {
        return submit(KvOp.PUT_IF_ABSENT, key, offset, length, empty, 0, 0, empty, 0, 0, value, valueOffset,
            valueLength, 0, 0, null, listener);
    }

    public long rowGet(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength, final KvResponseListener listener)
    {
        return submit(KvOp.ROW_GET, key, offset, length, row, rowOffset, rowLength, empty, 0, 0, empty, 0, 0, 0, 0,
            null, listener);
    }

    public long rowPut(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength, final DirectBuffer value, final int valueOffset,
        final int valueLength, final KvResponseListener listener)
    {
        return submit(KvOp.ROW_PUT, key, offset, length, row, rowOffset, rowLength, empty, 0, 0, value, valueOffset,
            valueLength, 0, 0, null, listener);
    }

    public long rowDelete(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength, final KvResponseListener listener)
    {
        return submit(KvOp.ROW_DELETE, key, offset, length, row, rowOffset, rowLength, empty, 0, 0, empty, 0, 0, 0,
            0, null, listener);
    }

    /**
     * Append a row at the end of a table: its row key must sort after every row key of the table
     * (ROW_KEY_NOT_LAST otherwise). Inboxes keyed by big-endian sequence numbers are the intended use.
     */
    public long rowAppend(final DirectBuffer key, final int offset, final int length, final DirectBuffer row,
        final int rowOffset, final int rowLength, final DirectBuffer value, final int valueOffset,
        final int valueLength, final KvResponseListener listener)
    {
        return submit(KvOp.ROW_APPEND, key, offset, length, row, rowOffset, rowLength, empty, 0, 0, value,
            valueOffset, valueLength, 0, 0, null, listener);
    }

    /**
     * Rows of a table in row key order from {@code from} (inclusive) to {@code end} (exclusive; empty: no end).
     *
     * @param limit most rows returned (at most 1000); the response's more flag says whether rows remain.
     */
    public long scan(final DirectBuffer key, final int offset, final int length, final DirectBuffer from,
        final int fromOffset, final int fromLength, final DirectBuffer end, final int endOffset, final int endLength,
        final int limit, final KvResponseListener listener)
    {
        return submit(KvOp.SCAN, key, offset, length, from, fromOffset, fromLength, end, endOffset, endLength, empty,
            0, 0, 0, limit, null, listener);
    }

    /** Several row changes of one table, atomically. */
    public long tableBatch(final DirectBuffer key, final int offset, final int length, final TableBatch batch,
        final KvResponseListener listener)
    {
        return submit(KvOp.TABLE_BATCH, key, offset, length, empty, 0, 0, empty, 0, 0, empty, 0, 0, 0, 0, batch,
            listener);
    }

    private long submit(
        final KvOp op, final DirectBuffer key, final int offset, final int length,
        final DirectBuffer row, final int rowOffset, final int rowLength,
        final DirectBuffer end, final int endOffset, final int endLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expectedVersion, final int limit, final TableBatch batch, final KvResponseListener listener)
    {
        if (closed)
        {
            throw new IllegalStateException("client is closed");
        }
        if (inFlight.size() >= ctx.maxInFlight)
        {
            return -1;
        }
        final Request request = pool.isEmpty() ? new Request() : pool.pollFirst();
        final long correlationId = ++nextCorrelationId;
        final long keyHash = KeyHash.hash(key, offset, length);
        request.correlationId = correlationId;
        final long now = clock.nanoTime();
        request.group = cluster.groupOfSlot(ClusterConfig.slotOf(keyHash));
        request.replica = liveReplica(request.group,
            ClusterConfig.homeReplica(keyHash, publications[request.group].length), now);
        request.attempts = 0;
        request.listener = listener;
        request.deadlineNs = now + ctx.requestTimeoutNs;

        final MutableDirectBuffer message = request.message;
        requestEncoder.wrapAndApplyHeader(message, 0, headerEncoder)
            .clientId(ctx.clientId)
            .requestSequence(++nextSequence)
            .correlationId(correlationId)
            .groupId(request.group)
            .op(op)
            .expectedVersion(expectedVersion)
            .rowLimit(limit);
        final int rows = null == batch ? 0 : batch.rowCount();
        final KvRequestEncoder.RowsEncoder rowsEncoder = requestEncoder.rowsCount(rows);
        for (int i = 0; i < rows; i++)
        {
            batch.row(i, rowChange);
            rowsEncoder.next().rowOp(rowChange.op)
                .putRowKey(rowChange.key, rowChange.keyOffset, rowChange.keyLength)
                .putRowValue(rowChange.value, rowChange.valueOffset, rowChange.valueLength);
        }
        requestEncoder.putKey(key, offset, length)
            .putRowKey(row, rowOffset, rowLength)
            .putRowKeyEnd(end, endOffset, endLength)
            .putValue(value, valueOffset, valueLength);
        request.length = HEADER + requestEncoder.encodedLength();
        inFlight.put(correlationId, request);
        send(request, now);
        return correlationId;
    }

    /**
     * @return the first replica from {@code first} on (wrapping) that is not suspected of being down, or
     * {@code first} when all are.
     */
    private int liveReplica(final int group, final int first, final long now)
    {
        final int count = publications[group].length;
        for (int i = 0; i < count; i++)
        {
            final int replica = (first + i) % count;
            if (now - suspectUntilNs[group][replica] >= 0)
            {
                return replica;
            }
        }
        return first % count;
    }

    private void send(final Request request, final long now)
    {
        request.attempts++;
        // one attempt timeout per replica of the group first (a replica that is down costs one), then each retry
        // waits twice as long (up to 8x): a slow or cold group is not drowned in its clients' retries
        final int beyondFirstRound = Math.max(0, request.attempts - publications[request.group].length);
        request.attemptDeadlineNs = now + (ctx.attemptTimeoutNs << Math.min(beyondFirstRound, 3));
        final Publication publication = publications[request.group][request.replica];
        if (request.attempts > 1 || now - connectSentNs[request.group][request.replica] > CONNECT_RESEND_NS ||
            connectSentNs[request.group][request.replica] == 0)
        {
            sendConnect(request.group, request.replica, now);
        }
        if (Publications.offer(publication, request.message, 0, request.length) < 0)
        {
            // not connected or back-pressured: try the next replica at once on the next poll
            request.attemptDeadlineNs = now;
        }
    }

    private void sendConnect(final int group, final int replica, final long now)
    {
        connectEncoder.wrapAndApplyHeader(connectBuffer, 0, headerEncoder)
            .clientId(ctx.clientId)
            .responseStreamId(Channels.KV_RESPONSE_STREAM_ID)
            .responseChannel(responseChannel);
        final int length = HEADER + connectEncoder.encodedLength();
        if (Publications.offer(publications[group][replica], connectBuffer, 0, length) > 0)
        {
            connectSentNs[group][replica] = now;
        }
    }

    /**
     * Deliver responses and handle timeouts: call it in the owner's duty cycle.
     *
     * @return the amount of work done.
     */
    public int poll()
    {
        int work = responses.poll(assembler, 256);
        final long now = clock.nanoTime();
        if (now - nextTimerNs >= 0 && !inFlight.isEmpty())
        {
            nextTimerNs = now + ctx.timerIntervalNs;
            work += checkTimers(now);
        }
        return work;
    }

    private int checkTimers(final long now)
    {
        timerScratch.clear();
        for (final Long2ObjectHashMap<Request>.ValueIterator it = inFlight.values().iterator(); it.hasNext(); )
        {
            final Request request = it.next();
            if (now - request.attemptDeadlineNs >= 0)
            {
                timerScratch.add(request);
            }
        }
        for (int i = 0; i < timerScratch.size(); i++)
        {
            final Request request = timerScratch.get(i);
            if (now - request.deadlineNs >= 0)
            {
                timeouts++;
                complete(request, ResultCode.TIMEOUT, 0, null);
            }
            else
            {
                retries++;
                suspectUntilNs[request.group][request.replica] = now + ctx.suspectNs;
                request.replica = liveReplica(request.group, request.replica + 1, now);
                send(request, now);
            }
        }
        timerScratch.clear();
        return 0;
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER)
        {
            return;
        }
        responseView.wrap(buffer, offset, length);
        headerDecoder.wrap(responseView, 0);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != KvResponseDecoder.TEMPLATE_ID)
        {
            return;
        }
        try
        {
            responseDecoder.wrapAndApplyHeader(responseView, 0, headerDecoder);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return;
        }
        final Request request = inFlight.get(responseDecoder.correlationId());
        if (null == request)
        {
            return;
        }
        final int result = responseDecoder.result();
        final long now = clock.nanoTime();
        if ((result == ResultCode.UNAVAILABLE || result == ResultCode.BUSY) && now - request.deadlineNs < 0)
        {
            retries++;
            request.replica = liveReplica(request.group, request.replica + 1, now);
            send(request, now);
            return;
        }
        suspectUntilNs[request.group][request.replica] = 0;
        if (result == ResultCode.WRONG_GROUP)
        {
            final int hint = responseDecoder.hintGroupId();
            if (hint >= 0 && hint < publications.length && hint != request.group && request.attempts < 8)
            {
                request.group = hint;
                request.replica = 0;
                send(request, now);
                return;
            }
        }
        complete(request, result, responseDecoder.version(), responseDecoder);
    }

    private void complete(final Request request, final int result, final long version, final KvResponseDecoder response)
    {
        inFlight.remove(request.correlationId);
        final KvResponseListener listener = request.listener;
        final long correlationId = request.correlationId;
        request.listener = null;
        pool.addLast(request);
        listener.onResponse(correlationId, result, version, response);
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.quietClose(responses);
            for (final Publication[] group : publications)
            {
                CloseHelper.quietCloseAll(group);
            }
        }
    }

    /**
     * Settings of a {@link KvClient}.
     */
    public static final class Context
    {
        private Aeron aeron;
        private ClusterConfig cluster;
        private String responseEndpoint = "127.0.0.1:0";
        private long clientId;
        private long attemptTimeoutNs = TimeUnit.MILLISECONDS.toNanos(200);
        private long requestTimeoutNs = TimeUnit.SECONDS.toNanos(5);
        private long timerIntervalNs = TimeUnit.MILLISECONDS.toNanos(1);
        private int maxInFlight = 65536;
        private long suspectNs = TimeUnit.SECONDS.toNanos(1);
        private NanoClock clock = SystemNanoClock.INSTANCE;

        /**
         * @return this, validated.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == aeron)
            {
                throw new IllegalArgumentException("aeron must be set");
            }
            if (null == cluster)
            {
                throw new IllegalArgumentException("cluster must be set");
            }
            if (!responseEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("responseEndpoint=" + responseEndpoint + " must be host:port");
            }
            if (attemptTimeoutNs <= 0 || requestTimeoutNs < attemptTimeoutNs)
            {
                throw new IllegalArgumentException("requestTimeoutNs=" + requestTimeoutNs +
                    " must be >= attemptTimeoutNs=" + attemptTimeoutNs + " > 0");
            }
            if (maxInFlight < 1)
            {
                throw new IllegalArgumentException("maxInFlight=" + maxInFlight + " must be >= 1");
            }
            if (0 == clientId)
            {
                clientId = new SecureRandom().nextLong() & Long.MAX_VALUE | 1;
            }
            return this;
        }

        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public Context cluster(final ClusterConfig cluster)
        {
            this.cluster = cluster;
            return this;
        }

        /** @param responseEndpoint host:port this client receives responses on; port 0 picks a free one. */
        public Context responseEndpoint(final String responseEndpoint)
        {
            this.responseEndpoint = responseEndpoint;
            return this;
        }

        /** @param clientId this client's identity; random by default. Reuse it to retry after a restart. */
        public Context clientId(final long clientId)
        {
            this.clientId = clientId;
            return this;
        }

        public Context attemptTimeoutNs(final long attemptTimeoutNs)
        {
            this.attemptTimeoutNs = attemptTimeoutNs;
            return this;
        }

        public Context requestTimeoutNs(final long requestTimeoutNs)
        {
            this.requestTimeoutNs = requestTimeoutNs;
            return this;
        }

        /**
         * @param suspectNs how long a replica that let an attempt time out is asked only after the others.
         * @return this.
         */
        public Context suspectNs(final long suspectNs)
        {
            this.suspectNs = suspectNs;
            return this;
        }

        public Context maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Context clock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }
    }
}
