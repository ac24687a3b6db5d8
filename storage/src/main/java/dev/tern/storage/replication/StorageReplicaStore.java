package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.BooleanType;
import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.codecs.replication.sbe.KvRequestDecoder;
import dev.tern.codecs.replication.sbe.KvResponseEncoder;
import dev.tern.codecs.replication.sbe.RowOp;
import dev.tern.storage.ResultCode;
import dev.tern.storage.RowHandler;
import dev.tern.storage.StorageConfiguration;
import dev.tern.storage.StorageNode;
import dev.tern.storage.TableBatch;
import dev.tern.storage.ValueView;
import dev.tern.storage.binlog.BinlogReader;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.binlog.BinlogRecordHandler;
import dev.tern.storage.binlog.BinlogRecordWriter;
import dev.tern.storage.cluster.KeyHash;
import dev.tern.storage.index.KeyIndex;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;

/**
 * The {@link ReplicaStore} of a KVSvr node: a {@link StorageNode} whose Chronicle Queue binlog holds the replication
 * records (types 64 and up) beside the storage's own, and whose key metadata words keep each key's promised ballot,
 * decided slot and the ballot that decided it.
 * <p>
 * A decided VALUE is applied where it lies in the binlog ({@link StorageNode#applyLogged}): its COMMIT record is the
 * single point that decides it, and the value is written once. Recovery runs in two passes: the storage node
 * replays its snapshot and its own records (key installs), then this store replays the replication records in order
 * through the replica, which applies the committed values again (idempotent by version).
 */
