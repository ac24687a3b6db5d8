package dev.tern.storage.replication.sim;

import dev.tern.codecs.replication.sbe.BooleanType;
import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.codecs.replication.sbe.KvRequestDecoder;
import dev.tern.codecs.replication.sbe.KvResponseEncoder;
import dev.tern.codecs.replication.sbe.RowOp;
import dev.tern.storage.ResultCode;
import dev.tern.storage.replication.RecordView;
import dev.tern.storage.replication.ReplicaStore;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The simulation's store: the decided state in Java maps, the binlog as a list of records of which a prefix is
 * durable. {@link #crash()} loses the rest, as a machine crash loses an unsynced tail. It implements the same
 * operation semantics as the storage engine (the contract of {@link ReplicaStore}) and records the digest of every
 * decided version for the simulation's "one value per key and version" check.
 */
public final class MemoryReplicaStore implements ReplicaStore
{
    public static final int MAX_VALUE_LENGTH = 64 * 1024;
    public static final int MAX_KEY_LENGTH = 1024;
    public static final int MAX_BATCH_ROWS = 1000;
    public static final int MAX_SCAN_ROWS = 1000;

    /** A key's decided state. */
    static final class Entry
    {
        long slot;
        long version;
        long committedBallot;
        long promised;
        boolean table;
        byte[] value;
        final TreeMap<Bytes, Row> rows = new TreeMap<>();
        /** (clientId, requestSequence, result, version) of every request decided for the key: shipped with installs. */
        final List<long[]> requests = new ArrayList<>();
    }

    record Row(byte[] value, long version)
    {
    }

    /** Byte arrays ordered unsigned-lexicographically. */
    public record Bytes(byte[] bytes) implements Comparable<Bytes>
    {
        public static Bytes of(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            return new Bytes(copy);
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes);
        }

        public int compareTo(final Bytes o)
        {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }

        @Override
        public String toString()
        {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private final int replicaIndex;
    private final List<byte[]> log = new ArrayList<>();
    private final List<Long> authoredIndexes = new ArrayList<>();
    private int synced;
    private final Map<Bytes, Entry> entries = new HashMap<>();
    /** Keys in the order they were created: the positions of a state transfer's scan, stable until a crash. */
    private final List<Bytes> keyOrder = new ArrayList<>();
    /** Durable: peers a state transfer from is still needed. */
    private final java.util.Set<Integer> transfersPending = new java.util.HashSet<>();
    /** Durable: authored records below this are no longer held for shipping (the author's retention dropped them). */
    private long shippableFrom = 1;
    private long readGap = -1;
    private final Map<Long, Map<Long, long[]>> applied = new HashMap<>();
    private int appliedResult;
    private long appliedVersion;
    /** key -> version -> digest of the decided state at that version, for the simulation's checks. */
    private final Map<Bytes, Map<Long, Integer>> decidedDigests = new HashMap<>();
    private final MemoryRecord readView = new MemoryRecord();
    private final UnsafeBuffer logView = new UnsafeBuffer(0, 0);
    private int proposalLength;
    private boolean crashOnNextSync;

    /** Thrown by {@link #sync()} when the simulation crashes the replica in the middle of a group commit. */
    public static final class SimulatedCrash extends RuntimeException
    {
        SimulatedCrash()
        {
            super("simulated crash during sync", null, false, false);
        }
    }

    /** The next sync crashes instead: nothing appended since the last sync becomes durable. */
    public void crashOnNextSync()
    {
        crashOnNextSync = true;
    }

    public MemoryReplicaStore(final int replicaIndex)
    {
        this.replicaIndex = replicaIndex;
    }

    // ---- test instrumentation -------------------------------------------------------------------------------

    /** Lose every record appended since the last sync, and the in-memory state: what a machine crash does. */
    public void crash()
    {
        while (log.size() > synced)
        {
            log.remove(log.size() - 1);
        }
        authoredIndexes.removeIf(index -> index > synced);
        entries.clear();
        keyOrder.clear();
        applied.clear();
    }

    public Map<Bytes, Map<Long, Integer>> decidedDigests()
    {
        return decidedDigests;
    }

    /**
     * The durability invariant of an acknowledged write: this replica durably holds both the value (a VALUE record of
     * the request) and the version (its vote for that slot and ballot: an ACCEPTED record, its own authored VALUE,
     * or a COMMIT of it), or an installed state that covers the slot.
     *
     * @return true when the request's value and version are both in the durable part of this binlog.
     */
    public boolean holdsRequestDurably(final byte[] key, final long clientId, final long sequence)
    {
        final MemoryRecord view = new MemoryRecord();
        final List<long[]> candidates = new ArrayList<>();
        for (int i = 0; i < synced; i++)
        {
            final byte[] record = log.get(i);
            if (view.wrap(new UnsafeBuffer(record), 0, record.length) && view.rawKind() == MemoryRecord.VALUE &&
                view.clientId() == clientId && view.requestSequence() == sequence && keyEquals(view, key))
            {
                final boolean ownVote = view.author() == replicaIndex && view.authorIndex() == i + 1;
                if (ownVote)
                {
                    return true;
                }
                candidates.add(new long[]{ view.slot(), view.ballot() });
            }
        }
        for (int i = 0; i < synced && !candidates.isEmpty(); i++)
        {
            final byte[] record = log.get(i);
            if (!view.wrap(new UnsafeBuffer(record), 0, record.length) || !keyEquals(view, key))
            {
                continue;
            }
            for (final long[] candidate : candidates)
            {
                if (((view.rawKind() == MemoryRecord.ACCEPTED || view.rawKind() == MemoryRecord.COMMIT) &&
                    view.slot() == candidate[0] && view.ballot() == candidate[1]) ||
                    (view.rawKind() == MemoryRecord.INSTALL && view.slot() >= candidate[0]))
                {
                    return true;
                }
            }
        }
        return false;
    }

    public int logSize()
    {
        return log.size();
    }

    private static boolean keyEquals(final MemoryRecord view, final byte[] key)
    {
        if (view.keyLength() != key.length)
        {
            return false;
        }
        for (int i = 0; i < key.length; i++)
        {
            if (view.keyBuffer().getByte(view.keyOffset() + i) != key[i])
            {
                return false;
            }
        }
        return true;
    }

    // ---- decided state ----------------------------------------------------------------------------------------

    private Entry entry(final DirectBuffer key, final int offset, final int length)
    {
        return entries.get(Bytes.of(key, offset, length));
    }

    private Entry entryOrCreate(final DirectBuffer key, final int offset, final int length)
    {
        return entryOrCreate(Bytes.of(key, offset, length));
    }

    private Entry entryOrCreate(final Bytes key)
    {
        Entry e = entries.get(key);
        if (null == e)
        {
            e = new Entry();
            entries.put(key, e);
            keyOrder.add(key);
        }
        return e;
    }

    public long committedSlot(final DirectBuffer key, final int offset, final int length)
    {
        final Entry e = entry(key, offset, length);
        return null == e ? 0 : e.slot;
    }

    public long version(final DirectBuffer key, final int offset, final int length)
    {
        final Entry e = entry(key, offset, length);
        return null == e ? 0 : e.version;
    }

    public long committedBallot(final DirectBuffer key, final int offset, final int length)
    {
        final Entry e = entry(key, offset, length);
        return null == e ? 0 : e.committedBallot;
    }

    public long promisedBallot(final DirectBuffer key, final int offset, final int length)
    {
        final Entry e = entry(key, offset, length);
        return null == e ? 0 : e.promised;
    }

    // ---- proposing -------------------------------------------------------------------------------------------

    public int evaluate(final KvRequestDecoder request, final long ballot, final int author, final MutableDirectBuffer out)
    {
        final KvOp op = request.op();
        final long expectedVersion = request.expectedVersion();
        final List<byte[][]> batch = new ArrayList<>();
        final KvRequestDecoder.RowsDecoder rows = request.rows();
        while (rows.hasNext())
        {
            rows.next();
            final byte rowOp = (byte)rows.rowOp().value();
            final byte[] rowKey = new byte[rows.rowKeyLength()];
            rows.getRowKey(rowKey, 0, rowKey.length);
            final byte[] rowValue = new byte[rows.rowValueLength()];
            rows.getRowValue(rowValue, 0, rowValue.length);
            batch.add(new byte[][]{ { rowOp }, rowKey, rowValue });
        }
        final byte[] key = new byte[request.keyLength()];
        request.getKey(key, 0, key.length);
        final byte[] rowKey = new byte[request.rowKeyLength()];
        request.getRowKey(rowKey, 0, rowKey.length);
        request.skipRowKeyEnd();
        final byte[] value = new byte[request.valueLength()];
        request.getValue(value, 0, value.length);

        if (key.length < 1 || key.length > MAX_KEY_LENGTH)
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        if (value.length > MAX_VALUE_LENGTH)
        {
            return ResultCode.VALUE_TOO_LARGE;
        }

        final Entry e = entries.get(new Bytes(key));
        final long version = null == e ? 0 : e.version;
        final long slot = null == e ? 0 : e.slot;
        final boolean isTable = null != e && e.table;
        final boolean present = null != e && !e.table && null != e.value;

        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        final int[] payloadLength = new int[1];
        final byte[] mutation = new byte[1];
        final int outcome = mutationOf(op, expectedVersion, batch, rowKey, value, e, version, isTable, present,
            payload, payloadLength, mutation);
        if (outcome == ResultCode.OK)
        {
            proposalLength = encode(out, MemoryRecord.VALUE, author, mutation[0], 0, slot + 1, ballot,
                request.clientId(), request.requestSequence(), key, payload, payloadLength[0]);
            return ResultCode.OK;
        }
        if (isInputError(outcome))
        {
            return outcome;
        }
        payload.putInt(0, outcome);
        proposalLength = encode(out, MemoryRecord.VALUE, author, MemoryRecord.NOOP, 0, slot + 1, ballot,
            request.clientId(), request.requestSequence(), key, payload, 4);
        return ResultCode.OK;
    }

    private static boolean isInputError(final int code)
    {
        return code == ResultCode.KEY_TOO_LARGE || code == ResultCode.VALUE_TOO_LARGE ||
            code == ResultCode.ROW_KEY_TOO_LARGE || code == ResultCode.BATCH_TOO_LARGE ||
            code == ResultCode.INVALID_REQUEST;
    }

    private static int mutationOf(
        final KvOp op, final long expectedVersion, final List<byte[][]> batch, final byte[] rowKey,
        final byte[] value, final Entry e, final long version, final boolean isTable, final boolean present,
        final ExpandableArrayBuffer payload, final int[] payloadLengthOut, final byte[] mutationOut)
    {
        int payloadLength = 0;
        final byte mutation;
        switch (op)
        {
            case PUT:
            case PUT_IF_VERSION:
            case PUT_IF_ABSENT:
                if (isTable)
                {
                    return ResultCode.WRONG_TYPE;
                }
                if (op == KvOp.PUT_IF_VERSION && version != expectedVersion)
                {
                    return ResultCode.VERSION_MISMATCH;
                }
                if (op == KvOp.PUT_IF_ABSENT && present)
                {
                    return ResultCode.ALREADY_EXISTS;
                }
                mutation = MemoryRecord.KV_PUT;
                payload.putInt(0, value.length);
                payload.putBytes(4, value);
                payloadLength = 4 + value.length;
                break;

            case DELETE:
                if (isTable)
                {
                    return ResultCode.WRONG_TYPE;
                }
                if (!present)
                {
                    return ResultCode.NOT_FOUND;
                }
                mutation = MemoryRecord.KV_DELETE;
                break;

            case ROW_PUT:
            case ROW_DELETE:
            case ROW_APPEND:
            case TABLE_BATCH:
            {
                if (present)
                {
                    return ResultCode.WRONG_TYPE;
                }
                final List<byte[][]> changes = new ArrayList<>();
                if (op == KvOp.TABLE_BATCH)
                {
                    if (batch.isEmpty())
                    {
                        return ResultCode.INVALID_REQUEST;
                    }
                    if (batch.size() > MAX_BATCH_ROWS)
                    {
                        return ResultCode.BATCH_TOO_LARGE;
                    }
                    changes.addAll(batch);
                }
                else
                {
                    final byte rowOp = (byte)(op == KvOp.ROW_DELETE ? RowOp.DELETE.value() :
                        op == KvOp.ROW_APPEND ? RowOp.APPEND.value() : RowOp.PUT.value());
                    changes.add(new byte[][]{ { rowOp }, rowKey, value });
                }
                final TreeMap<Bytes, Row> current = null == e ? new TreeMap<>() : new TreeMap<>(e.rows);
                int changed = 0;
                for (final byte[][] change : changes)
                {
                    final byte rowOp = change[0][0];
                    final Bytes row = new Bytes(change[1]);
                    if (change[1].length < 1 || change[1].length > MAX_KEY_LENGTH)
                    {
                        return ResultCode.ROW_KEY_TOO_LARGE;
                    }
                    if (change[2].length > MAX_VALUE_LENGTH)
                    {
                        return ResultCode.VALUE_TOO_LARGE;
                    }
                    if (rowOp == RowOp.DELETE.value())
                    {
                        if (null == current.remove(row))
                        {
                            if (op == KvOp.ROW_DELETE)
                            {
                                return ResultCode.NOT_FOUND;
                            }
                            continue;
                        }
                    }
                    else if (rowOp == RowOp.APPEND.value())
                    {
                        if (!current.isEmpty() && current.lastKey().compareTo(row) >= 0)
                        {
                            return ResultCode.ROW_KEY_NOT_LAST;
                        }
                        current.put(row, new Row(change[2], 0));
                    }
                    else if (rowOp == RowOp.PUT.value())
                    {
                        current.put(row, new Row(change[2], 0));
                    }
                    else
                    {
                        return ResultCode.INVALID_REQUEST;
                    }
                    payload.putByte(4 + payloadLength, rowOp);
                    payload.putInt(5 + payloadLength, change[1].length);
                    payload.putBytes(9 + payloadLength, change[1]);
                    payload.putInt(9 + payloadLength + change[1].length, change[2].length);
                    payload.putBytes(13 + payloadLength + change[1].length, change[2]);
                    payloadLength += 9 + change[1].length + change[2].length;
                    changed++;
                }
                payload.putInt(0, changed);
                payloadLength += 4;
                mutation = MemoryRecord.TABLE_OPS;
                break;
            }

            default:
                return ResultCode.INVALID_REQUEST;
        }
        payloadLengthOut[0] = payloadLength;
        mutationOut[0] = mutation;
        return ResultCode.OK;
    }

    private static int encode(
        final MutableDirectBuffer out, final byte kind, final int author, final byte mutation, final long authorIndex,
        final long version, final long ballot, final long clientId, final long sequence, final byte[] key,
        final DirectBuffer payload, final int payloadLength)
    {
        out.putByte(MemoryRecord.KIND, kind);
        out.putByte(MemoryRecord.AUTHOR, (byte)author);
        out.putByte(MemoryRecord.MUTATION, mutation);
        out.putByte(3, (byte)0);
        out.putLong(MemoryRecord.AUTHOR_INDEX, authorIndex);
        out.putLong(MemoryRecord.SLOT, version);
        out.putLong(MemoryRecord.BALLOT, ballot);
        out.putLong(MemoryRecord.CLIENT_ID, clientId);
        out.putLong(MemoryRecord.REQUEST_SEQUENCE, sequence);
        out.putInt(MemoryRecord.KEY_LENGTH, key.length);
        out.putBytes(MemoryRecord.KEY, key);
        if (payloadLength > 0)
        {
            out.putBytes(MemoryRecord.KEY + key.length, payload, 0, payloadLength);
        }
        final int length = MemoryRecord.KEY + key.length + payloadLength;
        MemoryRecord.seal(out, 0, length);
        return length;
    }

    public int proposalLength()
    {
        return proposalLength;
    }

    public int reballot(final RecordView value, final long ballot, final int author, final MutableDirectBuffer out)
    {
        final int length = value.length();
        out.putBytes(0, value.buffer(), value.offset(), length);
        out.putByte(MemoryRecord.AUTHOR, (byte)author);
        out.putLong(MemoryRecord.AUTHOR_INDEX, 0);
        out.putLong(MemoryRecord.BALLOT, ballot);
        MemoryRecord.seal(out, 0, length);
        return length;
    }

    public long appendAuthored(final MutableDirectBuffer record, final int offset, final int length)
    {
        // the author index is the log index here: the simplest number that grows with each authored record
        final long index = log.size() + 1;
        record.putLong(offset + MemoryRecord.AUTHOR_INDEX, index);
        MemoryRecord.seal(record, offset, length);
        authoredIndexes.add(index);
        return appendReceived(record, offset, length);
    }

    public long durableAuthoredHead()
    {
        for (int i = authoredIndexes.size() - 1; i >= 0; i--)
        {
            if (authoredIndexes.get(i) <= synced)
            {
                return authoredIndexes.get(i);
            }
        }
        return 0;
    }

    public long appendReceived(final DirectBuffer record, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        record.getBytes(offset, copy);
        log.add(copy);
        return log.size();
    }

    public long appendPromise(final DirectBuffer key, final int offset, final int length, final long ballot)
    {
        final Entry e = entryOrCreate(key, offset, length);
        e.promised = Math.max(e.promised, ballot);
        return appendSmall(MemoryRecord.PROMISE, key, offset, length, 0, ballot, replicaIndex);
    }

    public long appendAccepted(
        final DirectBuffer key, final int offset, final int length, final long version, final long ballot)
    {
        final Entry e = entryOrCreate(key, offset, length);
        e.promised = Math.max(e.promised, ballot);
        return appendSmall(MemoryRecord.ACCEPTED, key, offset, length, version, ballot, replicaIndex);
    }

    private long appendSmall(
        final byte kind, final DirectBuffer key, final int offset, final int length, final long version,
        final long ballot, final int author)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(MemoryRecord.KEY + length);
        final byte[] keyBytes = new byte[length];
        key.getBytes(offset, keyBytes);
        final int recordLength = encode(out, kind, author, (byte)0, 0, version, ballot, 0, 0, keyBytes, out, 0);
        return appendReceived(out, 0, recordLength);
    }

    public int encodeCommit(
        final DirectBuffer key, final int offset, final int length, final long version, final long ballot,
        final int author, final MutableDirectBuffer out)
    {
        final byte[] keyBytes = new byte[length];
        key.getBytes(offset, keyBytes);
        return encode(out, MemoryRecord.COMMIT, author, (byte)0, 0, version, ballot, 0, 0, keyBytes, out, 0);
    }

    public int commit(final long valueLogIndex)
    {
        final byte[] record = log.get((int)valueLogIndex - 1);
        final MemoryRecord view = new MemoryRecord();
        if (!view.wrap(new UnsafeBuffer(record), 0, record.length) || view.rawKind() != MemoryRecord.VALUE)
        {
            throw new IllegalStateException("commit of a record that is not a VALUE at " + valueLogIndex);
        }
        final Bytes key = Bytes.of(view.keyBuffer(), view.keyOffset(), view.keyLength());
        final Entry e = entryOrCreate(key);
        if (view.slot() != e.slot + 1)
        {
            throw new IllegalStateException("commit of slot " + view.slot() + " over " + e.slot + " for key " + key);
        }
        int result = ResultCode.OK;
        final UnsafeBuffer b = (UnsafeBuffer)view.buffer();
        int p = view.payloadOffset();
        switch (view.mutation())
        {
            case MemoryRecord.KV_PUT:
            {
                final byte[] value = new byte[b.getInt(p)];
                b.getBytes(p + 4, value);
                e.table = false;
                e.rows.clear();
                e.value = value;
                break;
            }
            case MemoryRecord.KV_DELETE:
                e.table = false;
                e.value = null;
                break;
            case MemoryRecord.NOOP:
                result = b.getInt(p);
                break;
            case MemoryRecord.TABLE_OPS:
            {
                e.table = true;
                e.value = null;
                final int count = b.getInt(p);
                p += 4;
                for (int i = 0; i < count; i++)
                {
                    final byte rowOp = b.getByte(p);
                    final byte[] rowKey = new byte[b.getInt(p + 1)];
                    b.getBytes(p + 5, rowKey);
                    final byte[] rowValue = new byte[b.getInt(p + 5 + rowKey.length)];
                    b.getBytes(p + 9 + rowKey.length, rowValue);
                    p += 9 + rowKey.length + rowValue.length;
                    if (rowOp == RowOp.DELETE.value())
                    {
                        e.rows.remove(new Bytes(rowKey));
                    }
                    else
                    {
                        e.rows.put(new Bytes(rowKey), new Row(rowValue, e.version + 1));
                    }
                }
                break;
            }
            default:
                throw new IllegalStateException("unknown mutation " + view.mutation());
        }
        if (view.mutation() != MemoryRecord.NOOP)
        {
            e.version++;
        }
        e.slot = view.slot();
        e.committedBallot = view.ballot();
        applied.computeIfAbsent(view.clientId(), c -> new HashMap<>())
            .put(view.requestSequence(), new long[]{ result, e.version });
        e.requests.add(new long[]{ view.clientId(), view.requestSequence(), result, e.version });
        recordDigest(key, e);
        return result;
    }

    private void recordDigest(final Bytes key, final Entry e)
    {
        final Map<Long, Integer> digests = decidedDigests.computeIfAbsent(key, k -> new HashMap<>());
        final int digest = digestOf(e);
        final Integer previous = digests.putIfAbsent(e.slot, digest);
        if (null != previous && previous != digest)
        {
            throw new IllegalStateException("replica " + replicaIndex + " decided two states for " + key + " slot " +
                e.slot);
        }
    }

    static int digestOf(final Entry e)
    {
        int h = e.table ? 1 : 2;
        h = h * 31 + Long.hashCode(e.version);
        h = h * 31 + (null == e.value ? -1 : Arrays.hashCode(e.value));
        for (final Map.Entry<Bytes, Row> row : e.rows.entrySet())
        {
            h = h * 31 + row.getKey().hashCode();
            h = h * 31 + Arrays.hashCode(row.getValue().value());
            h = h * 31 + Long.hashCode(row.getValue().version());
        }
        return h;
    }

    public boolean findApplied(final long clientId, final long requestSequence)
    {
        final Map<Long, long[]> byClient = applied.get(clientId);
        final long[] outcome = null == byClient ? null : byClient.get(requestSequence);
        if (null == outcome)
        {
            return false;
        }
        appliedResult = (int)outcome[0];
        appliedVersion = outcome[1];
        return true;
    }

    public int appliedResult()
    {
        return appliedResult;
    }

    public long appliedVersion()
    {
        return appliedVersion;
    }

    // ---- binlog --------------------------------------------------------------------------------------------

    public void sync()
    {
        if (crashOnNextSync)
        {
            crashOnNextSync = false;
            throw new SimulatedCrash();
        }
        synced = log.size();
    }

    public long syncedIndex()
    {
        return synced;
    }

    public long lastIndex()
    {
        return log.size();
    }

    public boolean read(final long logIndex, final RecordHandler handler)
    {
        if (logIndex < 1 || logIndex > log.size())
        {
            return false;
        }
        final byte[] record = log.get((int)logIndex - 1);
        logView.wrap(record);
        if (!readView.wrap(logView, 0, record.length))
        {
            return false;
        }
        handler.onRecord(logIndex, readView);
        return true;
    }

    public int readAuthored(final long afterAuthorIndex, final int limitBytes, final RecordHandler handler)
    {
        readGap = -1;
        if (afterAuthorIndex + 1 < shippableFrom)
        {
            readGap = shippableFrom - 1;
            return 0;
        }
        int count = 0;
        int bytes = 0;
        for (long index = Math.max(1, afterAuthorIndex + 1); index <= synced && bytes < limitBytes; index++)
        {
            final byte[] record = log.get((int)index - 1);
            logView.wrap(record);
            if (!readView.wrap(logView, 0, record.length))
            {
                continue;
            }
            if (readView.author() == replicaIndex && readView.authorIndex() == index &&
                (readView.rawKind() == MemoryRecord.VALUE || readView.rawKind() == MemoryRecord.COMMIT))
            {
                if (!handler.onRecord(index, readView))
                {
                    break;
                }
                count++;
                bytes += record.length;
            }
        }
        return count;
    }

    public long authoredGap()
    {
        return readGap;
    }

    public long logIndexOfAuthored(final long authorIndex)
    {
        return authorIndex; // author indexes are log indexes here
    }

    /**
     * What binlog retention does to a real store: authored records below the floor (what every peer heard from
     * lately holds) can no longer be shipped; a peer that asks for them gets a stream reset. Recovery still reads them:
     * a real store covers them with a snapshot.
     *
     * @param floorLogIndex the replica's {@link dev.tern.storage.replication.Replica#retentionFloorLogIndex()}.
     */
    public void trimAuthored(final long floorLogIndex)
    {
        shippableFrom = Math.max(shippableFrom, Math.min(floorLogIndex, synced + 1L));
    }

    public long keyPositions()
    {
        return keyOrder.size();
    }

    public int keyAt(final long position, final MutableDirectBuffer keyOut)
    {
        final byte[] key = keyOrder.get((int)position).bytes();
        keyOut.putBytes(0, key);
        return key.length;
    }

    public boolean isTransferPending(final int author)
    {
        return transfersPending.contains(author);
    }

    public void transferPending(final int author, final boolean pending)
    {
        if (pending)
        {
            transfersPending.add(author);
        }
        else
        {
            transfersPending.remove(author);
        }
    }

    public RecordView newView()
    {
        return new MemoryRecord();
    }

    public void recover(final RecoveryListener listener)
    {
        entries.clear();
        keyOrder.clear();
        applied.clear();
        final MemoryRecord view = new MemoryRecord();
        final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        for (int i = 0; i < log.size(); i++)
        {
            final byte[] record = log.get(i);
            buffer.wrap(record);
            if (!view.wrap(buffer, 0, record.length))
            {
                // a torn or corrupt tail: cut it off
                while (log.size() > i)
                {
                    log.remove(log.size() - 1);
                }
                synced = Math.min(synced, log.size());
                break;
            }
            final long logIndex = i + 1;
            switch (view.rawKind())
            {
                case MemoryRecord.PROMISE:
                case MemoryRecord.ACCEPTED:
                {
                    final Entry e = entryOrCreate(view.keyBuffer(), view.keyOffset(), view.keyLength());
                    e.promised = Math.max(e.promised, view.ballot());
                    break;
                }
                case MemoryRecord.INSTALL:
                    install(view);
                    break;
                default:
                    break;
            }
            listener.onRecord(logIndex, view);
        }
        synced = log.size();
    }

    // ---- reads and state transfer --------------------------------------------------------------------------

    public int serve(final KvRequestDecoder request, final KvResponseEncoder response)
    {
        final KvOp op = request.op();
        final int limit = request.rowLimit();
        final KvRequestDecoder.RowsDecoder rowsIn = request.rows();
        while (rowsIn.hasNext())
        {
            rowsIn.next().skipRowKey();
            rowsIn.skipRowValue();
        }
        final byte[] key = new byte[request.keyLength()];
        request.getKey(key, 0, key.length);
        final byte[] rowKey = new byte[request.rowKeyLength()];
        request.getRowKey(rowKey, 0, rowKey.length);
        final byte[] rowKeyEnd = new byte[request.rowKeyEndLength()];
        request.getRowKeyEnd(rowKeyEnd, 0, rowKeyEnd.length);
        request.skipValue();

        final Entry e = entries.get(new Bytes(key));
        final long version = null == e ? 0 : e.version;
        response.version(version);
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        switch (op)
        {
            case GET:
                response.rowsCount(0);
                if (null != e && e.table)
                {
                    response.putValue(empty, 0, 0);
                    return ResultCode.WRONG_TYPE;
                }
                if (null == e || null == e.value)
                {
                    response.putValue(empty, 0, 0);
                    return ResultCode.NOT_FOUND;
                }
                response.putValue(new UnsafeBuffer(e.value), 0, e.value.length);
                return ResultCode.OK;

            case ROW_GET:
            {
                if (null != e && !e.table && null != e.value)
                {
                    response.rowsCount(0);
                    response.putValue(empty, 0, 0);
                    return ResultCode.WRONG_TYPE;
                }
                final Row row = null == e ? null : e.rows.get(new Bytes(rowKey));
                if (null == row)
                {
                    response.rowsCount(0);
                    response.putValue(empty, 0, 0);
                    return ResultCode.NOT_FOUND;
                }
                response.rowsCount(1).next().rowVersion(row.version())
                    .putRowKey(new UnsafeBuffer(rowKey), 0, rowKey.length)
                    .putRowValue(new UnsafeBuffer(row.value()), 0, row.value().length);
                response.putValue(empty, 0, 0);
                return ResultCode.OK;
            }

            case SCAN:
            {
                if (null != e && !e.table && null != e.value)
                {
                    response.rowsCount(0);
                    response.putValue(empty, 0, 0);
                    return ResultCode.WRONG_TYPE;
                }
                final int max = limit <= 0 ? MAX_SCAN_ROWS : Math.min(limit, MAX_SCAN_ROWS);
                final NavigableMap<Bytes, Row> range;
                if (null == e)
                {
                    range = new TreeMap<>();
                }
                else if (rowKeyEnd.length == 0)
                {
                    range = e.rows.tailMap(new Bytes(rowKey), true);
                }
                else
                {
                    final Bytes from = new Bytes(rowKey);
                    final Bytes end = new Bytes(rowKeyEnd);
                    range = from.compareTo(end) >= 0 ? new TreeMap<>() : e.rows.subMap(from, true, end, false);
                }
                final List<Map.Entry<Bytes, Row>> selected = new ArrayList<>();
                for (final Map.Entry<Bytes, Row> entry : range.entrySet())
                {
                    if (selected.size() == max)
                    {
                        break;
                    }
                    selected.add(entry);
                }
                response.more(range.size() > selected.size() ? BooleanType.TRUE : BooleanType.FALSE);
                final KvResponseEncoder.RowsEncoder rows = response.rowsCount(selected.size());
                for (final Map.Entry<Bytes, Row> entry : selected)
                {
                    final byte[] k = entry.getKey().bytes();
                    final byte[] v = entry.getValue().value();
                    rows.next().rowVersion(entry.getValue().version())
                        .putRowKey(new UnsafeBuffer(k), 0, k.length)
                        .putRowValue(new UnsafeBuffer(v), 0, v.length);
                }
                response.putValue(empty, 0, 0);
                return ResultCode.OK;
            }

            default:
                response.rowsCount(0);
                response.putValue(empty, 0, 0);
                return ResultCode.INVALID_REQUEST;
        }
    }

    public int exportKey(final DirectBuffer key, final int offset, final int length, final MutableDirectBuffer out)
    {
        final Entry e = entry(key, offset, length);
        if (null == e || e.slot == 0)
        {
            return 0;
        }
        final byte[] keyBytes = new byte[length];
        key.getBytes(offset, keyBytes);
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        payload.putLong(0, e.version);
        int p = 8;
        final byte mutation;
        if (e.table)
        {
            mutation = MemoryRecord.INSTALL_TABLE;
            payload.putInt(p, e.rows.size());
            p += 4;
            for (final Map.Entry<Bytes, Row> row : e.rows.entrySet())
            {
                final byte[] k = row.getKey().bytes();
                final byte[] v = row.getValue().value();
                payload.putInt(p, k.length);
                payload.putBytes(p + 4, k);
                payload.putLong(p + 4 + k.length, row.getValue().version());
                payload.putInt(p + 12 + k.length, v.length);
                payload.putBytes(p + 16 + k.length, v);
                p += 16 + k.length + v.length;
            }
        }
        else
        {
            mutation = MemoryRecord.INSTALL_KV;
            payload.putByte(p, (byte)(null == e.value ? 0 : 1));
            final byte[] v = null == e.value ? new byte[0] : e.value;
            payload.putInt(p + 1, v.length);
            payload.putBytes(p + 5, v);
            p += 5 + v.length;
        }
        payload.putInt(p, e.requests.size());
        p += 4;
        for (final long[] request : e.requests)
        {
            payload.putLong(p, request[0]);
            payload.putLong(p + 8, request[1]);
            payload.putLong(p + 16, request[2]);
            payload.putLong(p + 24, request[3]);
            p += 32;
        }
        return encode(out, MemoryRecord.INSTALL, replicaIndex, mutation, 0, e.slot, e.committedBallot, 0, 0,
            keyBytes, payload, p);
    }

    public boolean installKey(final DirectBuffer state, final int offset, final int length)
    {
        final MemoryRecord view = new MemoryRecord();
        if (!view.wrap(state, offset, length) || view.rawKind() != MemoryRecord.INSTALL)
        {
            return false;
        }
        final Entry e = entry(view.keyBuffer(), view.keyOffset(), view.keyLength());
        if (null != e && e.slot >= view.slot())
        {
            return false;
        }
        appendReceived(state, offset, length);
        install(view);
        return true;
    }

    private void install(final MemoryRecord view)
    {
        final Bytes key = Bytes.of(view.keyBuffer(), view.keyOffset(), view.keyLength());
        final Entry e = entryOrCreate(key);
        if (e.slot >= view.slot())
        {
            return;
        }
        final UnsafeBuffer b = (UnsafeBuffer)view.buffer();
        int p = view.payloadOffset();
        final long installedVersion = b.getLong(p);
        p += 8;
        e.rows.clear();
        if (view.mutation() == MemoryRecord.INSTALL_TABLE)
        {
            e.table = true;
            e.value = null;
            final int count = b.getInt(p);
            p += 4;
            for (int i = 0; i < count; i++)
            {
                final byte[] k = new byte[b.getInt(p)];
                b.getBytes(p + 4, k);
                final long rowVersion = b.getLong(p + 4 + k.length);
                final byte[] v = new byte[b.getInt(p + 12 + k.length)];
                b.getBytes(p + 16 + k.length, v);
                p += 16 + k.length + v.length;
                e.rows.put(new Bytes(k), new Row(v, rowVersion));
            }
        }
        else
        {
            e.table = false;
            final boolean present = b.getByte(p) != 0;
            final byte[] v = new byte[b.getInt(p + 1)];
            b.getBytes(p + 5, v);
            e.value = present ? v : null;
            p += 5 + v.length;
        }
        final int requestCount = b.getInt(p);
        p += 4;
        e.requests.clear();
        for (int i = 0; i < requestCount; i++)
        {
            final long clientId = b.getLong(p);
            final long sequence = b.getLong(p + 8);
            final long result = b.getLong(p + 16);
            final long version = b.getLong(p + 24);
            p += 32;
            e.requests.add(new long[]{ clientId, sequence, result, version });
            applied.computeIfAbsent(clientId, c -> new HashMap<>()).put(sequence, new long[]{ result, version });
        }
        e.slot = view.slot();
        e.version = installedVersion;
        e.committedBallot = view.ballot();
        recordDigest(key, e);
    }

    public int maxRecordLength()
    {
        return MAX_VALUE_LENGTH * 2 + 4096;
    }

    public void close()
    {
    }
}
