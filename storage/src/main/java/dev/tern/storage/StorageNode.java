package dev.tern.storage;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.storage.binlog.Binlog;
import dev.tern.storage.binlog.BinlogReader;
import dev.tern.storage.binlog.BinlogRecord;
import dev.tern.storage.binlog.BinlogRecordHandler;
import dev.tern.storage.binlog.BinlogRecordWriter;
import dev.tern.storage.cache.ValueCache;
import dev.tern.storage.index.KeyIndex;
import dev.tern.storage.memory.Crc32cChecksum;
import dev.tern.storage.memory.MappedFileReader;
import dev.tern.storage.memory.NativeMemory;
import dev.tern.storage.memory.OffHeapArena;
import dev.tern.storage.memory.ValueRef;
import dev.tern.storage.snapshot.SnapshotFormat;
import dev.tern.storage.snapshot.SnapshotFrame;
import dev.tern.storage.snapshot.SnapshotReader;
import dev.tern.storage.snapshot.SnapshotWriter;
import dev.tern.storage.table.RowDirectory;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static dev.tern.storage.memory.OffHeapArena.NULL;

/**
 * One replica's local KVSvr engine: an off-heap versioned Key-Value and Key-Table store whose durable truth is a
 * Chronicle Queue binlog. This is the API the replication layer builds on.
 *
 * <h2>Data model</h2>
 * A key (1 to 1024 bytes) holds either a value (up to {@link Context#maxValueLength()} bytes) or a table of rows
 * ordered by row key (unsigned lexicographic bytes). Every key has a 64-bit version that grows by at least one with
 * every change; a table's version grows with any row change and each row remembers the version that wrote it. A
 * delete leaves a tombstone that keeps the version, so a key's version never goes backwards, even across delete and
 * re-create. With {@link Context#metadataEnabled(boolean)} each key also carries two opaque 64-bit metadata words
 * that the replication layer reads and writes (a key may hold metadata only: version 0, no value).
 *
 * <h2>Two write paths</h2>
 * <ul>
 *   <li>Local writes ({@link #put}, {@link #putIfAbsent}, {@link #putIfVersion}, {@link #delete},
 *   {@link #deleteIfVersion}, {@link #writeTable}, {@link #putRow}, {@link #appendRow}, {@link #deleteRow},
 *   {@link #deleteTable}): check the condition and the limits, give the key version current + 1, append the record to
 *   the binlog, then apply it. They return a {@link ResultCode}; {@link #lastWriteVersion()} and
 *   {@link #lastWriteIndex()} give the new version and the record's binlog index.</li>
 *   <li>{@link #apply}: append a record built elsewhere (decided by the quorum, or received from a peer) verbatim
 *   and apply it at the version it carries. Idempotent: a record whose version is not newer than the key's is
 *   ignored ({@link ResultCode#STALE_VERSION}). {@link #appendRecord} appends a record of the replication layer's own
 *   types (64 and up) without touching the store; recovery hands those to {@link Context#replicationRecordHandler}.</li>
 * </ul>
 * Each request carries a client id and a request sequence: a retry of the client's last request (same sequence) is
 * answered from a bounded table of recent results without writing again; clientId 0 opts out.
 *
 * <h2>Durability and group commit</h2>
 * Writes are appended to the binlog at once and visible at once. Before replying to a batch of writes, call
 * {@link #flush()} once (group commit) and reply to the writes whose index is at or before what it returns. See
 * {@link Durability} for what each policy survives and costs.
 *
 * <h2>Threading</h2>
 * Single writer: one thread (the owning agent's) calls every method, reads included, and drives {@link #doWork()}
 * (snapshots, interval syncs, counters) from its duty cycle, or runs this node as its own agent. The exceptions:
 * each {@link BinlogReader} from {@link #newBinlogReader()} may be used by one other thread, and
 * {@link SnapshotInfo#file()} may be copied by any thread.
 *
 * <h2>Memory</h2>
 * Keys, tables and rows live in a native-memory arena, the key index in native memory, values in the binlog (or the
 * latest snapshot) with the hot ones in a bounded native-memory cache: no Java object per key or row, the data may
 * exceed the heap, and memory is bounded by {@link Context#indexCapacity}, {@link Context#arenaBytes} and
 * {@link Context#cacheBytes}. A write that would not fit gets {@link ResultCode#STORE_FULL}.
 */
public final class StorageNode implements Agent, AutoCloseable
{
    /** Condition value of the CAS methods and {@link #writeTable}: no condition on the version. */
    public static final long ANY_VERSION = -1;
    /** The largest version a decided record may carry: far from overflow, however many writes follow. */
    public static final long MAX_VERSION = 1L << 62;
    /** Metadata words per key. */
    public static final int METADATA_WORDS = KeyIndex.METADATA_WORDS;
    /** Metadata word: the replication layer's promised ballot. */
    public static final int METADATA_PROMISED = 0;
    /**
     * Metadata word: the replication layer's decided slot; set by the node itself from the slot field of each record
     * it applies, so a decision and its slot are applied atomically.
     */
    public static final int METADATA_SLOT = 1;
    /** Metadata word: the ballot at which {@link #METADATA_SLOT} was decided, set with it. */
    public static final int METADATA_BALLOT = 2;

    private static final int PUT = 0;
    private static final int PUT_IF_ABSENT = 1;
    private static final int PUT_IF_VERSION = 2;
    private static final int MAX_VALUE_FILES = 16;
    private static final long PUBLISH_INTERVAL_MS = 100;
    private static final int FINISH_RUNNING = 0;
    private static final int FINISH_DONE = 1;
    private static final int FINISH_FAILED = 2;
    private static final String BINLOG_DIR = "binlog";
    private static final String SNAPSHOT_DIR = "snapshots";
    private static final String DAMAGED_DIR = "damaged";
    private static final String LOCK_FILE = "node.lock";
    private static final int GENESIS_GENERATION = 0;

    private final Context ctx;
    private final int nodeId;
    private final int maxValueLength;
    private final int maxRecordLength;
    private final int maxBatchRows;
    private final boolean metadataEnabled;
    private int lastScanCount;
    private final long[] snapshotMetadata = new long[METADATA_WORDS];
    private final EpochClock epochClock;
    private final EpochNanoClock nanoClock;
    private final ErrorHandler errorHandler;
    private final Monitor monitor;
    private final File snapshotDir;
    private final File damagedDir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final NativeMemory memory;
    private final OffHeapArena arena;
    private final KeyIndex index;
    private final ValueCache cache;
    private final RowDirectory rows;
    private final RequestTable requests;
    private final Binlog binlog;

    private final BinlogRecordWriter recordWriter = new BinlogRecordWriter();
    private final BinlogRecord record = new BinlogRecord();
    private final BinlogRecord valueRecord = new BinlogRecord();
    private final UnsafeBuffer staging;
    private final UnsafeBuffer scratch;
    private final UnsafeBuffer frameView;
    private final SnapshotFrame snapshotFrame = new SnapshotFrame();
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer rowKeyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer markValue = new UnsafeBuffer(ByteBuffer.allocateDirect(BinlogRecord.MARK_VALUE_LENGTH));
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final ValueView internalValue = new ValueView();
    private final TableBatch singleRow = new TableBatch();
    private final BinlogRecordHandler replayHandler = this::onReplayRecord;
    private final BinlogRecordHandler genesisCheck = this::onFirstRecord;
    private boolean startsAtGenesis;
    private BinlogReader replayReader;
    private int replayDamage;

    private final int[] valueFileGenerations = new int[MAX_VALUE_FILES];
    private final MappedFileReader[] valueFiles = new MappedFileReader[MAX_VALUE_FILES];
    private final File[] valueFilePaths = new File[MAX_VALUE_FILES];
    private int valueFileCount;

    private long opHash;
    private long opEntry;
    private long opVersion;
    private byte opKind;
    private long nextStamp = 1;
    private long lastWriteVersion;
    private long lastWriteIndex = -1;
    private long lastWriteLocation = -1;
    private int lastGeneration;
    private SnapshotInfo latestSnapshot;

    private SnapshotWriter snapshotWriter;
    private long snapshotCursor;
    private int snapshotGeneration;
    /** The snapshot being written, as it is known once complete (replays from its mark or an older replay floor). */
    private SnapshotInfo snapshotInProgress;
    private long snapshotStartMs;
    private Thread snapshotFinisher;
    private volatile int finishState;
    private volatile Throwable finishError;
    private long nextSnapshotDeadlineMs;
    private long nextSyncDeadlineMs;
    private long nextPublishDeadlineMs;
    private boolean closed;

    private long writes;
    private long writesRejected;
    private long duplicateRequests;
    private long reads;
    private long cacheHits;
    private long cacheMisses;
    private long binlogAppends;
    private long binlogBytes;
    private long binlogSyncs;
    private long cyclesDeleted;
    private long applyStale;
    private long invalidRecords;
    private long storeFull;
    private long readErrors;
    private long recoveryRecords;
    private long recoveryBytes;
    private long recoveryMs;
    private long recoveryTruncated;
    private long snapshots;
    private long snapshotBytes;
    private long snapshotMs;
    private long snapshotsFailed;

