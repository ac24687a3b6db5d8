package dev.tern.storage.replication;

/**
 * Counts of a replica's work, read by its node's monitor and by tests. Written by the replica's thread only.
 */
public final class ReplicaStats
{
    public long requests;
    public long reads;
    public long replies;
    public long repliesDropped;
    public long malformed;
    /** Unexpected errors while handling a message, recorded by the error handler. */
    public long errors;
    public long foreign;
    public long wrongGroup;
    public long busy;
    public long opsTimedOut;
    public long retriesJoined;
    public long duplicatesAnswered;
    public long fastPathWrites;
    public long preparesSent;
    public long preparesReceived;
    public long preparesRejected;
    public long proposals;
    public long reproposals;
    public long acceptsReceived;
    public long acceptsRejected;
    public long acceptsMissingValue;
    public long acceptsBehind;
    public long acceptRoundsAbandoned;
    public long decided;
    public long commitsApplied;
    public long commitsWaitedTooLong;
    public long backoffs;
    public long readsUnsettled;
    public long readsFetched;
    public long fetchesSent;
    public long fetchesServed;
    public long keysInstalled;
    public long recordsShipped;
    public long recordsReceived;
    public long duplicateRecords;
    public long corruptRecords;
    public long streamGaps;
    public long catchUpRequests;
    public long catchUpsServed;
    public long shipBackPressure;
    public long streamResets;
    /** State transfers begun as the receiver: after a stream reset, or resumed after a restart. */
    public long stateTransfersStarted;
    public long stateTransfersCompleted;
    /** Transfers begun again because the author restarted during one. */
    public long stateTransferRestarts;
    /** Keys installed from a state transfer (also counted in keysInstalled). */
    public long stateTransferKeys;
    /** Keys a transfer left to the operation coordinating or fetching them here at that moment. */
    public long stateTransferKeysSkipped;
    /** State chunks exported as the author. */
    public long stateChunksServed;

    @Override
    public String toString()
    {
        return "requests=" + requests + " reads=" + reads + " decided=" + decided + " fastPath=" + fastPathWrites +
            " prepares=" + preparesSent + " rejected=" + (preparesRejected + acceptsRejected) +
            " reproposals=" + reproposals + " fetches=" + fetchesSent + " installs=" + keysInstalled +
            " gaps=" + streamGaps + " catchUps=" + catchUpRequests + " timeouts=" + opsTimedOut +
            " resets=" + streamResets + " transfers=" + stateTransfersCompleted + "/" + stateTransfersStarted +
            " transferKeys=" + stateTransferKeys + " transferSkipped=" + stateTransferKeysSkipped +
            " chunksServed=" + stateChunksServed + " catchUpsServed=" + catchUpsServed + " shipped=" + recordsShipped +
            " received=" + recordsReceived + " malformed=" + malformed + " duplicates=" + duplicatesAnswered;
    }
}
