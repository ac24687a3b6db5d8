package dev.tern.storage;

/**
 * Result codes of KVSvr operations, local and replicated, as carried in responses: a program acts on them, a person
 * reads {@link #describe(int)}. Stable numbers: never renumber one.
 * <p>
 * Business rejections (a failed condition, a missing key) and bad input (oversized keys, malformed records) are
 * codes, never exceptions: a bad request from any client cannot crash or corrupt the node.
 */
public final class ResultCode
{
    /** Done. */
    public static final int OK = 0;
    /** The key (or row) has no value: never written, deleted, or holding metadata only. */
    public static final int NOT_FOUND = 1;
    /** put-if-version: the key's version is not the expected one; the current version is returned. */
    public static final int VERSION_MISMATCH = 2;
    /** put-if-absent: the key holds a live value. */
    public static final int ALREADY_EXISTS = 3;
    /** An appended row's key does not sort after every row of the table (and of the batch before it). */
    public static final int ROW_KEY_NOT_LAST = 4;
    /** A Key-Value operation on a table, or a table operation on a Key-Value key. */
    public static final int WRONG_TYPE = 5;

    /** A key is empty or longer than {@link StorageConfiguration#MAX_KEY_LENGTH}. */
    public static final int KEY_TOO_LARGE = 10;
    /** A value is longer than the node's maximum value length. */
    public static final int VALUE_TOO_LARGE = 11;
    /** A row key is empty or longer than {@link StorageConfiguration#MAX_KEY_LENGTH}. */
    public static final int ROW_KEY_TOO_LARGE = 12;
    /** Too many row changes in one batch, or a batch whose record would exceed the maximum record length. */
    public static final int BATCH_TOO_LARGE = 13;
    /** Unknown operation, or fields that contradict each other. */
    public static final int INVALID_REQUEST = 14;
    /** A record received from a peer failed its checks. */
    public static final int CORRUPT_RECORD = 15;
    /** A table batch is empty or holds a row operation that is not allowed there. */
    public static final int INVALID_BATCH = 16;

    /** The index, the arena or the binlog has no room; nothing was written. */
    public static final int STORE_FULL = 20;

    /** The key's slot belongs to another group: see the hint. */
    public static final int WRONG_GROUP = 30;
    /** No majority of the group answered in time: the outcome of a write is unknown; retry it. */
    public static final int UNAVAILABLE = 31;
    /** Too many requests in flight at this replica: retry later. */
    public static final int BUSY = 32;
    /** The client gave up waiting: the outcome of a write is unknown; retry it with the same request. */
    public static final int TIMEOUT = 33;

    /** An unexpected error, recorded in the node's error log. */
    public static final int INTERNAL_ERROR = 40;

    /** apply: the record's version is not newer than the key's; the record was ignored (apply is idempotent). */
    public static final int STALE_VERSION = 50;
    /** The client already sent a newer request sequence; this retry is too old to answer. */
    public static final int STALE_REQUEST = 51;
    /** A binlog frame is malformed: bad lengths, wrong schema or template, or fields out of range. */
    public static final int INVALID_RECORD = 52;
    /** A binlog frame or stored data failed its CRC32C check. */
    public static final int CHECKSUM_MISMATCH = 53;
    /** A record type or row operation this node does not know, or one that the called method does not take. */
    public static final int UNKNOWN_OPERATION = 54;
    /** Stored data could not be read back intact (damaged file); the read was refused, the error counted. */
    public static final int DATA_UNAVAILABLE = 55;
    /** Metadata words were used on a node started without them ({@link StorageNode.Context#metadataEnabled}). */
    public static final int METADATA_DISABLED = 56;
    /** requestStatus only: the store has no result for this request; it is new. */
    public static final int REQUEST_UNSEEN = 57;

    private ResultCode()
    {
    }

    /**
     * @param code a result code.
     * @return its name, e.g. {@code VERSION_MISMATCH}, or {@code UNKNOWN(n)}.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK: return "OK";
            case NOT_FOUND: return "NOT_FOUND";
            case VERSION_MISMATCH: return "VERSION_MISMATCH";
            case ALREADY_EXISTS: return "ALREADY_EXISTS";
            case ROW_KEY_NOT_LAST: return "ROW_KEY_NOT_LAST";
            case WRONG_TYPE: return "WRONG_TYPE";
            case KEY_TOO_LARGE: return "KEY_TOO_LARGE";
            case VALUE_TOO_LARGE: return "VALUE_TOO_LARGE";
            case ROW_KEY_TOO_LARGE: return "ROW_KEY_TOO_LARGE";
            case BATCH_TOO_LARGE: return "BATCH_TOO_LARGE";
            case INVALID_REQUEST: return "INVALID_REQUEST";
            case CORRUPT_RECORD: return "CORRUPT_RECORD";
            case INVALID_BATCH: return "INVALID_BATCH";
            case STORE_FULL: return "STORE_FULL";
            case WRONG_GROUP: return "WRONG_GROUP";
            case UNAVAILABLE: return "UNAVAILABLE";
            case BUSY: return "BUSY";
            case TIMEOUT: return "TIMEOUT";
            case INTERNAL_ERROR: return "INTERNAL_ERROR";
            case STALE_VERSION: return "STALE_VERSION";
            case STALE_REQUEST: return "STALE_REQUEST";
            case INVALID_RECORD: return "INVALID_RECORD";
            case CHECKSUM_MISMATCH: return "CHECKSUM_MISMATCH";
            case UNKNOWN_OPERATION: return "UNKNOWN_OPERATION";
            case DATA_UNAVAILABLE: return "DATA_UNAVAILABLE";
            case METADATA_DISABLED: return "METADATA_DISABLED";
            case REQUEST_UNSEEN: return "REQUEST_UNSEEN";
            default: return "UNKNOWN(" + code + ")";
        }
    }

    /**
     * @param code a result code.
     * @return true when the code says the operation's outcome is unknown, so a write may be retried with the same
     * request identity.
     */
    public static boolean isOutcomeUnknown(final int code)
    {
        return code == UNAVAILABLE || code == TIMEOUT || code == BUSY || code == INTERNAL_ERROR;
    }
}