    private StorageNode(final Context ctx)
    {
        this.ctx = ctx;
        nodeId = ctx.nodeId();
        maxValueLength = ctx.maxValueLength();
        maxRecordLength = ctx.maxRecordLength();
        maxBatchRows = ctx.maxBatchRows();
        metadataEnabled = ctx.metadataEnabled();
        epochClock = ctx.epochClock();
        nanoClock = ctx.nanoClock();
        errorHandler = ctx.errorHandler();
        monitor = ctx.monitor();
        snapshotDir = new File(ctx.dir(), SNAPSHOT_DIR);
        damagedDir = new File(ctx.dir(), DAMAGED_DIR);

        final List<AutoCloseable> opened = new ArrayList<>();
        try
        {
            Files.createDirectories(snapshotDir.toPath());
            Files.createDirectories(damagedDir.toPath());
            lockChannel = FileChannel.open(new File(ctx.dir(), LOCK_FILE).toPath(),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            opened.add(lockChannel);
            lock = tryLock(lockChannel, ctx.dir());

            memory = NativeMemory.allocate(ctx.arenaBytes(), false);
            opened.add(memory);
            arena = new OffHeapArena(memory);
            index = new KeyIndex(ctx.indexCapacity(), arena, metadataEnabled);
            opened.add(index);
            cache = new ValueCache(ctx.cacheBytes());
            opened.add(cache);
            rows = new RowDirectory(arena);
            opened.add(rows);
            requests = new RequestTable(ctx.requestTableCapacity());
            staging = new UnsafeBuffer(new byte[maxRecordLength]);
            scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(maxValueLength));
            frameView = new UnsafeBuffer(0, 0);
            binlog = new Binlog(new File(ctx.dir(), BINLOG_DIR), damagedDir, ctx.rollCycleValue(), ctx.durability(),
                epochClock, maxRecordLength);
            opened.add(binlog);

            if (null != monitor)
            {
                declareMonitorIds(monitor);
            }
            recover();
        }
        catch (final IOException ex)
        {
            closeAll(opened);
            throw new UncheckedIOException("cannot open storage node in " + ctx.dir() + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            closeValueFiles();
            closeAll(opened);
            throw ex;
        }

        final long nowMs = epochClock.time();
        nextSnapshotDeadlineMs = ctx.snapshotIntervalMs() > 0 ? nowMs + ctx.snapshotIntervalMs() : Long.MAX_VALUE;
        nextSyncDeadlineMs = nowMs + ctx.syncIntervalMs();
        publishCounters();
    }

    /**
     * Open a node: load its latest snapshot, replay its binlog after it (cutting off a damaged tail), and get ready
     * to serve.
     *
     * @param ctx the settings; concluded here.
     * @return the node.
     * @throws IllegalStateException    when the directory is in use by another node, or the data does not fit the
     *                                  configured memory, or the binlog no longer holds what the snapshot needs.
     * @throws IllegalArgumentException naming a bad setting.
     */
    public static StorageNode launch(final Context ctx)
    {
        ctx.conclude();
        return new StorageNode(ctx);
    }

    // ---------------------------------------------------------------- Key-Value writes

    /**
     * Set a key's value.
     *
     * @param clientId        the request's client, 0 for none.
     * @param requestSequence the client's request sequence number.
     * @return {@link ResultCode#OK}, or {@link ResultCode#WRONG_TYPE}, {@link ResultCode#KEY_TOO_LARGE},
     * {@link ResultCode#VALUE_TOO_LARGE}, {@link ResultCode#STORE_FULL}, {@link ResultCode#STALE_REQUEST}.
     */
    public int put(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        return put(PUT, ANY_VERSION, clientId, requestSequence, key, keyOffset, keyLength, value, valueOffset, valueLength);
    }

    /**
     * Set a key's value only if it has none (never written, deleted, or metadata only).
     *
     * @return as {@link #put}, plus {@link ResultCode#ALREADY_EXISTS}.
     */
    public int putIfAbsent(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        return put(PUT_IF_ABSENT, ANY_VERSION, clientId, requestSequence, key, keyOffset, keyLength, value, valueOffset,
            valueLength);
    }

    /**
     * Set a key's value only if its version is {@code expectedVersion} (compare-and-set; 0 for a key never written).
     *
     * @return as {@link #put}, plus {@link ResultCode#VERSION_MISMATCH} with the current version in
     * {@link #lastWriteVersion()}.
     */
    public int putIfVersion(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength,
        final long expectedVersion)
    {
        return put(PUT_IF_VERSION, expectedVersion, clientId, requestSequence, key, keyOffset, keyLength, value,
            valueOffset, valueLength);
    }

    /**
     * Delete a key's value, leaving a tombstone with the new version.
     *
     * @return {@link ResultCode#OK}, or {@link ResultCode#NOT_FOUND} when it has no value, {@link ResultCode#WRONG_TYPE}
     * for a table, {@link ResultCode#KEY_TOO_LARGE}, {@link ResultCode#STORE_FULL}, {@link ResultCode#STALE_REQUEST}.
     */
    public int delete(
        final long clientId, final long requestSequence, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        return deleteIfVersion(clientId, requestSequence, key, keyOffset, keyLength, ANY_VERSION);
    }

    /**
     * Delete a key's value only if its version is {@code expectedVersion}, or any version with {@link #ANY_VERSION}.
     *
     * @return as {@link #delete}, plus {@link ResultCode#VERSION_MISMATCH}.
     */
    public int deleteIfVersion(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final long expectedVersion)
    {
        return writeTombstone(BinlogRecord.KV_DELETE, clientId, requestSequence, key, keyOffset, keyLength, expectedVersion);
    }

    // ---------------------------------------------------------------- Key-Table writes

    /**
     * Apply a batch of row changes to a table atomically, under one new table version. A key with no value becomes a
     * table. Deleting a missing row changes nothing; a batch that changes nothing is refused with
     * {@link ResultCode#NOT_FOUND}.
     *
     * @param batch           the rows, applied in order.
     * @param expectedVersion the table's version for a compare-and-set, or {@link #ANY_VERSION}.
     * @return {@link ResultCode#OK}, or {@link ResultCode#WRONG_TYPE} for a Key-Value key, {@link ResultCode#KEY_TOO_LARGE}
     * (key or a row key), {@link ResultCode#VALUE_TOO_LARGE}, {@link ResultCode#INVALID_BATCH},
     * {@link ResultCode#ROW_KEY_NOT_LAST}, {@link ResultCode#VERSION_MISMATCH}, {@link ResultCode#NOT_FOUND},
     * {@link ResultCode#STORE_FULL}, {@link ResultCode#STALE_REQUEST}.
     */
    public int writeTable(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final TableBatch batch, final long expectedVersion)
    {
        final int begin = beginWrite(clientId, requestSequence, key, keyOffset, keyLength,
            validKey(keyLength) ? checkBatch(keyLength, batch) : ResultCode.KEY_TOO_LARGE);
        if (ResultCode.REQUEST_UNSEEN != begin)
        {
            return begin;
        }
        final long hash = opHash;
        final long entry = opEntry;
        final long current = opVersion;
        final byte kind = opKind;
        if (KeyIndex.KIND_VALUE == kind)
        {
            return reject(clientId, requestSequence, ResultCode.WRONG_TYPE, current);
        }
        if (ANY_VERSION != expectedVersion && expectedVersion != current)
        {
            return reject(clientId, requestSequence, ResultCode.VERSION_MISMATCH, current);
        }
        final long table = KeyIndex.KIND_TABLE == kind ? index.table(entry) : NULL;
        final DirectBuffer rowBuffer = batch.buffer();
        boolean changes = false;
        int newRows = 0;
        int previous = -1;
        for (int position = batch.firstRow(); position >= 0; position = batch.nextRow(position))
        {
            final int op = batch.op(position);
            final int rowKeyOffset = batch.rowKeyOffset(position);
            final int rowKeyLength = batch.rowKeyLength(position);
            if (BinlogRecord.ROW_DELETE == op)
            {
                changes |= NULL != table && NULL != rows.find(table, rowBuffer, rowKeyOffset, rowKeyLength);
            }
            else
            {
                changes = true;
                newRows++;
                if (BinlogRecord.ROW_APPEND == op &&
                    (NULL != table && rows.compareWithLast(table, rowBuffer, rowKeyOffset, rowKeyLength) <= 0 ||
                    previous >= 0 && compareBatchKeys(batch, position, previous) <= 0))
                {
                    return reject(clientId, requestSequence, ResultCode.ROW_KEY_NOT_LAST, current);
                }
            }
            if (previous < 0 || compareBatchKeys(batch, position, previous) > 0)
            {
                previous = position;
            }
        }
        if (!changes)
        {
            return reject(clientId, requestSequence, ResultCode.NOT_FOUND, current);
        }
        if (!fits(entry, keyLength, NULL == table, table, newRows))
        {
            return rejectFull();
        }
        final int frameLength = recordWriter.encodeTableOps(staging, 0, current + 1, 0, nodeId, clientId,
            requestSequence, nanoClock.nanoTime(), key, keyOffset, keyLength, batch);
        final long location = append(staging, frameLength);
        record.wrap(staging, 0, frameLength);
        applyTableOps(entry, key, keyOffset, keyLength, hash, record, location);
        return accepted(clientId, requestSequence, current + 1);
    }

    /**
     * Insert or replace one row: a batch of one.
     *
     * @return as {@link #writeTable}.
     */
    public int putRow(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        singleRow.reset().put(rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength);
        return writeTable(clientId, requestSequence, key, keyOffset, keyLength, singleRow, ANY_VERSION);
    }

    /**
     * Add a row after the table's last row, without a search: the row key must sort after every row.
     *
     * @return as {@link #writeTable}.
     */
    public int appendRow(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        singleRow.reset().append(rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength);
        return writeTable(clientId, requestSequence, key, keyOffset, keyLength, singleRow, ANY_VERSION);
    }

    /**
     * Delete one row.
     *
     * @return as {@link #writeTable}: {@link ResultCode#NOT_FOUND} when the row is not there.
     */
    public int deleteRow(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength)
    {
        singleRow.reset().delete(rowKey, rowKeyOffset, rowKeyLength);
        return writeTable(clientId, requestSequence, key, keyOffset, keyLength, singleRow, ANY_VERSION);
    }

    /**
     * Delete a whole table, leaving a tombstone with the new version.
     *
     * @return {@link ResultCode#OK}, or {@link ResultCode#NOT_FOUND}, {@link ResultCode#WRONG_TYPE},
     * {@link ResultCode#KEY_TOO_LARGE}, {@link ResultCode#STALE_REQUEST}.
     */
    public int deleteTable(
        final long clientId, final long requestSequence, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        return writeTombstone(BinlogRecord.TABLE_DELETE, clientId, requestSequence, key, keyOffset, keyLength, ANY_VERSION);
    }

    /**
     * @return the key's version after the last write call: the new version when it succeeded, the current version
     * when a condition failed, the original result's version for a retried request.
     */
    public long lastWriteVersion()
    {
        return lastWriteVersion;
    }

    /**
     * @return the binlog index of the record the last write call appended, or -1 when it appended none.
     */
    public long lastWriteIndex()
    {
        return lastWriteIndex;
    }

    // ---------------------------------------------------------------- replication

    /**
     * Apply a decided mutation (KV_PUT, KV_DELETE, TABLE_OPS, TABLE_DELETE) at the version it carries: check the
     * frame, append it verbatim (same version, ballot, origin, request id), apply it, remember its request. A record
     * not newer than the key is ignored without appending. Versions may jump (a replica that missed some).
     *
     * @param frame  buffer holding a sealed binlog frame.
     * @param offset where it starts.
     * @param length its length.
     * @return {@link ResultCode#OK}, {@link ResultCode#STALE_VERSION}, {@link ResultCode#STORE_FULL}, or a
     * refusal of the frame: {@link ResultCode#INVALID_RECORD}, {@link ResultCode#CHECKSUM_MISMATCH},
     * {@link ResultCode#UNKNOWN_OPERATION}, {@link ResultCode#KEY_TOO_LARGE}, {@link ResultCode#VALUE_TOO_LARGE},
     * {@link ResultCode#INVALID_BATCH}.
     */
    public int apply(final DirectBuffer frame, final int offset, final int length)
    {
        lastWriteIndex = -1;
        lastWriteVersion = 0;
        int result = length > maxRecordLength ? ResultCode.INVALID_RECORD : record.wrap(frame, offset, length);
        if (ResultCode.OK == result)
        {
            result = record.type() >= BinlogRecord.REPLICATION_TYPE_MIN ? ResultCode.UNKNOWN_OPERATION :
                checkMutation(record);
        }
        if (ResultCode.OK != result)
        {
            invalidRecords++;
            return result;
        }
        keyView.wrap(frame, record.keyOffset(), record.keyLength());
        final long hash = NativeMemory.hash(keyView, 0, record.keyLength());
        final long entry = index.find(keyView, 0, record.keyLength(), hash);
        final long current = NULL == entry ? 0 : index.version(entry);
        final long version = record.version();
        if (version <= current)
        {
            applyStale++;
            requests.record(record.clientId(), record.requestSequence(), ResultCode.OK, version);
            lastWriteVersion = current;
            return ResultCode.STALE_VERSION;
        }
        if (!fitsRecord(entry, record))
        {
            return rejectFull();
        }
        final long location = append(frame, offset, record.length());
        applyRecord(entry, hash, record, location);
        return accepted(record.clientId(), record.requestSequence(), version);
    }

    /**
     * Append a record of the replication layer's own types (64 to 255) verbatim; the store does not change.
     * Recovery hands such records to {@link Context#replicationRecordHandler}.
     *
     * @return {@link ResultCode#OK} with the index in {@link #lastWriteIndex()}, or {@link ResultCode#INVALID_RECORD},
     * {@link ResultCode#CHECKSUM_MISMATCH}, {@link ResultCode#UNKNOWN_OPERATION} for a storage type.
     */
    public int appendRecord(final DirectBuffer frame, final int offset, final int length)
    {
        lastWriteIndex = -1;
        int result = length > maxRecordLength ? ResultCode.INVALID_RECORD : record.wrap(frame, offset, length);
        if (ResultCode.OK == result && record.type() < BinlogRecord.REPLICATION_TYPE_MIN)
        {
            result = ResultCode.UNKNOWN_OPERATION;
        }
        if (ResultCode.OK != result)
        {
            invalidRecords++;
            return result;
        }
        append(frame, offset, record.length());
        return ResultCode.OK;
    }

    /**
     * Apply a decided replication VALUE record (VALUE_KV_PUT, VALUE_KV_DELETE, VALUE_TABLE_OPS) that already lies in
     * this binlog, appended by {@link #appendRecord}: at the version it carries, reading its value back from where it
     * lies, without writing it again. The replication layer's COMMIT record is what makes it decided; recovery hands
     * both back to the replication layer, which applies again through this method. Idempotent like {@link #apply}.
     *
     * @param location where the record lies: {@link #lastWriteLocation()} after its append, or
     *                 {@link #replayLocation()} while it is replayed.
     * @return as {@link #apply}, with {@link ResultCode#UNKNOWN_OPERATION} for a record that is not a VALUE.
     */
    public int applyLogged(final DirectBuffer frame, final int offset, final int length, final long location)
    {
        lastWriteIndex = -1;
        lastWriteVersion = 0;
        int result = length > maxRecordLength ? ResultCode.INVALID_RECORD : record.wrap(frame, offset, length);
        if (ResultCode.OK == result)
        {
            result = record.type() < BinlogRecord.REPLICATION_TYPE_MIN ? ResultCode.UNKNOWN_OPERATION :
                checkMutation(record);
        }
        if (ResultCode.OK != result)
        {
            invalidRecords++;
            return result;
        }
        keyView.wrap(frame, record.keyOffset(), record.keyLength());
        final long hash = NativeMemory.hash(keyView, 0, record.keyLength());
        final long entry = index.find(keyView, 0, record.keyLength(), hash);
        final long current = NULL == entry ? 0 : index.version(entry);
        if (record.version() <= current)
        {
            applyStale++;
            lastWriteVersion = current;
            return ResultCode.STALE_VERSION;
        }
        if (!fitsRecord(entry, record))
        {
            return rejectFull();
        }
        applyRecord(entry, hash, record, location);
        lastWriteVersion = record.version();
        return ResultCode.OK;
    }

    /**
     * @return where the record of the last append lies in the binlog, for {@link #applyLogged}; -1 before any.
     */
    public long lastWriteLocation()
    {
        return lastWriteLocation;
    }

    /**
     * @return during recovery, while {@link Context#replicationRecordHandler} is called: where the record handed over
     * lies in the binlog, for {@link #applyLogged}; -1 otherwise.
     */
    public long replayLocation()
    {
        return null != replayReader ? replayReader.location() : -1;
    }

    /**
     * Read a metadata word.
     *
     * @param word 0 or 1.
     * @return the word, 0 when the key does not exist, metadata is disabled, or the key or word is invalid.
     */
    public long metadata(final DirectBuffer key, final int keyOffset, final int keyLength, final int word)
    {
        if (!metadataEnabled || !validKey(keyLength) || word < 0 || word >= METADATA_WORDS)
        {
            return 0;
        }
        final long entry = index.find(key, keyOffset, keyLength, NativeMemory.hash(key, keyOffset, keyLength));
        return NULL == entry ? 0 : index.metadata(entry, word);
    }

    /**
     * Write a metadata word, creating the key (version 0, no value) when absent. Not logged in the binlog: the
     * replication layer logs what it needs with its own record types; snapshots keep the words.
     *
     * @return {@link ResultCode#OK}, {@link ResultCode#METADATA_DISABLED}, {@link ResultCode#KEY_TOO_LARGE},
     * {@link ResultCode#STORE_FULL}.
     */
    public int setMetadata(
        final DirectBuffer key, final int keyOffset, final int keyLength, final int word, final long value)
    {
        if (!metadataEnabled || word < 0 || word >= METADATA_WORDS)
        {
            return ResultCode.METADATA_DISABLED;
        }
        if (!validKey(keyLength))
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        final long hash = NativeMemory.hash(key, keyOffset, keyLength);
        long entry = index.find(key, keyOffset, keyLength, hash);
        if (NULL == entry)
        {
            if (!fits(NULL, keyLength, false, NULL, 0))
            {
                return rejectFull();
            }
            entry = index.insert(key, keyOffset, keyLength, hash);
        }
        index.metadata(entry, word, value);
        return ResultCode.OK;
    }

    /**
     * What the store remembers of a request.
     *
     * @return {@link ResultCode#REQUEST_UNSEEN} for a new request; the original result (and its version in
     * {@link #lastWriteVersion()}) for the client's last request; {@link ResultCode#STALE_REQUEST} for an older one.
     */
    public int requestStatus(final long clientId, final long requestSequence)
    {
        if (0 == clientId)
        {
            return ResultCode.REQUEST_UNSEEN;
        }
        final int slot = requests.find(clientId);
        if (slot < 0 || requestSequence > requests.sequence(slot))
        {
            return ResultCode.REQUEST_UNSEEN;
        }
        if (requestSequence < requests.sequence(slot))
        {
            return ResultCode.STALE_REQUEST;
        }
        lastWriteVersion = requests.version(slot);
        return requests.code(slot);
    }

    // ---------------------------------------------------------------- reads

    /**
     * Read a key's value.
     *
     * @param view set to the value and its version on {@link ResultCode#OK}.
     * @return {@link ResultCode#OK}, {@link ResultCode#NOT_FOUND}, {@link ResultCode#WRONG_TYPE},
     * {@link ResultCode#KEY_TOO_LARGE}, or {@link ResultCode#DATA_UNAVAILABLE} when the stored copy is damaged.
     */
    public int get(final DirectBuffer key, final int keyOffset, final int keyLength, final ValueView view)
    {
        reads++;
        if (!validKey(keyLength))
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        final long entry = index.find(key, keyOffset, keyLength, NativeMemory.hash(key, keyOffset, keyLength));
        if (NULL == entry)
        {
            return ResultCode.NOT_FOUND;
        }
        final byte kind = index.kind(entry);
        if (KeyIndex.KIND_VALUE != kind)
        {
            return KeyIndex.KIND_TABLE == kind ? ResultCode.WRONG_TYPE : ResultCode.NOT_FOUND;
        }
        return readValue(entry + KeyIndex.VALUE_REF_OFFSET, NULL, index.version(entry), view, true);
    }

    /**
     * @return the key's version: 0 when never written (or metadata only); a tombstone keeps its version; 0 for an
     * invalid key.
     */
    public long version(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        if (!validKey(keyLength))
        {
            return 0;
        }
        final long entry = index.find(key, keyOffset, keyLength, NativeMemory.hash(key, keyOffset, keyLength));
        return NULL == entry ? 0 : index.version(entry);
    }

    /**
     * Read one row.
     *
     * @param view set to the row's value and the version that wrote the row.
     * @return {@link ResultCode#OK}, {@link ResultCode#NOT_FOUND} (no table or no row), {@link ResultCode#WRONG_TYPE},
     * {@link ResultCode#KEY_TOO_LARGE}, {@link ResultCode#DATA_UNAVAILABLE}.
     */
    public int getRow(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength,
        final ValueView view)
    {
        reads++;
        if (!validKey(keyLength) || !validKey(rowKeyLength))
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        final long table = table(key, keyOffset, keyLength);
        if (table <= 0)
        {
            return (int)-table;
        }
        final long row = rows.find(table, rowKey, rowKeyOffset, rowKeyLength);
        if (NULL == row)
        {
            return ResultCode.NOT_FOUND;
        }
        return readValue(row + RowDirectory.ROW_VALUE_REF_OFFSET, row, rows.rowVersion(row), view, true);
    }

    /**
     * Scan a table's rows in row-key order from {@code fromRowKey} (inclusive; length 0: from the first row) to
     * {@code toRowKey} (exclusive; length 0: to the end), at most {@code limit} rows.
     *
     * @return {@link ResultCode#OK} with the number of rows handed to the handler in {@link #lastScanCount()}, or
     * {@link ResultCode#NOT_FOUND} (no table), {@link ResultCode#WRONG_TYPE}, {@link ResultCode#KEY_TOO_LARGE},
     * {@link ResultCode#DATA_UNAVAILABLE} (rows before the damaged one were delivered).
     */
    public int scan(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer fromRowKey, final int fromOffset, final int fromLength,
        final DirectBuffer toRowKey, final int toOffset, final int toLength,
        final int limit,
        final RowHandler handler)
    {
        reads++;
        lastScanCount = 0;
        if (!validKey(keyLength) || fromLength < 0 || fromLength > StorageConfiguration.MAX_KEY_LENGTH ||
            toLength < 0 || toLength > StorageConfiguration.MAX_KEY_LENGTH)
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        final long table = table(key, keyOffset, keyLength);
        if (table <= 0)
        {
            return (int)-table;
        }
        int count = 0;
        long position = 0 == fromLength ? rows.first(table) : rows.seek(table, fromRowKey, fromOffset, fromLength);
        final ValueView view = internalValue;
        while (RowDirectory.END != position && count < limit)
        {
            final long row = rows.recordAt(table, position);
            final int rowKeyLength = rows.rowKeyLength(row);
            final long rowKeyAddress = memory.address(row + RowDirectory.ROW_KEY_OFFSET);
            if (toLength > 0 && NativeMemory.compare(null, rowKeyAddress, rowKeyLength,
                toRowKey.byteArray(), toRowKey.addressOffset() + toOffset, toLength) >= 0)
            {
                break;
            }
            final int result = readValue(row + RowDirectory.ROW_VALUE_REF_OFFSET, row, rows.rowVersion(row), view, true);
            if (ResultCode.OK != result)
            {
                lastScanCount = count;
                return result;
            }
            rowKeyView.wrap(rowKeyAddress, rowKeyLength);
            count++;
            if (!handler.onRow(rowKeyView, 0, rowKeyLength, view.buffer(), 0, view.length(), view.version()))
            {
                break;
            }
            position = rows.next(table, position);
        }
        lastScanCount = count;
        return ResultCode.OK;
    }

    /**
     * @return the number of rows the last {@link #scan} handed to its handler.
     */
    public int lastScanCount()
    {
        return lastScanCount;
    }

    /**
     * @return what the key holds: {@link KeyIndex#KIND_NONE} (absent, or metadata only), {@link KeyIndex#KIND_VALUE},
     * {@link KeyIndex#KIND_TOMBSTONE} (deleted) or {@link KeyIndex#KIND_TABLE}; KIND_NONE for an invalid key.
     */
    public byte kind(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        if (!validKey(keyLength))
        {
            return KeyIndex.KIND_NONE;
        }
        final long entry = index.find(key, keyOffset, keyLength, NativeMemory.hash(key, keyOffset, keyLength));
        return NULL == entry ? KeyIndex.KIND_NONE : index.kind(entry);
    }

    /**
     * @return true when the key holds a table with this row; reads no value.
     */
    public boolean hasRow(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength)
    {
        if (!validKey(keyLength) || !validKey(rowKeyLength))
        {
            return false;
        }
        final long table = table(key, keyOffset, keyLength);
        return table > 0 && NULL != rows.find(table, rowKey, rowKeyOffset, rowKeyLength);
    }

    /**
     * @return negative, zero or positive as the row key sorts before, equal to or after the table's last row key;
     * positive when the key holds no table or an empty one (any row may be appended).
     */
    public int compareWithLastRow(
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength)
    {
        final long table = validKey(keyLength) ? table(key, keyOffset, keyLength) : 0;
        return table > 0 && rows.rowCount(table) > 0 ?
            rows.compareWithLast(table, rowKey, rowKeyOffset, rowKeyLength) : 1;
    }

    /**
     * Read back a record of the binlog by where it lies ({@link #lastWriteLocation()}, {@link #replayLocation()}).
     *
     * @param view pointed at the record on success, valid until the next read.
     * @return {@link ResultCode#OK}, or why the record cannot be read.
     */
    public int readLogged(final long location, final BinlogRecord view)
    {
        return binlog.readAt(location, view);
    }

    /**
     * @return rows in the table; 0 when the key holds no table.
     */
    public long rowCount(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final long table = validKey(keyLength) ? table(key, keyOffset, keyLength) : 0;
        return table > 0 ? rows.rowCount(table) : 0;
    }

    // ---------------------------------------------------------------- durability

    /**
     * Group commit: make the writes appended so far durable per the node's {@link Durability} and return how far
     * they are. With {@link Durability#PROCESS}, or MACHINE with no sync interval, everything appended is durable on
     * return; with a MACHINE sync interval, the sync happens here or in {@link #doWork()} when the interval is due.
     *
     * @return the index of the last durable record, -1 when none; reply to writes at or before it.
     */
    public long flush()
    {
        if (Durability.MACHINE == ctx.durability() &&
            (0 == ctx.syncIntervalMs() || epochClock.time() >= nextSyncDeadlineMs))
        {
            return sync();
        }
        return binlog.durableIndex();
    }

    /**
     * Make every appended record durable now, whatever the interval.
     *
     * @return the index of the last durable record, -1 when none.
     */
    public long sync()
    {
        if (Durability.MACHINE == ctx.durability() && binlog.durableIndex() != binlog.lastAppendedIndex())
        {
            binlogSyncs++;
        }
        nextSyncDeadlineMs = epochClock.time() + ctx.syncIntervalMs();
        return binlog.sync();
    }

    /** @return the index of the last durable record, -1 when none. */
    public long durableIndex()
    {
        return binlog.durableIndex();
    }

    // ---------------------------------------------------------------- binlog

    /**
     * @return a new reader of this node's binlog, positioned before the first record; the caller closes it.
     */
    public BinlogReader newBinlogReader()
    {
        return binlog.newReader();
    }

    /** @return the index of the first record still in the binlog, -1 when empty. */
    public long firstBinlogIndex()
    {
        return binlog.firstIndex();
    }

    /** @return the index of the last record in the binlog, -1 when empty. */
    public long lastBinlogIndex()
    {
        return binlog.lastIndex();
    }

    /**
     * Delete binlog cycle files whose records are all older than both {@code floorIndex} (what every replica has
     * read) and the latest complete snapshot's mark. The node also does this itself after each snapshot with
     * {@link Context#binlogRetentionFloor}.
     *
     * @return cycle files deleted.
     */
    public int deleteBinlogCycles(final long floorIndex)
    {
        if (null == latestSnapshot)
        {
            return 0;
        }
        final int deleted = binlog.deleteCyclesBefore(Math.min(floorIndex, latestSnapshot.replayFromIndex()));
        cyclesDeleted += deleted;
        return deleted;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Start a background snapshot now; {@link #doWork()} writes it a little per duty cycle while writes go on.
     *
     * @return false when one is already running or finishing.
     */
    public boolean startSnapshot()
    {
        if (null != snapshotWriter || null != snapshotFinisher || valueFileCount == MAX_VALUE_FILES)
        {
            return false;
        }
        final int generation = ++lastGeneration;
        final File partial = new File(snapshotDir, partialName(generation));
        try
        {
            final long markIndex = appendMark(generation, 0);
            final long floor = null != ctx.replayFloor() ? ctx.replayFloor().getAsLong() : Long.MAX_VALUE;
            final long replayFrom = floor >= 0 ? Math.min(markIndex, floor) : markIndex;
            snapshotWriter = new SnapshotWriter(partial, maxFrameLength(maxValueLength), generation, replayFrom,
                markIndex, nodeId, epochClock.time());
            addValueFile(generation, partial);
            final SnapshotWriter writer = snapshotWriter;
            requests.forEach((clientId, sequence, code, version) -> writer.writeRequest(clientId, sequence, code, version));
            snapshotGeneration = generation;
            snapshotInProgress = new SnapshotInfo(new File(snapshotDir, SnapshotFormat.fileName(generation)),
                generation, replayFrom, markIndex, nodeId);
            snapshotCursor = 0;
            snapshotStartMs = epochClock.time();
            return true;
        }
        catch (final RuntimeException ex)
        {
            abandonSnapshot(ex);
            return false;
        }
    }

    /** @return whether a snapshot is being written or synced. */
    public boolean isSnapshotInProgress()
    {
        return null != snapshotWriter || null != snapshotFinisher;
    }

    /** @return the latest complete snapshot, or null when the node has none. */
    public SnapshotInfo latestSnapshot()
    {
        return latestSnapshot;
    }

    /**
     * Replace this node's whole state with a snapshot taken on another node (or this one): every key, version,
     * metadata word, value and table, and the request table. The file is checked completely first; a bad file
     * changes nothing. Then the node appends a SNAPSHOT_MARK, copies the file into its own snapshot directory with
     * that mark as its replay point, and loads it: after a restart, recovery loads the installed snapshot and replays
     * only this node's records after the mark. Blocks the node's thread for the copy and load.
     *
     * @param file a snapshot file, e.g. another node's {@link SnapshotInfo#file()}.
     * @return {@link ResultCode#OK}; {@link ResultCode#INVALID_RECORD} or {@link ResultCode#CHECKSUM_MISMATCH} for a bad
     * file; {@link ResultCode#STORE_FULL} when it cannot fit this node's memory.
     */
    public int installSnapshot(final File file)
    {
        final int check = checkSnapshotFile(file);
        if (ResultCode.OK != check)
        {
            return check;
        }
        cancelSnapshot();

        final int generation = ++lastGeneration;
        final File partial = new File(snapshotDir, partialName(generation));
        final File target = new File(snapshotDir, SnapshotFormat.fileName(generation));
        final long markIndex = appendMark(generation, BinlogRecord.MARK_INSTALLED);
        binlog.sync();
        final long sourceIndex;
        final int sourceNodeId;
        try (SnapshotReader source = new SnapshotReader(file, maxFrameLength(maxValueLength)))
        {
            sourceIndex = source.sourceIndex();
            sourceNodeId = source.sourceNodeId();
            copyWithHeader(file, partial, generation, markIndex, sourceIndex, sourceNodeId, source.createdMs());
            Files.move(partial.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(snapshotDir);
        }
        catch (final IOException ex)
        {
            partial.delete();
            throw new UncheckedIOException("cannot install snapshot " + file, ex);
        }

        clearState();
        latestSnapshot = loadSnapshot(target);
        dropValueFilesExcept(generation);
        publishCounters();
        return ResultCode.OK;
    }

    // ---------------------------------------------------------------- agent

    /**
     * Housekeeping of the duty cycle: write the running snapshot a step further (or start one when the interval is
     * due), sync on the MACHINE interval, publish counters.
     *
     * @return work done, for the idle strategy.
     */
    public int doWork()
    {
        int work = 0;
        final long nowMs = epochClock.time();
        if (Durability.MACHINE == ctx.durability() && ctx.syncIntervalMs() > 0 && nowMs >= nextSyncDeadlineMs)
        {
            sync();
            work++;
        }
        if (null != snapshotWriter)
        {
            work += snapshotStep();
        }
        else if (null != snapshotFinisher && FINISH_RUNNING != finishState)
        {
            completeSnapshot(nowMs);
            work++;
        }
        else if (nowMs >= nextSnapshotDeadlineMs && null == snapshotFinisher)
        {
            nextSnapshotDeadlineMs = nowMs + ctx.snapshotIntervalMs();
            if (startSnapshot())
            {
                work++;
            }
        }
        if (nowMs >= nextPublishDeadlineMs)
        {
            nextPublishDeadlineMs = nowMs + PUBLISH_INTERVAL_MS;
            publishCounters();
        }
        return work;
    }

    /** @return the agent's name, {@code storage-node-<nodeId>}. */
    public String roleName()
    {
        return "storage-node-" + nodeId;
    }

    /**
     * Stop: wait for a snapshot being synced, abandon one being written, close the binlog and free the memory.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        cancelSnapshot();
        publishCounters();
        closeValueFiles();
        CloseHelper.closeAll(binlog, rows, cache, index, memory);
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases it too
        }
        CloseHelper.quietClose(lockChannel);
    }

    /** Close the node when the agent runner stops. */
    public void onClose()
    {
        close();
    }

    // ---------------------------------------------------------------- key scans

    /** @return the number of key positions: a scan of {@link #keyAt} over 0 until this visits every key. */
    public long keyPositions()
    {
        return index.slotCount();
    }

    /**
     * The key at a position of the index, for a scan of every key that goes on while the node is written. Positions
     * are stable while the node runs (index entries never move), so a scan over every position visits each key that
     * existed when it started; a key added during the scan may be missed. After a restart positions differ.
     *
     * @param position a position in [0, {@link #keyPositions()}).
     * @param keyOut   receives the key's bytes from offset 0.
     * @return the key's length, 0 when the position holds no key.
     */
    public int keyAt(final long position, final MutableDirectBuffer keyOut)
    {
        final long entry = index.entryAt(position);
        if (NULL == entry)
        {
            return 0;
        }
        final int keyLength = index.keyLength(entry);
        keyView.wrap(memory.address(index.keyOffset(entry)), keyLength);
        keyOut.putBytes(0, keyView, 0, keyLength);
        return keyLength;
    }

    // ---------------------------------------------------------------- figures for tests, tools and perf

    /** @return keys in the index: values, tables, tombstones and metadata-only keys. */
    public long keyCount()
    {
        return index.size();
    }

    /** @return bytes of native memory for keys and tables: the index slots plus the arena in use. */
    public long indexAndArenaBytes()
    {
        return index.slotBytes() + arena.usedBytes();
    }

    /** @return bytes of cache items holding values. */
    public long cacheUsedBytes()
    {
        return cache.usedBytes();
    }

    /** @return binlog records replayed at start. */
    public long recoveryRecords()
    {
        return recoveryRecords;
    }

    /** @return binlog bytes replayed at start. */
    public long recoveryBytes()
    {
        return recoveryBytes;
    }

    /** @return damaged tail records cut off at start. */
    public long recoveryTruncated()
    {
        return recoveryTruncated;
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    // ---------------------------------------------------------------- internals: writes

    private int put(
        final int mode, final long expectedVersion, final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        final int begin = beginWrite(clientId, requestSequence, key, keyOffset, keyLength,
            !validKey(keyLength) ? ResultCode.KEY_TOO_LARGE :
            valueLength < 0 || valueLength > maxValueLength ? ResultCode.VALUE_TOO_LARGE : ResultCode.OK);
        if (ResultCode.REQUEST_UNSEEN != begin)
        {
            return begin;
        }
        final long hash = opHash;
        final long entry = opEntry;
        final long current = opVersion;
        final byte kind = opKind;
        if (KeyIndex.KIND_TABLE == kind)
        {
            return reject(clientId, requestSequence, ResultCode.WRONG_TYPE, current);
        }
        if (PUT_IF_ABSENT == mode && KeyIndex.KIND_VALUE == kind)
        {
            return reject(clientId, requestSequence, ResultCode.ALREADY_EXISTS, current);
        }
        if (PUT_IF_VERSION == mode && expectedVersion != current)
        {
            return reject(clientId, requestSequence, ResultCode.VERSION_MISMATCH, current);
        }
        if (NULL == entry && !fits(NULL, keyLength, false, NULL, 0))
        {
            return rejectFull();
        }
        final int frameLength = recordWriter.encode(staging, 0, BinlogRecord.KV_PUT, current + 1, 0, nodeId,
            clientId, requestSequence, nanoClock.nanoTime(), key, keyOffset, keyLength, value, valueOffset, valueLength);
        final long location = append(staging, frameLength);
        applyPut(entry, key, keyOffset, keyLength, hash, current + 1, location, valueLength);
        return accepted(clientId, requestSequence, current + 1);
    }

    /**
     * Common start of a local write: check the input and the request table, then look the key up into the op fields.
     *
     * @return {@link ResultCode#REQUEST_UNSEEN} to go on, else the result to return.
     */
    private int beginWrite(
        final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength, final int inputCheck)
    {
        lastWriteIndex = -1;
        lastWriteVersion = 0;
        if (ResultCode.OK != inputCheck)
        {
            return rejectInput(inputCheck);
        }
        final int seen = checkRequest(clientId, requestSequence);
        if (ResultCode.REQUEST_UNSEEN != seen)
        {
            return seen;
        }
        opHash = NativeMemory.hash(key, keyOffset, keyLength);
        opEntry = index.find(key, keyOffset, keyLength, opHash);
        opVersion = NULL == opEntry ? 0 : index.version(opEntry);
        opKind = NULL == opEntry ? KeyIndex.KIND_NONE : index.kind(opEntry);
        return ResultCode.REQUEST_UNSEEN;
    }

    private int writeTombstone(
        final int type, final long clientId, final long requestSequence,
        final DirectBuffer key, final int keyOffset, final int keyLength, final long expectedVersion)
    {
        final int begin = beginWrite(clientId, requestSequence, key, keyOffset, keyLength,
            validKey(keyLength) ? ResultCode.OK : ResultCode.KEY_TOO_LARGE);
        if (ResultCode.REQUEST_UNSEEN != begin)
        {
            return begin;
        }
        final long current = opVersion;
        final byte expectedKind = BinlogRecord.KV_DELETE == type ? KeyIndex.KIND_VALUE : KeyIndex.KIND_TABLE;
        if (expectedKind != opKind)
        {
            final boolean wrongType = KeyIndex.KIND_VALUE == opKind || KeyIndex.KIND_TABLE == opKind;
            return reject(clientId, requestSequence, wrongType ? ResultCode.WRONG_TYPE : ResultCode.NOT_FOUND, current);
        }
        if (ANY_VERSION != expectedVersion && expectedVersion != current)
        {
            return reject(clientId, requestSequence, ResultCode.VERSION_MISMATCH, current);
        }
        final int frameLength = recordWriter.encode(staging, 0, type, current + 1, 0, nodeId,
            clientId, requestSequence, nanoClock.nanoTime(), key, keyOffset, keyLength, empty, 0, 0);
        append(staging, frameLength);
        applyTombstone(opEntry, current + 1);
        return accepted(clientId, requestSequence, current + 1);
    }

    private int checkRequest(final long clientId, final long requestSequence)
    {
        final int status = requestStatus(clientId, requestSequence);
        if (ResultCode.REQUEST_UNSEEN != status)
        {
            duplicateRequests++;
            if (ResultCode.STALE_REQUEST == status)
            {
                lastWriteVersion = 0;
            }
        }
        return status;
    }

    private int accepted(final long clientId, final long requestSequence, final long version)
    {
        writes++;
        lastWriteVersion = version;
        requests.record(clientId, requestSequence, ResultCode.OK, version);
        return ResultCode.OK;
    }

    private int reject(final long clientId, final long requestSequence, final int code, final long currentVersion)
    {
        writesRejected++;
        lastWriteVersion = currentVersion;
        requests.record(clientId, requestSequence, code, currentVersion);
        return code;
    }

    private int rejectInput(final int code)
    {
        writesRejected++;
        return code;
    }

    private int rejectFull()
    {
        writesRejected++;
        storeFull++;
        return ResultCode.STORE_FULL;
    }

    private long append(final DirectBuffer frame, final int length)
    {
        return append(frame, 0, length);
    }

    /**
     * @return the record's location, where its value is read back; the index goes to {@link #lastWriteIndex}.
     */
    private long append(final DirectBuffer frame, final int offset, final int length)
    {
        lastWriteIndex = binlog.append(frame, offset, length);
        binlogAppends++;
        binlogBytes += length;
        lastWriteLocation = binlog.lastAppendedLocation();
        return lastWriteLocation;
    }

    private long appendMark(final int generation, final long flags)
    {
        markValue.putLong(0, generation, ByteOrder.LITTLE_ENDIAN);
        markValue.putLong(8, flags, ByteOrder.LITTLE_ENDIAN);
        final int frameLength = recordWriter.encode(staging, 0, BinlogRecord.SNAPSHOT_MARK, 0, 0, nodeId, 0, 0,
            nanoClock.nanoTime(), empty, 0, 0, markValue, 0, BinlogRecord.MARK_VALUE_LENGTH);
        append(staging, frameLength);
        return lastWriteIndex;
    }

    private boolean fits(final long entry, final int keyLength, final boolean newTable, final long table, final int newRows)
    {
        if (NULL == entry && !index.hasRoom())
        {
            return false;
        }
        arena.beginReservation();
        if (NULL == entry)
        {
            arena.reserve(index.entrySize(keyLength), 1);
        }
        if (newTable)
        {
            arena.reserve(RowDirectory.HEADER_SIZE, 1);
        }
        if (newRows > 0)
        {
            arena.reserve(RowDirectory.BLOCK_SIZE, newRows);
            final int blocks = NULL == table ? 0 : rows.blockCount(table);
            arena.reserve(RowDirectory.blockArraySize(blocks + (long)newRows), 1);
        }
        return arena.reservationFits();
    }

    private boolean fitsRecord(final long entry, final BinlogRecord r)
    {
        final int type = r.type();
        if (BinlogRecord.TABLE_OPS != type)
        {
            return fits(entry, r.keyLength(), false, NULL, 0);
        }
        final boolean isTable = NULL != entry && KeyIndex.KIND_TABLE == index.kind(entry);
        return fits(entry, r.keyLength(), !isTable, isTable ? index.table(entry) : NULL, nonDeleteRows(r));
    }

    private int checkBatch(final int keyLength, final TableBatch batch)
    {
        if (batch.isInvalid() || batch.rowCount() < 1 || batch.rowCount() > maxBatchRows ||
            BinlogRecordWriter.tableFrameLength(keyLength, batch) > maxRecordLength)
        {
            return ResultCode.INVALID_BATCH;
        }
        for (int position = batch.firstRow(); position >= 0; position = batch.nextRow(position))
        {
            final int op = batch.op(position);
            if (BinlogRecord.ROW_PUT != op && BinlogRecord.ROW_DELETE != op && BinlogRecord.ROW_APPEND != op)
            {
                return ResultCode.UNKNOWN_OPERATION;
            }
            if (!validKey(batch.rowKeyLength(position)))
            {
                return ResultCode.KEY_TOO_LARGE;
            }
            if (batch.valueLength(position) > maxValueLength)
            {
                return ResultCode.VALUE_TOO_LARGE;
            }
        }
        return ResultCode.OK;
    }

    private int checkMutation(final BinlogRecord r)
    {
        final int type = BinlogRecord.mutationType(r.type());
        if (BinlogRecord.KV_PUT != type && BinlogRecord.KV_DELETE != type &&
            BinlogRecord.TABLE_OPS != type && BinlogRecord.TABLE_DELETE != type)
        {
            return ResultCode.UNKNOWN_OPERATION;
        }
        if (r.version() < 1 || r.version() > MAX_VERSION)
        {
            return ResultCode.INVALID_RECORD;
        }
        if (!validKey(r.keyLength()))
        {
            return ResultCode.KEY_TOO_LARGE;
        }
        if (r.valueLength() > maxValueLength)
        {
            return ResultCode.VALUE_TOO_LARGE;
        }
        if (BinlogRecord.TABLE_OPS == type)
        {
            if (r.rowCount() < 1 || r.rowCount() > maxBatchRows)
            {
                return ResultCode.INVALID_BATCH;
            }
            r.resetRows();
            boolean first = true;
            while (r.nextRow())
            {
                final int op = r.rowOp();
                if (BinlogRecord.ROW_CLEAR == op && first && 0 == r.rowKeyLength() && 0 == r.rowValueLength())
                {
                    first = false;
                    continue;
                }
                first = false;
                if (BinlogRecord.ROW_PUT != op && BinlogRecord.ROW_DELETE != op && BinlogRecord.ROW_APPEND != op)
                {
                    return ResultCode.UNKNOWN_OPERATION;
                }
                if (r.rowVersion() < 0 || r.rowVersion() > r.version())
                {
                    return ResultCode.INVALID_RECORD;
                }
                if (!validKey(r.rowKeyLength()))
                {
                    return ResultCode.KEY_TOO_LARGE;
                }
                if (r.rowValueLength() > maxValueLength)
                {
                    return ResultCode.VALUE_TOO_LARGE;
                }
            }
        }
        else if (0 != r.rowCount())
        {
            return ResultCode.INVALID_RECORD;
        }
        return ResultCode.OK;
    }

    private static int nonDeleteRows(final BinlogRecord r)
    {
        int count = 0;
        r.resetRows();
        while (r.nextRow())
        {
            if (BinlogRecord.ROW_PUT == r.rowOp() || BinlogRecord.ROW_APPEND == r.rowOp())
            {
                count++;
            }
        }
        return count;
    }

    private static int compareBatchKeys(final TableBatch batch, final int positionA, final int positionB)
    {
        final DirectBuffer buffer = batch.buffer();
        return NativeMemory.compare(
            buffer.byteArray(), buffer.addressOffset() + batch.rowKeyOffset(positionA), batch.rowKeyLength(positionA),
            buffer.byteArray(), buffer.addressOffset() + batch.rowKeyOffset(positionB), batch.rowKeyLength(positionB));
    }

    private static boolean hasMetadata(final SnapshotFrame frame)
    {
        for (int word = 0; word < METADATA_WORDS; word++)
        {
            if (0 != frame.metadata(word))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean validKey(final int keyLength)
    {
        return keyLength >= 1 && keyLength <= StorageConfiguration.MAX_KEY_LENGTH;
    }

    /**
     * @return the table's header, or the negation of a result code (NOT_FOUND, WRONG_TYPE).
     */
    private long table(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final long entry = index.find(key, keyOffset, keyLength, NativeMemory.hash(key, keyOffset, keyLength));
        if (NULL == entry)
        {
            return -ResultCode.NOT_FOUND;
        }
        final byte kind = index.kind(entry);
        if (KeyIndex.KIND_TABLE != kind)
        {
            return -(KeyIndex.KIND_VALUE == kind ? ResultCode.WRONG_TYPE : ResultCode.NOT_FOUND);
        }
        return index.table(entry);
    }

    // ---------------------------------------------------------------- internals: applying records

    private void applyRecord(final long entry, final long hash, final BinlogRecord r, final long location)
    {
        final int type = BinlogRecord.mutationType(r.type());
        final DirectBuffer buffer = r.buffer();
        final int keyOffset = r.keyOffset();
        final int keyLength = r.keyLength();
        if (BinlogRecord.KV_PUT == type)
        {
            applyPut(entry, buffer, keyOffset, keyLength, hash, r.version(), location, r.valueLength());
        }
        else if (BinlogRecord.TABLE_OPS == type)
        {
            applyTableOps(entry, buffer, keyOffset, keyLength, hash, r, location);
        }
        else
        {
            applyTombstone(NULL != entry ? entry : insert(buffer, keyOffset, keyLength, hash), r.version());
        }
        if (metadataEnabled && r.slot() > 0)
        {
            // the replication layer's decided slot travels with the mutation that decided it
            final long applied = NULL != entry ? entry : index.find(buffer, keyOffset, keyLength, hash);
            if (r.slot() > index.metadata(applied, METADATA_SLOT))
            {
                index.metadata(applied, METADATA_SLOT, r.slot());
                index.metadata(applied, METADATA_BALLOT, r.ballot());
            }
        }
    }

    /**
     * Point the key at its new value in the binlog. The cache is write-around: the new value is cached when first
     * read, and an item holding the old value is left for the CLOCK sweep (its stamp no longer matches), so a put
     * touches no cache memory.
     */
    private void applyPut(
        final long knownEntry, final DirectBuffer key, final int keyOffset, final int keyLength, final long hash,
        final long version, final long location, final int valueLength)
    {
        final long entry = NULL != knownEntry ? knownEntry : insert(key, keyOffset, keyLength, hash);
        dropValue(entry);
        index.version(entry, version);
        index.kind(entry, KeyIndex.KIND_VALUE);
        ValueRef.set(memory, entry + KeyIndex.VALUE_REF_OFFSET, location, nextStamp++, valueLength);
    }

    private void applyTombstone(final long entry, final long version)
    {
        dropValue(entry);
        index.version(entry, version);
        index.kind(entry, KeyIndex.KIND_TOMBSTONE);
    }

    private void applyTableOps(
        final long knownEntry, final DirectBuffer key, final int keyOffset, final int keyLength, final long hash,
        final BinlogRecord r, final long location)
    {
        final long entry = NULL != knownEntry ? knownEntry : insert(key, keyOffset, keyLength, hash);
        if (KeyIndex.KIND_TABLE != index.kind(entry))
        {
            dropValue(entry);
            final long table = rows.create();
            if (NULL == table)
            {
                throw new IllegalStateException("arena full while applying a reserved table write");
            }
            index.table(entry, table);
            index.kind(entry, KeyIndex.KIND_TABLE);
        }
        final long table = index.table(entry);
        final long version = r.version();
        if (!rows.ensureBlockCapacity(table, nonDeleteRows(r)))
        {
            throw new IllegalStateException("arena full while applying a reserved table write");
        }
        final DirectBuffer buffer = r.buffer();
        r.resetRows();
        while (r.nextRow())
        {
            if (BinlogRecord.ROW_CLEAR == r.rowOp())
            {
                for (long position = rows.first(table); RowDirectory.END != position; position = rows.first(table))
                {
                    rows.removeAt(table, position);
                }
            }
            else if (BinlogRecord.ROW_DELETE == r.rowOp())
            {
                final long position = rows.locate(table, buffer, r.rowKeyOffset(), r.rowKeyLength());
                if (position >= 0)
                {
                    rows.removeAt(table, position);
                }
            }
            else
            {
                final long row = rows.put(table, buffer, r.rowKeyOffset(), r.rowKeyLength());
                if (NULL == row)
                {
                    throw new IllegalStateException("arena full while applying a reserved table write");
                }
                rows.rowVersion(row, 0 != r.rowVersion() ? r.rowVersion() : version);
                ValueRef.set(memory, row + RowDirectory.ROW_VALUE_REF_OFFSET, location, nextStamp++, r.rowValueLength());
            }
        }
        index.version(entry, version);
    }

    private long insert(final DirectBuffer key, final int keyOffset, final int keyLength, final long hash)
    {
        final long entry = index.insert(key, keyOffset, keyLength, hash);
        if (NULL == entry)
        {
            throw new IllegalStateException("index or arena full while applying a reserved write");
        }
        return entry;
    }

    private void dropValue(final long entry)
    {
        if (KeyIndex.KIND_TABLE == index.kind(entry))
        {
            rows.free(index.table(entry));
        }
        ValueRef.clear(memory, entry + KeyIndex.VALUE_REF_OFFSET);
        index.kind(entry, KeyIndex.KIND_NONE);
    }

    // ---------------------------------------------------------------- internals: reading values back

    private int readValue(final long ref, final long row, final long version, final ValueView view, final boolean cacheOnMiss)
    {
        final int length = ValueRef.length(memory, ref);
        final long stamp = ValueRef.stamp(memory, ref);
        final int cacheRef = ValueRef.cacheRef(memory, ref);
        if (cache.lookup(cacheRef, stamp))
        {
            cacheHits++;
            view.wrap(cache.valueAddress(cacheRef), length, version);
            return ResultCode.OK;
        }
        cacheMisses++;
        final long location = ValueRef.location(memory, ref);
        final int newCacheRef = cacheOnMiss ? cache.allocate(stamp, length) : 0;
        final long target = 0 != newCacheRef ? cache.valueAddress(newCacheRef) : scratch.addressOffset();
        final int result = ValueRef.isSnapshotLocation(location) ?
            loadFromSnapshot(location, target, length) : loadFromBinlog(location, row, target, length);
        if (ResultCode.OK != result)
        {
            cache.invalidate(newCacheRef, stamp);
            readErrors++;
            errorHandler.onError(new IllegalStateException("stored value unreadable at " +
                (ValueRef.isSnapshotLocation(location) ? "snapshot generation " +
                ValueRef.snapshotGeneration(location) + " offset " + ValueRef.snapshotOffset(location) :
                "binlog location 0x" + Long.toHexString(location)) + ": " + ResultCode.describe(result)));
            return ResultCode.DATA_UNAVAILABLE;
        }
        if (0 != newCacheRef)
        {
            ValueRef.cacheRef(memory, ref, newCacheRef);
        }
        view.wrap(target, length, version);
        return ResultCode.OK;
    }

    private int loadFromBinlog(final long location, final long row, final long target, final int length)
    {
        {
            final int result = binlog.readAt(location, valueRecord);
            if (ResultCode.OK != result)
            {
                return result;
            }
            final DirectBuffer buffer = valueRecord.buffer();
            final int offset;
            if (NULL == row)
            {
                if (BinlogRecord.KV_PUT != BinlogRecord.mutationType(valueRecord.type()) || valueRecord.valueLength() != length)
                {
                    return ResultCode.INVALID_RECORD;
                }
                offset = valueRecord.valueOffset();
            }
            else
            {
                rowKeyView.wrap(memory.address(row + RowDirectory.ROW_KEY_OFFSET), rows.rowKeyLength(row));
                if (BinlogRecord.TABLE_OPS != BinlogRecord.mutationType(valueRecord.type()) ||
                    !valueRecord.findLastRow(rowKeyView, 0, rowKeyView.capacity()) ||
                    valueRecord.rowValueLength() != length)
                {
                    return ResultCode.INVALID_RECORD;
                }
                offset = valueRecord.rowValueOffset();
            }
            UnsafeApi.copyMemory(buffer.byteArray(), buffer.addressOffset() + offset, null, target, length);
            return ResultCode.OK;
        }
    }

    private int loadFromSnapshot(final long location, final long target, final int length)
    {
        final int generation = ValueRef.snapshotGeneration(location);
        final int file = valueFile(generation);
        if (file < 0)
        {
            return ResultCode.DATA_UNAVAILABLE;
        }
        if (null != snapshotWriter && (snapshotGeneration & 0x7FFF) == generation)
        {
            snapshotWriter.flush();
        }
        final MappedFileReader reader = valueFiles[file];
        final long position = ValueRef.snapshotOffset(location);
        final int available = reader.available(position);
        if (available < SnapshotFormat.FRAME_HEADER_LENGTH)
        {
            return ResultCode.DATA_UNAVAILABLE;
        }
        frameView.wrap(reader.address(position, available), available);
        final int result = snapshotFrame.wrap(frameView, 0, available);
        if (ResultCode.OK != result)
        {
            return result;
        }
        final byte type = snapshotFrame.type();
        if (SnapshotFormat.KEY != type && SnapshotFormat.ROW != type || snapshotFrame.valueLength() != length)
        {
            return ResultCode.INVALID_RECORD;
        }
        UnsafeApi.copyMemory(frameView.byteArray(), frameView.addressOffset() + snapshotFrame.valueOffset(),
            null, target, length);
        return ResultCode.OK;
    }

    // ---------------------------------------------------------------- internals: snapshots

    private int snapshotStep()
    {
        final long start = snapshotWriter.length();
        final long slots = index.slotCount();
        final long slotLimit = Math.min(slots, snapshotCursor + Math.max(1024, ctx.snapshotBytesPerCycle() / 4));
        try
        {
            while (snapshotCursor < slotLimit && snapshotWriter.length() - start < ctx.snapshotBytesPerCycle())
            {
                final long entry = index.entryAt(snapshotCursor++);
                if (NULL != entry && !snapshotEntry(entry))
                {
                    abandonSnapshot(new IllegalStateException("snapshot " + snapshotGeneration +
                        " abandoned: a value could not be read back"));
                    return 1;
                }
            }
            if (snapshotCursor >= slots)
            {
                finishSnapshot();
            }
        }
        catch (final RuntimeException ex)
        {
            abandonSnapshot(ex);
        }
        return 1;
    }

    private boolean snapshotEntry(final long entry)
    {
        final int keyLength = index.keyLength(entry);
        keyView.wrap(memory.address(index.keyOffset(entry)), keyLength);
        final byte kind = index.kind(entry);
        final long version = index.version(entry);
        final long[] metadata = snapshotMetadata;
        for (int word = 0; word < METADATA_WORDS; word++)
        {
            metadata[word] = metadataEnabled ? index.metadata(entry, word) : 0;
        }
        if (KeyIndex.KIND_VALUE == kind)
        {
            final long ref = entry + KeyIndex.VALUE_REF_OFFSET;
            if (ResultCode.OK != readValue(ref, NULL, version, internalValue, false))
            {
                return false;
            }
            final long frame = snapshotWriter.writeKey(kind, keyView, 0, keyLength, version, metadata,
                internalValue.buffer(), 0, internalValue.length());
            ValueRef.location(memory, ref, ValueRef.snapshotLocation(snapshotGeneration, frame));
        }
        else if (KeyIndex.KIND_TABLE == kind)
        {
            final long table = index.table(entry);
            snapshotWriter.writeTable(keyView, 0, keyLength, version, metadata, rows.rowCount(table));
            for (long position = rows.first(table); RowDirectory.END != position; position = rows.next(table, position))
            {
                final long row = rows.recordAt(table, position);
                final long ref = row + RowDirectory.ROW_VALUE_REF_OFFSET;
                if (ResultCode.OK != readValue(ref, row, rows.rowVersion(row), internalValue, false))
                {
                    return false;
                }
                rowKeyView.wrap(memory.address(row + RowDirectory.ROW_KEY_OFFSET), rows.rowKeyLength(row));
                final long frame = snapshotWriter.writeRow(rowKeyView, 0, rowKeyView.capacity(), rows.rowVersion(row),
                    internalValue.buffer(), 0, internalValue.length());
                ValueRef.location(memory, ref, ValueRef.snapshotLocation(snapshotGeneration, frame));
            }
        }
        else
        {
            snapshotWriter.writeKey(kind, keyView, 0, keyLength, version, metadata, empty, 0, 0);
        }
        return true;
    }

    private void finishSnapshot()
    {
        final SnapshotWriter writer = snapshotWriter;
        snapshotBytes = writer.finish();
        snapshotWriter = null;
        final File partial = writer.file();
        final File target = snapshotInProgress.file();
        finishState = FINISH_RUNNING;
        finishError = null;
        snapshotFinisher = new Thread(() ->
        {
            try
            {
                writer.force();
                writer.close();
                Files.move(partial.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(target.getParentFile());
                finishState = FINISH_DONE;
            }
            catch (final Throwable ex)
            {
                finishError = ex;
                finishState = FINISH_FAILED;
            }
        }, "tern-snapshot-sync-" + nodeId);
        snapshotFinisher.setDaemon(true);
        snapshotFinisher.start();
    }

    private void completeSnapshot(final long nowMs)
    {
        joinFinisher();
        if (FINISH_DONE != finishState)
        {
            snapshotsFailed++;
            errorHandler.onError(finishError);
            return;
        }
        renameValueFile(snapshotGeneration, snapshotInProgress.file());
        latestSnapshot = snapshotInProgress;
        dropValueFilesExcept(snapshotGeneration);
        snapshots++;
        snapshotMs = nowMs - snapshotStartMs;
        deleteBinlogCycles(ctx.binlogRetentionFloor().getAsLong());
    }

    private void abandonSnapshot(final Throwable cause)
    {
        snapshotsFailed++;
        errorHandler.onError(cause);
        if (null != snapshotWriter)
        {
            try
            {
                snapshotWriter.flush();
            }
            catch (final RuntimeException ignore)
            {
                // the file stays as it is; values already pointing into it are read from what reached it
            }
            CloseHelper.quietClose(snapshotWriter);
            snapshotWriter = null;
        }
    }

    private void cancelSnapshot()
    {
        if (null != snapshotFinisher)
        {
            completeSnapshot(epochClock.time());
        }
        if (null != snapshotWriter)
        {
            snapshotWriter.flush();
            snapshotWriter.close();
            snapshotWriter = null;
        }
    }

    private void joinFinisher()
    {
        try
        {
            snapshotFinisher.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        snapshotFinisher = null;
    }

    /**
     * Walk a snapshot file as {@link #loadSnapshot} would, so that a file which passes cannot fail half-loaded.
     *
     * @return {@link ResultCode#OK}, the frame's damage, {@link ResultCode#INVALID_RECORD} for a structure this node
     * cannot load, or {@link ResultCode#STORE_FULL} when it would not fit.
     */
    private int checkSnapshotFile(final File file)
    {
        long keys = 0;
        long arenaBytes = 0;
        long rowsLeft = 0;
        long tableRowBytes = 0;
        try (SnapshotReader reader = new SnapshotReader(file, maxFrameLength(maxValueLength)))
        {
            int result;
            while (ResultCode.OK == (result = reader.next()))
            {
                final SnapshotFrame frame = reader.frame();
                final byte type = frame.type();
                if (SnapshotFormat.ROW == type ? rowsLeft == 0 : rowsLeft != 0)
                {
                    return ResultCode.INVALID_RECORD;
                }
                if (SnapshotFormat.REQUEST == type || SnapshotFormat.END == type)
                {
                    continue;
                }
                if (!validKey(frame.keyLength()) || frame.valueLength() > maxValueLength)
                {
                    return ResultCode.INVALID_RECORD;
                }
                if (SnapshotFormat.ROW == type)
                {
                    rowsLeft--;
                    tableRowBytes += RowDirectory.recordSize(frame.keyLength()) + 2;
                    if (0 == rowsLeft)
                    {
                        final long blocks = tableRowBytes / (RowDirectory.BLOCK_SIZE / 2) + 1;
                        arenaBytes += blocks * RowDirectory.BLOCK_SIZE + RowDirectory.blockArraySize(blocks);
                    }
                    continue;
                }
                if (!metadataEnabled && hasMetadata(frame) ||
                    SnapshotFormat.KEY == type && frame.kind() != KeyIndex.KIND_NONE &&
                    frame.kind() != KeyIndex.KIND_VALUE && frame.kind() != KeyIndex.KIND_TOMBSTONE ||
                    SnapshotFormat.TABLE == type && (frame.rowCount() < 0 || frame.rowCount() > arena.capacity()))
                {
                    return ResultCode.INVALID_RECORD;
                }
                keys++;
                arenaBytes += OffHeapArena.allocationSize(index.entrySize(frame.keyLength()));
                if (SnapshotFormat.TABLE == type)
                {
                    arenaBytes += OffHeapArena.allocationSize(RowDirectory.HEADER_SIZE);
                    rowsLeft = frame.rowCount();
                    tableRowBytes = 0;
                }
            }
            if (ResultCode.NOT_FOUND != result)
            {
                return result;
            }
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            return ResultCode.INVALID_RECORD;
        }
        return keys > index.maxKeys() || arenaBytes > arena.capacity() ? ResultCode.STORE_FULL : ResultCode.OK;
    }

    private SnapshotInfo loadSnapshot(final File file)
    {
        try (SnapshotReader reader = new SnapshotReader(file, maxFrameLength(maxValueLength)))
        {
            final int generation = reader.generation();
            addValueFile(generation, file);
            long table = NULL;
            long rowsLeft = 0;
            boolean ended = false;
            while (!ended)
            {
                final int result = reader.next();
                if (ResultCode.OK != result)
                {
                    throw new IllegalArgumentException("damaged snapshot " + file + " at offset " + reader.frameOffset() +
                        ": " + ResultCode.describe(result));
                }
                final SnapshotFrame frame = reader.frame();
                final byte type = frame.type();
                if (SnapshotFormat.ROW == type ? rowsLeft == 0 : rowsLeft != 0)
                {
                    throw new IllegalArgumentException("damaged snapshot " + file + ": rows do not match their table at " +
                        reader.frameOffset());
                }
                switch (type)
                {
                    case SnapshotFormat.REQUEST:
                        requests.record(frame.requestClientId(), frame.requestSequence(), frame.requestCode(), frame.version());
                        break;
                    case SnapshotFormat.KEY:
                    {
                        final long entry = loadEntry(file, frame);
                        final byte kind = frame.kind();
                        if (KeyIndex.KIND_VALUE == kind)
                        {
                            checkValueLength(file, frame);
                            ValueRef.set(memory, entry + KeyIndex.VALUE_REF_OFFSET,
                                ValueRef.snapshotLocation(generation, reader.frameOffset()), nextStamp++, frame.valueLength());
                        }
                        else if (KeyIndex.KIND_NONE != kind && KeyIndex.KIND_TOMBSTONE != kind)
                        {
                            throw new IllegalArgumentException("damaged snapshot " + file + ": unknown kind " + kind);
                        }
                        index.kind(entry, kind);
                        break;
                    }
                    case SnapshotFormat.TABLE:
                    {
                        final long entry = loadEntry(file, frame);
                        table = rows.create();
                        if (NULL == table)
                        {
                            throw tooSmall(file);
                        }
                        index.table(entry, table);
                        index.kind(entry, KeyIndex.KIND_TABLE);
                        rowsLeft = frame.rowCount();
                        break;
                    }
                    case SnapshotFormat.ROW:
                    {
                        if (!validKey(frame.keyLength()))
                        {
                            throw new IllegalArgumentException("damaged snapshot " + file + ": bad row key length");
                        }
                        checkValueLength(file, frame);
                        final long row = rows.ensureBlockCapacity(table, 1) ?
                            rows.put(table, frame.buffer(), frame.keyOffset(), frame.keyLength()) : NULL;
                        if (NULL == row)
                        {
                            throw tooSmall(file);
                        }
                        rows.rowVersion(row, frame.version());
                        ValueRef.set(memory, row + RowDirectory.ROW_VALUE_REF_OFFSET,
                            ValueRef.snapshotLocation(generation, reader.frameOffset()), nextStamp++, frame.valueLength());
                        rowsLeft--;
                        break;
                    }
                    default:
                        ended = true;
                }
            }
            return new SnapshotInfo(file, generation, reader.replayFromIndex(), reader.sourceIndex(), reader.sourceNodeId());
        }
    }

    private long loadEntry(final File file, final SnapshotFrame frame)
    {
        final int keyLength = frame.keyLength();
        if (!validKey(keyLength))
        {
            throw new IllegalArgumentException("damaged snapshot " + file + ": bad key length " + keyLength);
        }
        final DirectBuffer buffer = frame.buffer();
        final long hash = NativeMemory.hash(buffer, frame.keyOffset(), keyLength);
        long entry = index.find(buffer, frame.keyOffset(), keyLength, hash);
        if (NULL == entry)
        {
            entry = index.insert(buffer, frame.keyOffset(), keyLength, hash);
            if (NULL == entry)
            {
                throw tooSmall(file);
            }
        }
        else
        {
            dropValue(entry);
        }
        index.version(entry, frame.version());
        for (int word = 0; word < METADATA_WORDS; word++)
        {
            final long value = frame.metadata(word);
            if (metadataEnabled)
            {
                index.metadata(entry, word, value);
            }
            else if (0 != value)
            {
                throw new IllegalStateException("snapshot " + file + " holds key metadata but metadataEnabled=false");
            }
        }
        return entry;
    }

    private void checkValueLength(final File file, final SnapshotFrame frame)
    {
        if (frame.valueLength() > maxValueLength)
        {
            throw new IllegalStateException("snapshot " + file + " holds a value of " + frame.valueLength() +
                " bytes, more than maxValueLength=" + maxValueLength);
        }
    }

    private IllegalStateException tooSmall(final File file)
    {
        return new IllegalStateException("snapshot " + file + " does not fit: raise indexCapacity=" +
            index.maxKeys() + " or arenaBytes=" + arena.capacity());
    }

    private void copyWithHeader(
        final File source, final File target, final int generation, final long replayFromIndex,
        final long sourceIndex, final int sourceNodeId, final long createdMs) throws IOException
    {
        try (FileChannel in = FileChannel.open(source.toPath(), StandardOpenOption.READ);
            FileChannel out = FileChannel.open(target.toPath(),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final long size = in.size();
            long copied = 0;
            while (copied < size)
            {
                copied += in.transferTo(copied, size - copied, out);
            }
            final ByteBuffer header = ByteBuffer.allocateDirect(SnapshotFormat.HEADER_LENGTH);
            SnapshotWriter.writeHeader(new Crc32cChecksum(), new UnsafeBuffer(header), 0, generation, replayFromIndex, sourceIndex,
                sourceNodeId, createdMs);
            while (header.hasRemaining())
            {
                out.write(header, header.position());
            }
            out.force(true);
        }
    }

    private void clearState()
    {
        dropValueFilesExcept(-1);
        resetMemory();
    }

    private void resetMemory()
    {
        index.clear();
        arena.reset();
        cache.reset();
        requests.clear();
    }

    // ---------------------------------------------------------------- internals: value files

    private void addValueFile(final int generation, final File path)
    {
        if (valueFileCount == MAX_VALUE_FILES)
        {
            throw new IllegalStateException("too many snapshot files in use");
        }
        valueFileGenerations[valueFileCount] = generation;
        valueFiles[valueFileCount] = new MappedFileReader(path, maxFrameLength(maxValueLength));
        valueFilePaths[valueFileCount] = path;
        valueFileCount++;
    }

    private int valueFile(final int generation15)
    {
        for (int i = 0; i < valueFileCount; i++)
        {
            if ((valueFileGenerations[i] & 0x7FFF) == generation15)
            {
                return i;
            }
        }
        return -1;
    }

    private void renameValueFile(final int generation, final File path)
    {
        final int file = valueFile(generation & 0x7FFF);
        if (file >= 0)
        {
            valueFilePaths[file] = path;
        }
    }

    /** Close and delete every snapshot file but one generation's (-1: all): no value points into them any more. */
    private void dropValueFilesExcept(final int generation)
    {
        int kept = 0;
        for (int i = 0; i < valueFileCount; i++)
        {
            if (valueFileGenerations[i] == generation)
            {
                valueFileGenerations[kept] = valueFileGenerations[i];
                valueFiles[kept] = valueFiles[i];
                valueFilePaths[kept] = valueFilePaths[i];
                kept++;
            }
            else
            {
                CloseHelper.quietClose(valueFiles[i]);
                valueFilePaths[i].delete();
            }
        }
        for (int i = kept; i < valueFileCount; i++)
        {
            valueFiles[i] = null;
            valueFilePaths[i] = null;
        }
        valueFileCount = kept;
    }

    private void closeValueFiles()
    {
        for (int i = 0; i < valueFileCount; i++)
        {
            CloseHelper.quietClose(valueFiles[i]);
            valueFiles[i] = null;
        }
        valueFileCount = 0;
    }

    // ---------------------------------------------------------------- internals: recovery

    private void recover()
    {
        final long startNs = System.nanoTime();
        final long firstBad = recoverOnce();
        if (BinlogReader.NO_DAMAGE != firstBad)
        {
            recoveryTruncated = binlog.truncateFrom(firstBad);
            errorHandler.onError(new IllegalStateException("binlog " + binlog.dir() + " damaged at index 0x" +
                Long.toHexString(firstBad) + " (" + ResultCode.describe(replayDamage) + "): cut off " + recoveryTruncated +
                " record(s) from there, moved to " + damagedDir));
            // the cut rewrote the damaged cycle file, so start again from a clean slate on the repaired binlog
            closeValueFiles();
            resetMemory();
            latestSnapshot = null;
            if (BinlogReader.NO_DAMAGE != recoverOnce())
            {
                throw new IllegalStateException("binlog " + binlog.dir() + " still damaged after cutting its tail");
            }
        }
        if (null == latestSnapshot && binlog.lastIndex() < 0)
        {
            // the genesis mark: a binlog that no longer starts with it lost cycles and cannot rebuild the store alone
            appendMark(GENESIS_GENERATION, 0);
        }
        recoveryMs = (System.nanoTime() - startNs) / 1_000_000;
    }

    /**
     * Load the latest usable snapshot and replay the binlog after it.
     *
     * @return the index of the first damaged record, or {@link BinlogReader#NO_DAMAGE}.
     */
    private long recoverOnce()
    {
        recoveryRecords = 0;
        recoveryBytes = 0;
        replayDamage = ResultCode.OK;
        final File[] files = snapshotDir.listFiles();
        final List<File> complete = new ArrayList<>();
        if (null != files)
        {
            for (final File file : files)
            {
                final String name = file.getName();
                if (name.endsWith(SnapshotFormat.PARTIAL_SUFFIX))
                {
                    lastGeneration = Math.max(lastGeneration, (int)SnapshotFormat.generationOf(
                        name.substring(0, name.length() - SnapshotFormat.PARTIAL_SUFFIX.length()) + SnapshotFormat.SUFFIX));
                    file.delete();
                }
                else if (SnapshotFormat.generationOf(name) >= 0)
                {
                    lastGeneration = Math.max(lastGeneration, (int)SnapshotFormat.generationOf(name));
                    complete.add(file);
                }
            }
        }
        complete.sort((a, b) -> Long.compare(SnapshotFormat.generationOf(b.getName()), SnapshotFormat.generationOf(a.getName())));
        for (final File file : complete)
        {
            if (null != latestSnapshot)
            {
                file.delete();
                continue;
            }
            try
            {
                latestSnapshot = loadSnapshot(file);
            }
            catch (final IllegalArgumentException | UncheckedIOException ex)
            {
                errorHandler.onError(ex);
                closeValueFiles();
                resetMemory();
                moveToDamaged(file);
            }
        }

        final long replayFrom = null != latestSnapshot ? latestSnapshot.replayFromIndex() : -1;
        try (BinlogReader reader = binlog.newReader())
        {
            replayReader = reader;
            if (replayFrom >= 0 && !reader.moveTo(replayFrom))
            {
                if (binlog.lastIndex() >= replayFrom)
                {
                    throw new IllegalStateException("binlog in " + binlog.dir() + " no longer holds index " +
                        Long.toHexString(replayFrom) + " that snapshot " + latestSnapshot.file() +
                        " replays from (it holds " + Long.toHexString(binlog.firstIndex()) + " to " +
                        Long.toHexString(binlog.lastIndex()) + "); install a snapshot from a peer");
                }
                return BinlogReader.NO_DAMAGE;
            }
            if (replayFrom < 0)
            {
                reader.toStart();
                if (1 == reader.read(genesisCheck, 1) && !startsAtGenesis)
                {
                    throw new IllegalStateException("binlog in " + binlog.dir() + " no longer starts with its first " +
                        "record and no snapshot is usable (see " + damagedDir + "); install a snapshot from a peer");
                }
            }
            int read;
            do
            {
                read = reader.read(replayHandler, 4096);
            }
            while (read > 0);
            final long lastRead = reader.lastReadIndex();
            replayDamage = reader.damage();
            long firstBad = reader.damagedIndex();
            if (BinlogReader.NO_DAMAGE == firstBad && binlog.lastIndex() > lastRead)
            {
                firstBad = lastRead >= 0 ? lastRead + 1 : (replayFrom >= 0 ? replayFrom : binlog.firstIndex());
                replayDamage = ResultCode.INVALID_RECORD;
            }
            return firstBad;
        }
        finally
        {
            replayReader = null;
        }
    }

    private void onReplayRecord(final long binlogIndex, final BinlogRecord r)
    {
        recoveryRecords++;
        recoveryBytes += r.length();
        final int type = r.type();
        if (BinlogRecord.SNAPSHOT_MARK == type)
        {
            return;
        }
        if (type >= BinlogRecord.REPLICATION_TYPE_MIN)
        {
            if (null != ctx.replicationRecordHandler())
            {
                ctx.replicationRecordHandler().onRecord(binlogIndex, r);
            }
            return;
        }
        final int check = r.length() > maxRecordLength ? ResultCode.INVALID_RECORD : checkMutation(r);
        if (ResultCode.OK != check)
        {
            invalidRecords++;
            errorHandler.onError(new IllegalStateException("binlog record 0x" + Long.toHexString(binlogIndex) +
                " skipped in recovery: " + ResultCode.describe(check)));
            return;
        }
        final DirectBuffer buffer = r.buffer();
        final long hash = NativeMemory.hash(buffer, r.keyOffset(), r.keyLength());
        final long entry = index.find(buffer, r.keyOffset(), r.keyLength(), hash);
        requests.record(r.clientId(), r.requestSequence(), ResultCode.OK, r.version());
        if (NULL != entry && r.version() <= index.version(entry))
        {
            return;
        }
        if (!fitsRecord(entry, r))
        {
            throw new IllegalStateException("binlog " + binlog.dir() + " does not fit: raise indexCapacity=" +
                index.maxKeys() + " or arenaBytes=" + arena.capacity());
        }
        applyRecord(entry, hash, r, replayReader.location());
    }

    private void onFirstRecord(final long binlogIndex, final BinlogRecord r)
    {
        startsAtGenesis = BinlogRecord.SNAPSHOT_MARK == r.type() && BinlogRecord.MARK_VALUE_LENGTH == r.valueLength() &&
            GENESIS_GENERATION == r.buffer().getLong(r.valueOffset(), ByteOrder.LITTLE_ENDIAN);
        onReplayRecord(binlogIndex, r);
    }

    private void moveToDamaged(final File file)
    {
        try
        {
            Files.move(file.toPath(), new File(damagedDir, file.getName() + "-" + System.currentTimeMillis()).toPath());
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    // ---------------------------------------------------------------- internals: misc

    private void publishCounters()
    {
        if (null == monitor)
        {
            return;
        }
        monitor.set(MonitorId.STORAGE_WRITES, writes);
        monitor.set(MonitorId.STORAGE_WRITES_REJECTED, writesRejected);
        monitor.set(MonitorId.STORAGE_DUPLICATE_REQUESTS, duplicateRequests);
        monitor.set(MonitorId.STORAGE_READS, reads);
        monitor.set(MonitorId.STORAGE_CACHE_HITS, cacheHits);
        monitor.set(MonitorId.STORAGE_CACHE_MISSES, cacheMisses);
        monitor.set(MonitorId.STORAGE_CACHE_EVICTIONS, cache.evictions());
        monitor.set(MonitorId.STORAGE_CACHE_BYTES, cache.usedBytes());
        monitor.set(MonitorId.STORAGE_BINLOG_APPENDS, binlogAppends);
        monitor.set(MonitorId.STORAGE_BINLOG_BYTES, binlogBytes);
        monitor.set(MonitorId.STORAGE_BINLOG_SYNCS, binlogSyncs);
        monitor.set(MonitorId.STORAGE_BINLOG_CYCLES_DELETED, cyclesDeleted);
        monitor.set(MonitorId.STORAGE_APPLY_STALE, applyStale);
        monitor.set(MonitorId.STORAGE_INVALID_RECORDS, invalidRecords);
        monitor.set(MonitorId.STORAGE_KEYS, index.size());
        monitor.set(MonitorId.STORAGE_ARENA_BYTES, arena.usedBytes());
        monitor.set(MonitorId.STORAGE_FULLNESS_PERCENT, Math.max(
            index.size() * 100 / index.maxKeys(), arena.usedBytes() * 100 / arena.capacity()));
        monitor.set(MonitorId.STORAGE_STORE_FULL, storeFull);
        monitor.set(MonitorId.STORAGE_READ_ERRORS, readErrors);
        monitor.set(MonitorId.STORAGE_RECOVERY_RECORDS, recoveryRecords);
        monitor.set(MonitorId.STORAGE_RECOVERY_BYTES, recoveryBytes);
        monitor.set(MonitorId.STORAGE_RECOVERY_MS, recoveryMs);
        monitor.set(MonitorId.STORAGE_RECOVERY_TRUNCATED, recoveryTruncated);
        monitor.set(MonitorId.STORAGE_SNAPSHOTS, snapshots);
        monitor.set(MonitorId.STORAGE_SNAPSHOT_BYTES, snapshotBytes);
        monitor.set(MonitorId.STORAGE_SNAPSHOT_MS, snapshotMs);
        monitor.set(MonitorId.STORAGE_SNAPSHOTS_FAILED, snapshotsFailed);
    }

    private static void declareMonitorIds(final Monitor monitor)
    {
        for (final MonitorId id : MonitorId.values())
        {
            if (id.id() >= 400 && id.id() < 500)
            {
                monitor.declare(id);
            }
        }
    }

    private static int maxFrameLength(final int maxValueLength)
    {
        return SnapshotFormat.FRAME_HEADER_LENGTH + SnapshotFormat.KEY_BODY_LENGTH +
            StorageConfiguration.MAX_KEY_LENGTH + maxValueLength;
    }

    private static String partialName(final int generation)
    {
        final String name = SnapshotFormat.fileName(generation);
        return name.substring(0, name.length() - SnapshotFormat.SUFFIX.length()) + SnapshotFormat.PARTIAL_SUFFIX;
    }

    private static void syncDirectory(final File dir)
    {
        try (FileChannel channel = FileChannel.open(dir.toPath(), StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ignore)
        {
            // not every file system lets a directory be synced; the rename is then as durable as it gets
        }
    }

    private static FileLock tryLock(final FileChannel channel, final File dir) throws IOException
    {
        try
        {
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                throw new IllegalStateException("storage directory " + dir + " is in use by another process");
            }
            return lock;
        }
        catch (final OverlappingFileLockException ex)
        {
            throw new IllegalStateException("storage directory " + dir + " is in use by another node of this process", ex);
        }
    }

    private static void closeAll(final List<AutoCloseable> opened)
    {
        for (int i = opened.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(opened.get(i));
        }
    }

    /**
     * Settings of a {@link StorageNode}: fluent setters; {@link #conclude()} validates them, naming a bad field, and
     * fills what was not given from {@link StorageConfiguration}.
     */
    public static final class Context
    {
        private File dir = StorageConfiguration.dir();
        private int nodeId = StorageConfiguration.nodeId();
        private int maxValueLength = StorageConfiguration.maxValueLength();
        private int maxRecordLength = StorageConfiguration.maxRecordLength();
        private int maxBatchRows = StorageConfiguration.maxBatchRows();
        private long indexCapacity = StorageConfiguration.indexCapacity();
        private long arenaBytes = StorageConfiguration.arenaBytes();
        private long cacheBytes = StorageConfiguration.cacheBytes();
        private Durability durability;
        private long syncIntervalMs = StorageConfiguration.syncIntervalMs();
        private long snapshotIntervalMs = StorageConfiguration.snapshotIntervalMs();
        private int snapshotBytesPerCycle = StorageConfiguration.snapshotBytesPerCycle();
        private String rollCycle = StorageConfiguration.rollCycle();
        private RollCycle rollCycleValue;
        private int requestTableCapacity = StorageConfiguration.requestTableCapacity();
        private boolean metadataEnabled = StorageConfiguration.metadataEnabled();
        private EpochClock epochClock;
        private EpochNanoClock nanoClock;
        private ErrorHandler errorHandler;
        private Monitor monitor;
        private BinlogRecordHandler replicationRecordHandler;
        private LongSupplier replayFloor;
        private LongSupplier binlogRetentionFloor;
        private boolean concluded;

        /**
         * Validate the settings and fill in what was not given; creates the directory.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (null == dir)
            {
                throw new IllegalArgumentException("dir=null must be a directory");
            }
            try
            {
                Files.createDirectories(dir.toPath());
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("dir=" + dir + " cannot be created: " + ex.getMessage(), ex);
            }
            if (nodeId < 0)
            {
                throw new IllegalArgumentException("nodeId=" + nodeId + " must be >= 0");
            }
            if (maxValueLength < 1 || maxValueLength > 16 * 1024 * 1024)
            {
                throw new IllegalArgumentException("maxValueLength=" + maxValueLength + " must be in [1, 16777216]");
            }
            final int smallestRecord = BinlogRecordWriter.frameLength(StorageConfiguration.MAX_KEY_LENGTH, maxValueLength);
            if (maxRecordLength < smallestRecord || maxRecordLength > 64 * 1024 * 1024)
            {
                throw new IllegalArgumentException("maxRecordLength=" + maxRecordLength + " must be in [" +
                    smallestRecord + ", 67108864] (a largest key and value must fit)");
            }
            if (maxBatchRows < 1 || maxBatchRows > 65535)
            {
                throw new IllegalArgumentException("maxBatchRows=" + maxBatchRows + " must be in [1, 65535]");
            }
            if (indexCapacity < 1 || indexCapacity > 1L << 36)
            {
                throw new IllegalArgumentException("indexCapacity=" + indexCapacity + " must be in [1, 2^36]");
            }
            if (arenaBytes < 64 * 1024 || arenaBytes > 1L << 47)
            {
                throw new IllegalArgumentException("arenaBytes=" + arenaBytes + " must be in [65536, 2^47]");
            }
            if (cacheBytes != 0 && (cacheBytes < ValueCache.PAGE_SIZE || cacheBytes > ValueCache.MAX_CAPACITY))
            {
                throw new IllegalArgumentException("cacheBytes=" + cacheBytes + " must be 0 or in [" +
                    ValueCache.PAGE_SIZE + ", " + ValueCache.MAX_CAPACITY + "]");
            }
            if (null == durability)
            {
                durability = StorageConfiguration.durability();
            }
            if (syncIntervalMs < 0)
            {
                throw new IllegalArgumentException("syncIntervalMs=" + syncIntervalMs + " must be >= 0");
            }
            if (snapshotIntervalMs < 0)
            {
                throw new IllegalArgumentException("snapshotIntervalMs=" + snapshotIntervalMs + " must be >= 0");
            }
            if (snapshotBytesPerCycle < 4096)
            {
                throw new IllegalArgumentException("snapshotBytesPerCycle=" + snapshotBytesPerCycle + " must be >= 4096");
            }
            try
            {
                rollCycleValue = null != rollCycle && rollCycle.startsWith("TEST") ?
                    TestRollCycles.valueOf(rollCycle) : RollCycles.valueOf(rollCycle);
            }
            catch (final IllegalArgumentException | NullPointerException ex)
            {
                throw new IllegalArgumentException("rollCycle=" + rollCycle + " must be a Chronicle RollCycles name " +
                    "such as FIVE_MINUTELY, TEN_MINUTELY, FAST_HOURLY, FAST_DAILY (TEST_SECONDLY for tests)", ex);
            }
            if (requestTableCapacity < 1 || requestTableCapacity > 1 << 28)
            {
                throw new IllegalArgumentException("requestTableCapacity=" + requestTableCapacity +
                    " must be in [1, 268435456]");
            }
            if (null == epochClock)
            {
                epochClock = SystemEpochClock.INSTANCE;
            }
            if (null == nanoClock)
            {
                nanoClock = new OffsetEpochNanoClock();
            }
            if (null == errorHandler)
            {
                errorHandler = null != monitor ? monitor.errorHandler() : Throwable::printStackTrace;
            }
            if (null == binlogRetentionFloor)
            {
                binlogRetentionFloor = () -> Long.MAX_VALUE;
            }
            concluded = true;
            return this;
        }

        /** @param dir the node's directory: binlog/, snapshots/, damaged/ and a lock file. */
        public Context dir(final File dir)
        {
            this.dir = dir;
            return this;
        }

        public File dir()
        {
            return dir;
        }

        /** @param nodeId written as the origin of this node's records. */
        public Context nodeId(final int nodeId)
        {
            this.nodeId = nodeId;
            return this;
        }

        public int nodeId()
        {
            return nodeId;
        }

        /** @param maxValueLength longest value and row value, bytes. */
        public Context maxValueLength(final int maxValueLength)
        {
            this.maxValueLength = maxValueLength;
            return this;
        }

        public int maxValueLength()
        {
            return maxValueLength;
        }

        /** @param maxRecordLength longest binlog record, bytes: bounds table batches. */
        public Context maxRecordLength(final int maxRecordLength)
        {
            this.maxRecordLength = maxRecordLength;
            return this;
        }

        public int maxRecordLength()
        {
            return maxRecordLength;
        }

        /** @param maxBatchRows most rows in one table batch. */
        public Context maxBatchRows(final int maxBatchRows)
        {
            this.maxBatchRows = maxBatchRows;
            return this;
        }

        public int maxBatchRows()
        {
            return maxBatchRows;
        }

        /** @param indexCapacity most keys, tombstones and metadata-only keys included. */
        public Context indexCapacity(final long indexCapacity)
        {
            this.indexCapacity = indexCapacity;
            return this;
        }

        public long indexCapacity()
        {
            return indexCapacity;
        }

        /** @param arenaBytes native memory for key entries, keys, tables and rows. */
        public Context arenaBytes(final long arenaBytes)
        {
            this.arenaBytes = arenaBytes;
            return this;
        }

        public long arenaBytes()
        {
            return arenaBytes;
        }

        /** @param cacheBytes native memory for the value cache; 0 disables it. */
        public Context cacheBytes(final long cacheBytes)
        {
            this.cacheBytes = cacheBytes;
            return this;
        }

        public long cacheBytes()
        {
            return cacheBytes;
        }

        /** @param durability what acknowledged writes survive. */
        public Context durability(final Durability durability)
        {
            this.durability = durability;
            return this;
        }

        public Durability durability()
        {
            return durability;
        }

        /** @param syncIntervalMs MACHINE durability: 0 syncs on every flush; otherwise at most every this many ms. */
        public Context syncIntervalMs(final long syncIntervalMs)
        {
            this.syncIntervalMs = syncIntervalMs;
            return this;
        }

        public long syncIntervalMs()
        {
            return syncIntervalMs;
        }

        /** @param snapshotIntervalMs how often a background snapshot starts; 0: only by {@link #startSnapshot()}. */
        public Context snapshotIntervalMs(final long snapshotIntervalMs)
        {
            this.snapshotIntervalMs = snapshotIntervalMs;
            return this;
        }

        public long snapshotIntervalMs()
        {
            return snapshotIntervalMs;
        }

        /** @param snapshotBytesPerCycle snapshot bytes written per duty cycle. */
        public Context snapshotBytesPerCycle(final int snapshotBytesPerCycle)
        {
            this.snapshotBytesPerCycle = snapshotBytesPerCycle;
            return this;
        }

        public int snapshotBytesPerCycle()
        {
            return snapshotBytesPerCycle;
        }

        /** @param rollCycle a Chronicle {@code RollCycles} name; an existing binlog keeps its own. */
        public Context rollCycle(final String rollCycle)
        {
            this.rollCycle = rollCycle;
            return this;
        }

        public String rollCycle()
        {
            return rollCycle;
        }

        RollCycle rollCycleValue()
        {
            return rollCycleValue;
        }

        /** @param requestTableCapacity clients whose last result is remembered. */
        public Context requestTableCapacity(final int requestTableCapacity)
        {
            this.requestTableCapacity = requestTableCapacity;
            return this;
        }

        public int requestTableCapacity()
        {
            return requestTableCapacity;
        }

        /** @param metadataEnabled whether keys carry the two metadata words (16 bytes more per key). */
        public Context metadataEnabled(final boolean metadataEnabled)
        {
            this.metadataEnabled = metadataEnabled;
            return this;
        }

        public boolean metadataEnabled()
        {
            return metadataEnabled;
        }

        /** @param epochClock wall clock for deadlines and binlog cycles. */
        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        public EpochClock epochClock()
        {
            return epochClock;
        }

        /** @param nanoClock wall clock in ns for record timestamps. */
        public Context nanoClock(final EpochNanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        public EpochNanoClock nanoClock()
        {
            return nanoClock;
        }

        /** @param errorHandler receives unexpected errors; default: the monitor's, else stderr. */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /** @param monitor where the node reports its monitor IDs (400-499); null: not reported. */
        public Context monitor(final Monitor monitor)
        {
            this.monitor = monitor;
            return this;
        }

        public Monitor monitor()
        {
            return monitor;
        }

        /**
         * @param replayFloor asked when a snapshot starts: the lowest binlog index recovery must still replay
         *                    (records the replication layer needs again, such as votes on undecided slots), or
         *                    Long.MAX_VALUE for none; replay starts at the lower of it and the snapshot's own index,
         *                    and binlog cycles are kept from there.
         * @return this.
         */
        public Context replayFloor(final LongSupplier replayFloor)
        {
            this.replayFloor = replayFloor;
            return this;
        }

        public LongSupplier replayFloor()
        {
            return replayFloor;
        }

        /** @param handler receives the replication layer's records (types 64 and up) met during recovery. */
        public Context replicationRecordHandler(final BinlogRecordHandler handler)
        {
            this.replicationRecordHandler = handler;
            return this;
        }

        public BinlogRecordHandler replicationRecordHandler()
        {
            return replicationRecordHandler;
        }

        /**
         * @param floor supplies the binlog index every replica has read; cycles older than it and than the latest
         *              snapshot are deleted after each snapshot. Default: no replica holds anything back.
         */
        public Context binlogRetentionFloor(final LongSupplier floor)
        {
            this.binlogRetentionFloor = floor;
            return this;
        }

        public LongSupplier binlogRetentionFloor()
        {
            return binlogRetentionFloor;
        }
    }
}
