package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.KvRequestDecoder;
import dev.tern.codecs.replication.sbe.KvResponseEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a replica needs from its local storage: a binlog it appends to and reads back, and the decided state of
 * every key. Implemented over the real storage engine in a node and in memory by the simulation. Called from the
 * replica's thread only.
 * <p>
 * The binlog holds VALUE, PROMISE, ACCEPTED and COMMIT records (see docs/kvsvr-protocol.md). Appends are durable
 * after {@link #sync()}; the replica replies to nothing that depends on a record before that.
 */
public interface ReplicaStore extends AutoCloseable
{
    /** Receives the records of the binlog in order during recovery. */
    interface RecoveryListener
    {
        /**
         * @param logIndex the record's index in this binlog.
         * @param record   the record.
         */
        void onRecord(long logIndex, RecordView record);
    }

    /** Receives records read from the binlog. */
    interface RecordHandler
    {
        /**
         * @return false to stop reading.
         */
        boolean onRecord(long logIndex, RecordView record);
    }

    // ---- decided state ---------------------------------------------------------------------------------------

    /**
     * @return the highest decided slot applied for the key, 0 if none. Slots number every decided write attempt of
     * the key, including those whose condition failed (decided as no-ops so that a retry elsewhere cannot apply
     * them later); the key's client-visible {@link #version} counts only changes.
     */
    long committedSlot(DirectBuffer key, int offset, int length);

    /** @return the ballot at which the committed slot was decided, 0 if none. */
    long committedBallot(DirectBuffer key, int offset, int length);

    /** @return the key's client-visible version: the number of changes decided, 0 if none. */
    long version(DirectBuffer key, int offset, int length);

    /** @return the promised ballot of the key, 0 if none. */
    long promisedBallot(DirectBuffer key, int offset, int length);

    // ---- proposing -------------------------------------------------------------------------------------------

    /**
     * Evaluate a client write against the decided state and encode the VALUE record that decides it at
     * {@code committedSlot + 1}: the mutation when its condition holds, else a no-op carrying the failed
     * condition's result code. Changes nothing.
     *
     * @param request  the client request (a write).
     * @param ballot   the ballot of the proposal.
     * @param author   this replica's index.
     * @param out      where the VALUE record is encoded, from offset 0.
     * @return {@link dev.tern.storage.ResultCode#OK} with {@link #proposalLength()} set, or the result code of a
     * request that is invalid whatever the state (too large, malformed): nothing to decide.
     */
    int evaluate(KvRequestDecoder request, long ballot, int author, MutableDirectBuffer out);

    /** @return the length of the record encoded by the last successful {@link #evaluate}. */
    int proposalLength();

    /**
     * Re-encode a VALUE record for a new ballot, this replica as author (a re-proposal of a pending value).
     *
     * @return the length of the new record in {@code out}.
     */
    int reballot(RecordView value, long ballot, int author, MutableDirectBuffer out);

    /**
     * Append a VALUE or COMMIT record this replica authors: the store gives it the next author index (a number that
     * grows with each authored record, the position peers follow in this replica's authored stream) and updates its
     * checksum, in the caller's buffer too.
     *
     * @return the record's index in this binlog.
     */
    long appendAuthored(MutableDirectBuffer record, int offset, int length);

    /** @return the author index of the last authored record that is durable, 0 when none. */
    long durableAuthoredHead();

    /**
     * Append a record received from a peer (or learned), verbatim.
     *
     * @return the record's index in this binlog.
     */
    long appendReceived(DirectBuffer record, int offset, int length);

    /** Append a PROMISE record and raise the key's promised ballot. */
    long appendPromise(DirectBuffer key, int offset, int length, long ballot);

    /** Append an ACCEPTED record. */
    long appendAccepted(DirectBuffer key, int offset, int length, long version, long ballot);

    /**
     * Encode a COMMIT record authored by this replica.
     *
     * @return the length encoded into {@code out}.
     */
    int encodeCommit(DirectBuffer key, int offset, int length, long version, long ballot, int author,
        MutableDirectBuffer out);

    /**
     * Apply the VALUE record at a log index as the decided slot of its key: the key's committed slot and committed
     * ballot become the record's, its version grows when the record is a change. The record's request id enters
     * the table of applied requests with its result.
     *
     * @return the result the client sees: OK, or the code of a failed condition; the version is {@link #version}.
     */
    int commit(long valueLogIndex);

    /**
     * Look a request up in the table of decided requests; on success {@link #appliedResult()} and
     * {@link #appliedVersion()} describe its outcome.
     *
     * @param clientId        the client.
     * @param requestSequence its request.
     * @return true when the request was decided.
     */
    boolean findApplied(long clientId, long requestSequence);

    /** @return the result code of the request found by the last successful {@link #findApplied}. */
    int appliedResult();

    /** @return the key's version after the request found by the last successful {@link #findApplied}. */
    long appliedVersion();

    // ---- binlog --------------------------------------------------------------------------------------------

    /** Make every append durable per the node's policy (a group commit). */
    void sync();

    /** @return the highest log index that is durable. */
    long syncedIndex();

    /** @return the index of the last record appended, 0 when empty. */
    long lastIndex();

    /**
     * Read one record by log index.
     *
     * @return false when no such record.
     */
    boolean read(long logIndex, RecordHandler handler);

    /**
     * Read durable records authored by this replica with an author index above {@code afterAuthorIndex}, in order.
     *
     * @param limitBytes stop after about this many bytes.
     * @return the number of records read.
     */
    int readAuthored(long afterAuthorIndex, int limitBytes, RecordHandler handler);

    /**
     * @return after {@link #readAuthored}: the author index before the first authored record still held, when the
     * read found that records right after {@code afterAuthorIndex} are no longer held (cycles deleted); -1 otherwise.
     */
    default long authoredGap()
    {
        return -1;
    }

    /**
     * @param authorIndex an author index of this replica's stream.
     * @return the binlog index from which records from that author index on are still needed: cycles before it may
     * be deleted.
     */
    default long logIndexOfAuthored(final long authorIndex)
    {
        return Long.MAX_VALUE;
    }

    /** @return a view for decoding received record bytes. */
    RecordView newView();

    /**
     * Replay the whole binlog into the decided state (the store applies what it knows is decided; the listener sees
     * every replication record to rebuild votes, held values and stream cursors).
     */
    void recover(RecoveryListener listener);

    // ---- reads and state transfer --------------------------------------------------------------------------

    /**
     * Serve a read (GET, ROW_GET, SCAN) from the decided state into a response.
     *
     * @return the result code.
     */
    int serve(KvRequestDecoder request, KvResponseEncoder response);

    /**
     * Encode the key's full decided state (slot, version, value or rows, and the recent decided requests of the key)
     * as a record that installs it.
     *
     * @return the length, 0 when the key has no decided state.
     */
    int exportKey(DirectBuffer key, int offset, int length, MutableDirectBuffer out);

    /**
     * Install a key's state exported by a peer, if newer than what this replica has.
     *
     * @return true when installed.
     */
    boolean installKey(DirectBuffer state, int offset, int length);

    /** @return the number of key positions: a scan of {@link #keyAt} over 0 until this visits every key. */
    long keyPositions();

    /**
     * The key at a scan position, for streaming this replica's whole decided state to a peer (a state transfer).
     * Positions are stable while the store runs, so a scan over every position visits each key that existed when it
     * started (a key added during the scan may be missed); after a restart positions mean other keys.
     *
     * @param position a position in [0, {@link #keyPositions()}).
     * @param keyOut   receives the key's bytes from offset 0.
     * @return the key's length, 0 when the position holds no key.
     */
    int keyAt(long position, MutableDirectBuffer keyOut);

    /**
     * @param author a peer.
     * @return whether a state transfer from that peer was started and has not completed, across restarts.
     */
    boolean isTransferPending(int author);

    /**
     * Remember durably, before returning, that a state transfer from a peer is needed (true) or complete (false).
     *
     * @param author  a peer.
     * @param pending whether the transfer is still needed.
     */
    void transferPending(int author, boolean pending);

    /** @return the largest record this store accepts, bytes. */
    int maxRecordLength();

    /**
     * Housekeeping of the store (snapshots, interval syncs, counters), called from the replica's duty cycle.
     *
     * @return the amount of work done.
     */
    default int doWork()
    {
        return 0;
    }

    void close();
}
