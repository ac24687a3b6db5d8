package dev.tern.storage;

/**
 * Result codes of {@link StorageNode} operations. {@link #OK} is 0; every rejection is negative, so calls that
 * return a count (a scan) return either the count or a rejection. A rejection never changes the store.
 * <p>
 * Business rejections (a failed condition, a missing key) and bad input (oversized keys, malformed records) are
 * codes, never exceptions: a bad request from any client cannot crash or corrupt the node.
 */
public final class ResultCode
{
    /** Done. */
    public static final int OK = 0;
    /** The key (or row) has no value: never written, deleted, or holding metadata only. */
    public static final int NOT_FOUND = -1;
    /** put-if-absent found a live value. */
    public static final int KEY_EXISTS = -2;
    /** A compare-and-set condition failed; the current version is in {@link StorageNode#lastWriteVersion()}. */
    public static final int VERSION_MISMATCH = -3;
    /** A Key-Value operation on a table, or a table operation on a Key-Value key. */
    public static final int WRONG_TYPE = -4;
    /** A key or row key is empty or longer than {@link StorageConfiguration#MAX_KEY_LENGTH}. */
    public static final int INVALID_KEY = -5;
    /** A value is longer than the node's maximum value length. */
    public static final int VALUE_TOO_LONG = -6;
    /** A table batch is empty, has too many rows, or its record would exceed the maximum record length. */
    public static final int INVALID_BATCH = -7;
    /** An appended row's key does not sort after every row of the table (and of the batch before it). */
    public static final int ROW_OUT_OF_ORDER = -8;
    /** The index, the arena or the binlog has no room; nothing was written. */
    public static final int STORE_FULL = -9;
    /** apply: the record's version is not newer than the key's; the record was ignored (apply is idempotent). */
    public static final int STALE_VERSION = -10;
    /** The client already sent a newer request sequence; this retry is too old to answer. */
    public static final int STALE_REQUEST = -11;
    /** A binlog frame is malformed: bad lengths, wrong schema or template, or fields out of range. */
    public static final int INVALID_RECORD = -12;
    /** A binlog frame or stored data failed its CRC32C check. */
    public static final int CHECKSUM_MISMATCH = -13;
    /** A record type or row operation this node does not know, or one that the called method does not take. */
    public static final int UNKNOWN_OPERATION = -14;
    /** Stored data could not be read back intact (damaged file); the read was refused, the error counted. */
    public static final int DATA_UNAVAILABLE = -15;
    /** Metadata words were used on a node started without them ({@link StorageNode.Context#metadataEnabled}). */
    public static final int METADATA_DISABLED = -16;
    /** requestStatus only: the store has no result for this request; it is new. */
    public static final int REQUEST_UNSEEN = 1;

    private ResultCode()
    {
    }

    /**
     * @param code a result code.
     * @return its name, for logs and tools.
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case OK: return "OK";
            case NOT_FOUND: return "NOT_FOUND";
            case KEY_EXISTS: return "KEY_EXISTS";
            case VERSION_MISMATCH: return "VERSION_MISMATCH";
            case WRONG_TYPE: return "WRONG_TYPE";
            case INVALID_KEY: return "INVALID_KEY";
            case VALUE_TOO_LONG: return "VALUE_TOO_LONG";
            case INVALID_BATCH: return "INVALID_BATCH";
            case ROW_OUT_OF_ORDER: return "ROW_OUT_OF_ORDER";
            case STORE_FULL: return "STORE_FULL";
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
}
