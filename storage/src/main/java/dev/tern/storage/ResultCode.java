package dev.tern.storage;

/**
 * Result codes of KVSvr operations, as carried in responses: a program acts on them, a person reads
 * {@link #describe(int)}. Stable numbers; never renumber one.
 */
public final class ResultCode
{
    /** Done. */
    public static final int OK = 0;
    /** The key, or the row, does not exist. */
    public static final int NOT_FOUND = 1;
    /** put-if-version: the key's version is not the expected one. */
    public static final int VERSION_MISMATCH = 2;
    /** put-if-absent: the key exists. */
    public static final int ALREADY_EXISTS = 3;
    /** append: the row key is not greater than the table's last row key. */
    public static final int ROW_KEY_NOT_LAST = 4;
    /** A key-value operation on a table key, or a table operation on a key-value key. */
    public static final int WRONG_TYPE = 5;

    /** The key is empty or longer than 1 KiB. */
    public static final int KEY_TOO_LARGE = 10;
    /** The value is longer than the store's limit. */
    public static final int VALUE_TOO_LARGE = 11;
    /** The row key is empty or longer than 1 KiB. */
    public static final int ROW_KEY_TOO_LARGE = 12;
    /** Too many row changes in one batch, or a batch whose total size exceeds the limit. */
    public static final int BATCH_TOO_LARGE = 13;
    /** Unknown operation, or fields that contradict each other. */
    public static final int INVALID_REQUEST = 14;
    /** A record failed its checksum or could not be decoded. */
    public static final int CORRUPT_RECORD = 15;

    /** The store's configured memory is full: writes are refused until space is freed. */
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
            case STORE_FULL: return "STORE_FULL";
            case WRONG_GROUP: return "WRONG_GROUP";
            case UNAVAILABLE: return "UNAVAILABLE";
            case BUSY: return "BUSY";
            case TIMEOUT: return "TIMEOUT";
            case INTERNAL_ERROR: return "INTERNAL_ERROR";
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