public final class StorageReplicaStore implements ReplicaStore
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int SPARSE_STEP = 128;
    private static final int READERS = 4;
    private static final int MAX_SCAN_ROWS = 1000;
    private static final int VALUE_LOCATIONS = 1 << 20;
    /** A file named this plus a peer's index: a state transfer from that peer is not complete yet. */
    public static final String TRANSFER_MARKER_PREFIX = "state-transfer-pending-from-";

    private final StorageNode.Context nodeContext;
    private final int self;
    private final int maxValueLength;
    private final int maxRecordLength;
    private final int maxBatchRows;
    private StorageNode node;
    private LongSupplier replayFloor = () -> Long.MAX_VALUE;

    private final BinlogRecordWriter writer = new BinlogRecordWriter();
    private final BinlogRecord readRecord = new BinlogRecord();
    private final StorageRecordView handlerView = new StorageRecordView();
    private final AppliedRequests applied;
    /** Where each VALUE not yet committed lies; bounded, the oldest forgotten first (found again by a binlog read). */
    private final Long2LongHashMap valueLocations = new Long2LongHashMap(-1);
    private final long[] valueLocationOrder;
    private int valueLocationHead;
    private int valueLocationCount;
    private final TableBatch batch = new TableBatch();
    private final ValueView valueView = new ValueView();
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer rowView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer valueIn = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer rowEndView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer exportScratch = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer scanRows = new ExpandableArrayBuffer(4096);
    private int proposalLength;

    // authored stream: author index -> binlog index, sparse, for rewinding a peer's stream
    private long authoredHead;
    private long authoredHeadLogIndex = -1;
    private long durableAuthoredHead;
    private final LongArrayList sparseAuthorIndexes = new LongArrayList();
    private final LongArrayList sparseLogIndexes = new LongArrayList();
    private final BinlogReader[] readers = new BinlogReader[READERS];
    private final long[] readerContinuation = new long[READERS];
    private final long[] readerUsed = new long[READERS];
    private long readerClock;
    private BinlogReader randomReader;

    private long afterAuthorIndex;
    private int readLimitBytes;
    private int readBytes;
    private int readCount;
    private long readLastAuthorIndex;
    private long readGap;
    private boolean readStopped;
    private RecordHandler readHandler;
    private final BinlogRecordHandler authoredFilter = this::onAuthoredCandidate;
    private final StorageRecordView readView = new StorageRecordView();

    private int scanCount;
    private int scanBytes;
    private final RowHandler scanCollector = this::collectRow;
    private int exportRows;
    private final RowHandler exportRow = this::exportRow;

    private int foundResult;
    private long foundVersion;
    private long exportTooLarge;

    /**
     * @param nodeContext the storage node's settings (directory, memory, durability); metadata is switched on here.
     * @param replicaIndex this replica's index: the author of what it proposes.
     * @param appliedRequests how many decided requests to remember for at-most-once retries.
     */
    public StorageReplicaStore(final StorageNode.Context nodeContext, final int replicaIndex, final int appliedRequests)
    {
        this.nodeContext = nodeContext;
        this.self = replicaIndex;
        this.applied = new AppliedRequests(appliedRequests);
        this.valueLocationOrder = new long[VALUE_LOCATIONS];
        nodeContext.metadataEnabled(true).nodeId(replicaIndex);
        maxValueLength = nodeContext.maxValueLength();
        maxRecordLength = nodeContext.maxRecordLength();
        maxBatchRows = nodeContext.maxBatchRows();
    }

    /**
     * @param replayFloor the lowest binlog index recovery must replay (the replica's oldest vote or held value), asked
     *                    when a snapshot starts.
     */
    public void replayFloor(final LongSupplier replayFloor)
    {
        this.replayFloor = replayFloor;
    }

    /** @return the storage node, once recovered. */
    public StorageNode node()
    {
        return node;
    }

    /** @return key exports refused because the key's state exceeds the largest record. */
    public long exportTooLarge()
    {
        return exportTooLarge;
    }

    // ---- decided state ---------------------------------------------------------------------------------------

    public long committedSlot(final DirectBuffer key, final int offset, final int length)
    {
        return node.metadata(key, offset, length, StorageNode.METADATA_SLOT);
    }

    public long committedBallot(final DirectBuffer key, final int offset, final int length)
    {
        return node.metadata(key, offset, length, StorageNode.METADATA_BALLOT);
    }

    public long promisedBallot(final DirectBuffer key, final int offset, final int length)
    {
        return node.metadata(key, offset, length, StorageNode.METADATA_PROMISED);
    }

    public long version(final DirectBuffer key, final int offset, final int length)
    {
        return node.version(key, offset, length);
    }

    private void raiseSlot(final DirectBuffer key, final int offset, final int length, final long slot, final long ballot)
    {
        if (slot > committedSlot(key, offset, length))
        {
            node.setMetadata(key, offset, length, StorageNode.METADATA_SLOT, slot);
            node.setMetadata(key, offset, length, StorageNode.METADATA_BALLOT, ballot);
        }
    }

    private void raisePromise(final DirectBuffer key, final int offset, final int length, final long ballot)
    {
        if (ballot > promisedBallot(key, offset, length))
        {
            node.setMetadata(key, offset, length, StorageNode.METADATA_PROMISED, ballot);
        }
    }

    // ---- proposing -------------------------------------------------------------------------------------------

    public int evaluate(final KvRequestDecoder request, final long ballot, final int author, final MutableDirectBuffer out)
    {
        final KvOp op = request.op();
        final long expectedVersion = request.expectedVersion();
        batch.reset();
        final KvRequestDecoder.RowsDecoder rows = request.rows();
        final int rowCount = rows.count();
        boolean badRow = false;
        while (rows.hasNext())
        {
            rows.next();
            final RowOp rowOp = rows.rowOp();
            rows.wrapRowKey(rowView);
            rows.wrapRowValue(valueIn);
            if (rowView.capacity() < 1 || rowView.capacity() > StorageConfiguration.MAX_KEY_LENGTH ||
                valueIn.capacity() > maxValueLength)
            {
                badRow = true;
                continue;
            }
            if (RowOp.PUT == rowOp)
            {
                batch.put(rowView, 0, rowView.capacity(), valueIn, 0, valueIn.capacity());
            }
            else if (RowOp.DELETE == rowOp)
            {
                batch.delete(rowView, 0, rowView.capacity());
            }
            else if (RowOp.APPEND == rowOp)
            {
                batch.append(rowView, 0, rowView.capacity(), valueIn, 0, valueIn.capacity());
            }
            else
            {
                return ResultCode.INVALID_REQUEST;
            }
        }
        request.wrapKey(keyView);
        request.wrapRowKey(rowView);
        request.wrapRowKeyEnd(rowEndView);
        request.wrapValue(valueIn);
        final int keyLength = keyView.capacity();
        if (keyLength < 1 || keyLength > StorageConfiguration.MAX_KEY_LENGTH)
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        if (valueIn.capacity() > maxValueLength)
        {
            return ResultCode.VALUE_TOO_LARGE;
        }

        final byte kind = node.kind(keyView, 0, keyLength);
        final long version = node.version(keyView, 0, keyLength);
        final long slot = committedSlot(keyView, 0, keyLength);
        final boolean table = KeyIndex.KIND_TABLE == kind;
        final boolean present = KeyIndex.KIND_VALUE == kind;
        int outcome = ResultCode.OK;
        switch (op)
        {
            case PUT:
            case PUT_IF_VERSION:
            case PUT_IF_ABSENT:
                if (table)
                {
                    outcome = ResultCode.WRONG_TYPE;
                }
                else if (KvOp.PUT_IF_VERSION == op && version != expectedVersion)
                {
                    outcome = ResultCode.VERSION_MISMATCH;
                }
                else if (KvOp.PUT_IF_ABSENT == op && present)
                {
                    outcome = ResultCode.ALREADY_EXISTS;
                }
                else
                {
                    proposalLength = encodeValue(out, BinlogRecord.VALUE_KV_PUT, version + 1, slot + 1, ballot, author,
                        request, valueIn, valueIn.capacity());
                    return ResultCode.OK;
                }
                break;

            case DELETE:
                if (table)
                {
                    outcome = ResultCode.WRONG_TYPE;
                }
                else if (!present)
                {
                    outcome = ResultCode.NOT_FOUND;
                }
                else
                {
                    proposalLength = encodeValue(out, BinlogRecord.VALUE_KV_DELETE, version + 1, slot + 1, ballot,
                        author, request, empty, 0);
                    return ResultCode.OK;
                }
                break;

            case ROW_PUT:
            case ROW_DELETE:
            case ROW_APPEND:
            {
                final int rowLength = rowView.capacity();
                if (rowLength < 1 || rowLength > StorageConfiguration.MAX_KEY_LENGTH)
                {
                    return ResultCode.ROW_KEY_TOO_LARGE;
                }
                batch.reset();
                if (present)
                {
                    outcome = ResultCode.WRONG_TYPE;
                }
                else if (KvOp.ROW_DELETE == op && !node.hasRow(keyView, 0, keyLength, rowView, 0, rowLength))
                {
                    outcome = ResultCode.NOT_FOUND;
                }
                else if (KvOp.ROW_APPEND == op &&
                    node.compareWithLastRow(keyView, 0, keyLength, rowView, 0, rowLength) <= 0)
                {
                    outcome = ResultCode.ROW_KEY_NOT_LAST;
                }
                else
                {
                    if (KvOp.ROW_DELETE == op)
                    {
                        batch.delete(rowView, 0, rowLength);
                    }
                    else if (KvOp.ROW_APPEND == op)
                    {
                        batch.append(rowView, 0, rowLength, valueIn, 0, valueIn.capacity());
                    }
                    else
                    {
                        batch.put(rowView, 0, rowLength, valueIn, 0, valueIn.capacity());
                    }
                    return encodeTable(out, version, slot, ballot, author, request, keyLength);
                }
                break;
            }

            case TABLE_BATCH:
                if (badRow)
                {
                    return ResultCode.ROW_KEY_TOO_LARGE;
                }
                if (rowCount < 1)
                {
                    return ResultCode.INVALID_REQUEST;
                }
                if (rowCount > maxBatchRows)
                {
                    return ResultCode.BATCH_TOO_LARGE;
                }
                if (present)
                {
                    outcome = ResultCode.WRONG_TYPE;
                }
                else if (!appendsInOrder(keyLength))
                {
                    outcome = ResultCode.ROW_KEY_NOT_LAST;
                }
                else
                {
                    return encodeTable(out, version, slot, ballot, author, request, keyLength);
                }
                break;

            default:
                return ResultCode.INVALID_REQUEST;
        }

        // a failed condition is decided too, as a no-op carrying its result (docs/kvsvr-protocol.md section 2)
        scratch.putInt(0, outcome, ORDER);
        proposalLength = encodeValue(out, BinlogRecord.VALUE_NOOP, version, slot + 1, ballot, author, request,
            scratch, 4);
        return ResultCode.OK;
    }

    /**
     * Each appended row of a batch must sort after every row of the table and every row put or appended before it
     * in the batch.
     */
    private boolean appendsInOrder(final int keyLength)
    {
        final DirectBuffer rows = batch.buffer();
        int highest = -1;
        for (int position = batch.firstRow(); position >= 0; position = batch.nextRow(position))
        {
            final int op = batch.op(position);
            if (BinlogRecord.ROW_APPEND == op)
            {
                if (node.compareWithLastRow(keyView, 0, keyLength, rows, batch.rowKeyOffset(position),
                    batch.rowKeyLength(position)) <= 0)
                {
                    return false;
                }
                if (highest >= 0 && compare(rows, batch.rowKeyOffset(position), batch.rowKeyLength(position),
                    batch.rowKeyOffset(highest), batch.rowKeyLength(highest)) <= 0)
                {
                    return false;
                }
            }
            if (BinlogRecord.ROW_DELETE != op && (highest < 0 || compare(rows, batch.rowKeyOffset(position),
                batch.rowKeyLength(position), batch.rowKeyOffset(highest), batch.rowKeyLength(highest)) > 0))
            {
                highest = position;
            }
        }
        return true;
    }

    private static int compare(final DirectBuffer buffer, final int aOffset, final int aLength, final int bOffset,
        final int bLength)
    {
        final int common = Math.min(aLength, bLength);
        for (int i = 0; i < common; i++)
        {
            final int a = buffer.getByte(aOffset + i) & 0xFF;
            final int b = buffer.getByte(bOffset + i) & 0xFF;
            if (a != b)
            {
                return a - b;
            }
        }
        return aLength - bLength;
    }

    private int encodeTable(
        final MutableDirectBuffer out, final long version, final long slot, final long ballot, final int author,
        final KvRequestDecoder request, final int keyLength)
    {
        if (BinlogRecordWriter.tableFrameLength(keyLength, batch) > maxRecordLength)
        {
            return ResultCode.BATCH_TOO_LARGE;
        }
        final int length = writer.encodeTableOps(out, 0, version + 1, ballot, author, request.clientId(),
            request.requestSequence(), System.currentTimeMillis() * 1_000_000L, keyView, 0, keyLength, batch);
        out.putByte(BinlogRecord.MESSAGE_OFFSET + 8 + dev.tern.codecs.binlog.sbe.BinlogRecordEncoder
            .recordTypeEncodingOffset(), (byte)BinlogRecord.VALUE_TABLE_OPS);
        writer.replicationFields(out, 0, length, slot + 1, ballot, author, 0);
        proposalLength = length;
        return ResultCode.OK;
    }

    private int encodeValue(
        final MutableDirectBuffer out, final int type, final long version, final long slot, final long ballot,
        final int author, final KvRequestDecoder request, final DirectBuffer value, final int valueLength)
    {
        final int length = writer.encode(out, 0, type, version, ballot, author, request.clientId(),
            request.requestSequence(), System.currentTimeMillis() * 1_000_000L, keyView, 0, keyView.capacity(), value,
            0, valueLength);
        writer.replicationFields(out, 0, length, slot, ballot, author, 0);
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
        writer.replicationFields(out, 0, length, value.slot(), ballot, author, 0);
        return length;
    }

    public long appendAuthored(final MutableDirectBuffer record, final int offset, final int length)
    {
        readRecord.wrap(record, offset, length);
        final long authorIndex = authoredHead + 1;
        writer.replicationFields(record, offset, length, readRecord.slot(), readRecord.ballot(), self, authorIndex);
        final long logIndex = appendReceived(record, offset, length);
        if (logIndex >= 0)
        {
            noteAuthored(authorIndex, logIndex);
        }
        return logIndex;
    }

    private void noteAuthored(final long authorIndex, final long logIndex)
    {
        if (authorIndex > authoredHead)
        {
            authoredHead = authorIndex;
            authoredHeadLogIndex = logIndex;
        }
        if (sparseAuthorIndexes.isEmpty() || authorIndex % SPARSE_STEP == 1)
        {
            sparseAuthorIndexes.addLong(authorIndex);
            sparseLogIndexes.addLong(logIndex);
        }
    }

    public long durableAuthoredHead()
    {
        if (authoredHeadLogIndex <= node.durableIndex())
        {
            durableAuthoredHead = authoredHead;
        }
        return durableAuthoredHead;
    }

    public long appendReceived(final DirectBuffer record, final int offset, final int length)
    {
        if (ResultCode.OK != node.appendRecord(record, offset, length))
        {
            return -1;
        }
        final long logIndex = node.lastWriteIndex();
        if (ResultCode.OK == readRecord.wrap(record, offset, length) &&
            RecordView.Kind.VALUE == StorageRecordView.kindOf(readRecord.type()))
        {
            rememberLocation(logIndex, node.lastWriteLocation());
        }
        return logIndex;
    }

    public long appendPromise(final DirectBuffer key, final int offset, final int length, final long ballot)
    {
        raisePromise(key, offset, length, ballot);
        return appendSmall(BinlogRecord.PROMISE, key, offset, length, 0, ballot);
    }

    public long appendAccepted(
        final DirectBuffer key, final int offset, final int length, final long slot, final long ballot)
    {
        raisePromise(key, offset, length, ballot);
        return appendSmall(BinlogRecord.ACCEPTED, key, offset, length, slot, ballot);
    }

    private long appendSmall(
        final int type, final DirectBuffer key, final int offset, final int length, final long slot, final long ballot)
    {
        final int frameLength = writer.encode(scratch, 0, type, 0, ballot, self, 0, 0, 0, key, offset, length, empty,
            0, 0);
        writer.replicationFields(scratch, 0, frameLength, slot, ballot, self, 0);
        return appendReceived(scratch, 0, frameLength);
    }

    public int encodeCommit(
        final DirectBuffer key, final int offset, final int length, final long slot, final long ballot,
        final int author, final MutableDirectBuffer out)
    {
        final int frameLength = writer.encode(out, 0, BinlogRecord.COMMIT, 0, ballot, author, 0, 0, 0, key, offset,
            length, empty, 0, 0);
        writer.replicationFields(out, 0, frameLength, slot, ballot, author, 0);
        return frameLength;
    }

    public int commit(final long valueLogIndex)
    {
        long location = valueLocations.remove(valueLogIndex);
        if (location < 0)
        {
            location = locate(valueLogIndex);
        }
        if (location < 0 || ResultCode.OK != node.readLogged(location, readRecord) ||
            RecordView.Kind.VALUE != StorageRecordView.kindOf(readRecord.type()))
        {
            throw new IllegalStateException("no VALUE record at binlog index 0x" + Long.toHexString(valueLogIndex));
        }
        final DirectBuffer buffer = readRecord.buffer();
        final int keyOffset = readRecord.keyOffset();
        final int keyLength = readRecord.keyLength();
        final long slot = readRecord.slot();
        final long ballot = readRecord.ballot();
        final long clientId = readRecord.clientId();
        final long sequence = readRecord.requestSequence();
        final long keyHash = KeyHash.hash(buffer, keyOffset, keyLength);
        if (BinlogRecord.VALUE_NOOP == readRecord.type())
        {
            final int result = readRecord.valueLength() >= 4 ? buffer.getInt(readRecord.valueOffset(), ORDER) :
                ResultCode.INVALID_REQUEST;
            raiseSlot(buffer, keyOffset, keyLength, slot, ballot);
            applied.record(clientId, sequence, keyHash, result, node.version(buffer, keyOffset, keyLength));
            return result;
        }
        final long version = readRecord.version();
        final int result = node.applyLogged(buffer, readRecord.offset(), readRecord.length(), location);
        if (ResultCode.OK != result && ResultCode.STALE_VERSION != result)
        {
            // a decided change this replica cannot hold (its memory is full): it stays behind on the key
            return result;
        }
        raiseSlot(buffer, keyOffset, keyLength, slot, ballot);
        applied.record(clientId, sequence, keyHash, ResultCode.OK, version);
        return ResultCode.OK;
    }

    private void rememberLocation(final long logIndex, final long location)
    {
        if (valueLocationCount == VALUE_LOCATIONS)
        {
            valueLocations.remove(valueLocationOrder[valueLocationHead]);
            valueLocationHead = (valueLocationHead + 1) % VALUE_LOCATIONS;
            valueLocationCount--;
        }
        valueLocationOrder[(valueLocationHead + valueLocationCount) % VALUE_LOCATIONS] = logIndex;
        valueLocationCount++;
        valueLocations.put(logIndex, location);
    }

    private long locate(final long logIndex)
    {
        if (null == randomReader)
        {
            randomReader = node.newBinlogReader();
        }
        if (!randomReader.moveTo(logIndex))
        {
            return -1;
        }
        final long[] location = { -1 };
        randomReader.read((index, record) -> location[0] = randomReader.location(), 1);
        return location[0];
    }

    public boolean findApplied(final long clientId, final long requestSequence)
    {
        if (!applied.lookUp(clientId, requestSequence))
        {
            return false;
        }
        foundResult = applied.result();
        foundVersion = applied.version();
        return true;
    }

    public int appliedResult()
    {
        return foundResult;
    }

    public long appliedVersion()
    {
        return foundVersion;
    }

    // ---- binlog --------------------------------------------------------------------------------------------

    public void sync()
    {
        node.flush();
    }

    public long syncedIndex()
    {
        return node.durableIndex();
    }

    public long lastIndex()
    {
        return Math.max(0, node.lastBinlogIndex());
    }

    public boolean read(final long logIndex, final RecordHandler handler)
    {
        if (null == randomReader)
        {
            randomReader = node.newBinlogReader();
        }
        if (!randomReader.moveTo(logIndex))
        {
            return false;
        }
        readHandler = handler;
        readStopped = false;
        final int read = randomReader.read((index, record) ->
        {
            readView.wrap(record);
            readHandler.onRecord(index, readView);
        }, 1);
        readHandler = null;
        return read == 1;
    }

    public int readAuthored(final long afterAuthorIndex, final int limitBytes, final RecordHandler handler)
    {
        if (afterAuthorIndex >= authoredHead)
        {
            return 0;
        }
        final BinlogReader reader = readerFor(afterAuthorIndex);
        if (null == reader)
        {
            return 0;
        }
        this.afterAuthorIndex = afterAuthorIndex;
        readLimitBytes = limitBytes;
        readBytes = 0;
        readCount = 0;
        readLastAuthorIndex = afterAuthorIndex;
        readGap = -1;
        readStopped = false;
        readHandler = handler;
        while (!readStopped && readBytes < readLimitBytes)
        {
            if (reader.read(authoredFilter, 64) == 0)
            {
                break;
            }
        }
        readHandler = null;
        // the reader consumes records in batches: after an early stop it is past records not delivered, so it may be
        // reused from where it stands only when nothing was left behind. Nor after a read that found nothing although
        // the records asked for exist: the reader may stand in a cycle retention deleted, where it would find nothing
        // for ever; placed afresh, it finds the gap
        if (!readStopped && 0 == readCount && readGap < 0 && afterAuthorIndex < durableAuthoredHead)
        {
            // read to the end and none of the durable records asked for is there: every one of them was in deleted
            // cycles (a replica that stopped authoring leaves no later authored record to show the jump)
            readGap = durableAuthoredHead;
        }
        readerContinuation[indexOf(reader)] = readStopped || 0 == readCount ? -1 : readLastAuthorIndex;
        return readCount;
    }

    private void onAuthoredCandidate(final long index, final BinlogRecord record)
    {
        if (readStopped || index > node.durableIndex())
        {
            readStopped = true;
            return;
        }
        final int type = record.type();
        if (record.originNodeId() != self || record.authorIndex() <= afterAuthorIndex ||
            (BinlogRecord.COMMIT != type && RecordView.Kind.VALUE != StorageRecordView.kindOf(type)))
        {
            return;
        }
        if (record.authorIndex() != readLastAuthorIndex + 1)
        {
            // authored records are numbered without holes: a jump means the records between were in deleted cycles
            // (a reader can stand in a cycle that retention deleted and go on in the next one). Said at the start of
            // a read; a read that delivered records stops before the jump and the next read starts at it.
            if (0 == readCount)
            {
                readGap = record.authorIndex() - 1;
            }
            readStopped = true;
            return;
        }
        readView.wrap(record);
        if (!readHandler.onRecord(index, readView))
        {
            readStopped = true;
            return;
        }
        readCount++;
        readBytes += record.length();
        readLastAuthorIndex = record.authorIndex();
    }

    private BinlogReader readerFor(final long afterAuthorIndex)
    {
        int victim = 0;
        for (int i = 0; i < READERS; i++)
        {
            if (null != readers[i] && readerContinuation[i] == afterAuthorIndex)
            {
                readerUsed[i] = ++readerClock;
                return readers[i];
            }
            if (readerUsed[i] < readerUsed[victim])
            {
                victim = i;
            }
        }
        if (null == readers[victim])
        {
            readers[victim] = node.newBinlogReader();
        }
        final BinlogReader reader = readers[victim];
        readerUsed[victim] = ++readerClock;
        readerContinuation[victim] = -1;
        // the last sparse position at or before the first record wanted, then scan forward
        int low = 0;
        int high = sparseAuthorIndexes.size() - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (sparseAuthorIndexes.getLong(mid) <= afterAuthorIndex + 1)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        if (found < 0 || !reader.moveTo(sparseLogIndexes.getLong(found)))
        {
            reader.toStart();
        }
        return reader;
    }

    private int indexOf(final BinlogReader reader)
    {
        for (int i = 0; i < READERS; i++)
        {
            if (readers[i] == reader)
            {
                return i;
            }
        }
        return 0;
    }

    public long authoredGap()
    {
        return readGap;
    }

    public long logIndexOfAuthored(final long authorIndex)
    {
        if (authorIndex > authoredHead)
        {
            // the peer holds all of this replica's stream: it needs nothing kept (a replica that stops authoring
            // must not pin the cycle of its last authored record forever)
            return Long.MAX_VALUE;
        }
        int low = 0;
        int high = sparseAuthorIndexes.size() - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (sparseAuthorIndexes.getLong(mid) <= authorIndex)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found < 0 ? (sparseLogIndexes.isEmpty() ? Long.MAX_VALUE : sparseLogIndexes.getLong(0)) :
            sparseLogIndexes.getLong(found);
    }

    public RecordView newView()
    {
        return new StorageRecordView();
    }

    public void recover(final RecoveryListener listener)
    {
        node = StorageNode.launch(nodeContext.replayFloor(() -> replayFloor.getAsLong()));
        // pass 2: the replication records, in order, through the replica
        try (BinlogReader reader = node.newBinlogReader())
        {
            final long from = null != node.latestSnapshot() ? node.latestSnapshot().replayFromIndex() : -1;
            if (from < 0 || !reader.moveTo(from))
            {
                reader.toStart();
            }
            final BinlogRecordHandler replay = (index, record) -> onReplay(index, record, reader.location(), listener);
            while (reader.read(replay, 4096) > 0)
            {
                // read to the end
            }
        }
        durableAuthoredHead = authoredHead;
    }

    private void onReplay(final long index, final BinlogRecord record, final long location,
        final RecoveryListener listener)
    {
        final int type = record.type();
        if (type < BinlogRecord.REPLICATION_TYPE_MIN)
        {
            return;
        }
        final DirectBuffer buffer = record.buffer();
        final int keyOffset = record.keyOffset();
        final int keyLength = record.keyLength();
        if (BinlogRecord.PROMISE == type || BinlogRecord.ACCEPTED == type)
        {
            raisePromise(buffer, keyOffset, keyLength, record.ballot());
        }
        else if (BinlogRecord.INSTALL == type)
        {
            installMeta(record);
        }
        else if (RecordView.Kind.VALUE == StorageRecordView.kindOf(type))
        {
            rememberLocation(index, location);
        }
        if (record.originNodeId() == self && record.authorIndex() > 0)
        {
            noteAuthored(record.authorIndex(), index);
        }
        handlerView.wrap(record);
        listener.onRecord(index, handlerView);
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
        request.wrapKey(keyView);
        request.wrapRowKey(rowView);
        request.wrapRowKeyEnd(rowEndView);
        request.skipValue();
        final int keyLength = keyView.capacity();
        response.version(node.version(keyView, 0, keyLength));
        switch (op)
        {
            case GET:
            {
                final int result = node.get(keyView, 0, keyLength, valueView);
                response.rowsCount(0);
                if (ResultCode.OK == result)
                {
                    response.putValue(valueView.buffer(), 0, valueView.length());
                }
                else
                {
                    response.putValue(empty, 0, 0);
                }
                return result;
            }

            case ROW_GET:
            {
                final int result = node.getRow(keyView, 0, keyLength, rowView, 0, rowView.capacity(), valueView);
                if (ResultCode.OK == result)
                {
                    response.rowsCount(1).next().rowVersion(valueView.version())
                        .putRowKey(rowView, 0, rowView.capacity())
                        .putRowValue(valueView.buffer(), 0, valueView.length());
                }
                else
                {
                    response.rowsCount(0);
                }
                response.putValue(empty, 0, 0);
                return result;
            }

            case SCAN:
            {
                final int max = limit <= 0 ? MAX_SCAN_ROWS : Math.min(limit, MAX_SCAN_ROWS);
                scanCount = 0;
                scanBytes = 0;
                int result = node.scan(keyView, 0, keyLength, rowView, 0, rowView.capacity(), rowEndView, 0,
                    rowEndView.capacity(), max + 1, scanCollector);
                if (ResultCode.NOT_FOUND == result)
                {
                    result = ResultCode.OK;
                }
                if (ResultCode.OK != result)
                {
                    response.rowsCount(0);
                    response.putValue(empty, 0, 0);
                    return result;
                }
                final int returned = Math.min(scanCount, max);
                response.more(scanCount > max ? BooleanType.TRUE : BooleanType.FALSE);
                final KvResponseEncoder.RowsEncoder rows = response.rowsCount(returned);
                int position = 0;
                for (int i = 0; i < returned; i++)
                {
                    final long rowVersion = scanRows.getLong(position, ORDER);
                    final int rowKeyLength = scanRows.getInt(position + 8, ORDER);
                    final int valueLength = scanRows.getInt(position + 12, ORDER);
                    rows.next().rowVersion(rowVersion)
                        .putRowKey(scanRows, position + 16, rowKeyLength)
                        .putRowValue(scanRows, position + 16 + rowKeyLength, valueLength);
                    position += 16 + rowKeyLength + valueLength;
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

    private boolean collectRow(
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength, final DirectBuffer value,
        final int valueOffset, final int valueLength, final long rowVersion)
    {
        final int position = scanBytes;
        scanRows.putLong(position, rowVersion, ORDER);
        scanRows.putInt(position + 8, rowKeyLength, ORDER);
        scanRows.putInt(position + 12, valueLength, ORDER);
        scanRows.putBytes(position + 16, rowKey, rowKeyOffset, rowKeyLength);
        scanRows.putBytes(position + 16 + rowKeyLength, value, valueOffset, valueLength);
        scanBytes = position + 16 + rowKeyLength + valueLength;
        scanCount++;
        return true;
    }

    public int exportKey(final DirectBuffer key, final int offset, final int length, final MutableDirectBuffer out)
    {
        final long slot = committedSlot(key, offset, length);
        if (0 == slot)
        {
            return 0;
        }
        final long ballot = committedBallot(key, offset, length);
        final long version = node.version(key, offset, length);
        final byte kind = node.kind(key, offset, length);
        int position = 4;
        int frames = 0;
        final long now = System.currentTimeMillis() * 1_000_000L;
        if (KeyIndex.KIND_VALUE == kind)
        {
            if (ResultCode.OK != node.get(key, offset, length, valueView))
            {
                return 0;
            }
            final int frame = writer.encode(exportScratch, 0, BinlogRecord.KV_PUT, version, ballot, self, 0, 0, now,
                key, offset, length, valueView.buffer(), 0, valueView.length());
            writer.replicationFields(exportScratch, 0, frame, slot, ballot, self, 0);
            position = putFrame(out, position, frame);
            frames++;
        }
        else if (KeyIndex.KIND_TOMBSTONE == kind)
        {
            final int frame = writer.encode(exportScratch, 0, BinlogRecord.KV_DELETE, version, ballot, self, 0, 0,
                now, key, offset, length, empty, 0, 0);
            writer.replicationFields(exportScratch, 0, frame, slot, ballot, self, 0);
            position = putFrame(out, position, frame);
            frames++;
        }
        else if (KeyIndex.KIND_TABLE == kind)
        {
            final long rows = node.rowCount(key, offset, length);
            if (rows + 1 > 65535)
            {
                exportTooLarge++;
                return 0;
            }
            writer.beginRows(exportScratch, 0, BinlogRecord.TABLE_OPS, version, self, now, (int)rows + 1);
            writer.row(BinlogRecord.ROW_CLEAR, 0, empty, 0, 0, empty, 0, 0);
            exportRows = 0;
            node.scan(key, offset, length, empty, 0, 0, empty, 0, 0, Integer.MAX_VALUE, exportRow);
            if (exportRows != rows)
            {
                return 0;
            }
            final int frame = writer.endRows(exportScratch, 0, key, offset, length);
            if (frame > maxRecordLength)
            {
                exportTooLarge++;
                return 0;
            }
            writer.replicationFields(exportScratch, 0, frame, slot, ballot, self, 0);
            position = putFrame(out, position, frame);
            frames++;
        }

        // the key's slot, ballot and recent decided requests, so that retries stay recognised where it is installed
        final long keyHash = KeyHash.hash(key, offset, length);
        final int[] count = { 0 };
        applied.forEachOfKey(keyHash, (clientId, sequence, result, requestVersion) ->
        {
            scratch.putLong(4 + count[0] * 28, clientId, ORDER);
            scratch.putLong(12 + count[0] * 28, sequence, ORDER);
            scratch.putInt(20 + count[0] * 28, result, ORDER);
            scratch.putLong(24 + count[0] * 28, requestVersion, ORDER);
            count[0]++;
        });
        scratch.putInt(0, count[0], ORDER);
        final int meta = writer.encode(exportScratch, 0, BinlogRecord.INSTALL, version, ballot, self, 0, 0, now, key,
            offset, length, scratch, 0, 4 + count[0] * 28);
        writer.replicationFields(exportScratch, 0, meta, slot, ballot, self, 0);
        position = putFrame(out, position, meta);
        frames++;
        out.putInt(0, frames, ORDER);
        return position;
    }

    private int putFrame(final MutableDirectBuffer out, final int position, final int frameLength)
    {
        out.putInt(position, frameLength, ORDER);
        out.putBytes(position + 4, exportScratch, 0, frameLength);
        return position + 4 + frameLength;
    }

    private boolean exportRow(
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength, final DirectBuffer value,
        final int valueOffset, final int valueLength, final long rowVersion)
    {
        writer.row(BinlogRecord.ROW_PUT, rowVersion, rowKey, rowKeyOffset, rowKeyLength, value, valueOffset,
            valueLength);
        exportRows++;
        return true;
    }

    public boolean installKey(final DirectBuffer state, final int offset, final int length)
    {
        if (length < 4)
        {
            return false;
        }
        final int frames = state.getInt(offset, ORDER);
        int position = offset + 4;
        int metaOffset = -1;
        int metaLength = 0;
        int dataOffset = -1;
        int dataLength = 0;
        for (int i = 0; i < frames; i++)
        {
            if (position + 4 > offset + length)
            {
                return false;
            }
            final int frameLength = state.getInt(position, ORDER);
            if (frameLength < 0 || position + 4 + frameLength > offset + length ||
                ResultCode.OK != readRecord.wrap(state, position + 4, frameLength))
            {
                return false;
            }
            if (BinlogRecord.INSTALL == readRecord.type())
            {
                metaOffset = position + 4;
                metaLength = frameLength;
            }
            else
            {
                dataOffset = position + 4;
                dataLength = frameLength;
            }
            position += 4 + frameLength;
        }
        if (metaOffset < 0)
        {
            return false;
        }
        readRecord.wrap(state, metaOffset, metaLength);
        if (readRecord.slot() <= committedSlot(state, readRecord.keyOffset(), readRecord.keyLength()))
        {
            return false;
        }
        if (dataOffset >= 0)
        {
            final int result = node.apply(state, dataOffset, dataLength);
            if (ResultCode.OK != result && ResultCode.STALE_VERSION != result)
            {
                return false;
            }
        }
        if (ResultCode.OK != node.appendRecord(state, metaOffset, metaLength))
        {
            return false;
        }
        readRecord.wrap(state, metaOffset, metaLength);
        installMeta(readRecord);
        return true;
    }

    private void installMeta(final BinlogRecord meta)
    {
        final DirectBuffer buffer = meta.buffer();
        raiseSlot(buffer, meta.keyOffset(), meta.keyLength(), meta.slot(), meta.ballot());
        final long keyHash = KeyHash.hash(buffer, meta.keyOffset(), meta.keyLength());
        final int valueOffset = meta.valueOffset();
        final int count = meta.valueLength() >= 4 ? buffer.getInt(valueOffset, ORDER) : 0;
        for (int i = 0; i < count && 4 + (i + 1) * 28 <= meta.valueLength(); i++)
        {
            final int entry = valueOffset + 4 + i * 28;
            applied.record(buffer.getLong(entry, ORDER), buffer.getLong(entry + 8, ORDER), keyHash,
                buffer.getInt(entry + 16, ORDER), buffer.getLong(entry + 20, ORDER));
        }
    }

    public long keyPositions()
    {
        return node.keyPositions();
    }

    public int keyAt(final long position, final MutableDirectBuffer keyOut)
    {
        return node.keyAt(position, keyOut);
    }

    public boolean isTransferPending(final int author)
    {
        return transferMarker(author).exists();
    }

    public void transferPending(final int author, final boolean pending)
    {
        final File marker = transferMarker(author);
        try
        {
            if (pending)
            {
                try (FileChannel channel = FileChannel.open(marker.toPath(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE))
                {
                    channel.force(true);
                }
            }
            else
            {
                Files.deleteIfExists(marker.toPath());
            }
            try (FileChannel directory = FileChannel.open(marker.getParentFile().toPath(), StandardOpenOption.READ))
            {
                directory.force(true);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot " + (pending ? "create " : "delete ") + marker, ex);
        }
    }

    private File transferMarker(final int author)
    {
        return new File(nodeContext.dir(), TRANSFER_MARKER_PREFIX + author);
    }

    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    public int doWork()
    {
        return node.doWork();
    }

    public void close()
    {
        CloseHelper.quietCloseAll(readers);
        CloseHelper.quietClose(randomReader);
        CloseHelper.quietClose(node);
    }
}
