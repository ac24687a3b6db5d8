package dev.tern.storage.snapshot;

/**
 * Byte layout of a snapshot file: a self-contained, checksummed copy of a node's whole state (every key with its
 * version, metadata words and value, every table with its rows, the recent-request table) that can be shipped to
 * and installed on another node. Little-endian.
 * <pre>
 *  header (64 bytes):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  magic "TERNSNAP" (64 bits)                                   |
 *  +-------------------------------+-------------------------------+
 *  |  format version               |  generation                   |
 *  +-------------------------------+-------------------------------+
 *  |  replay-from index: this node's binlog index of the           |
 *  |  SNAPSHOT_MARK to replay from (64 bits)                       |
 *  +---------------------------------------------------------------+
 *  |  source index: the same mark in the producing node's binlog   |
 *  |  (differs once installed elsewhere) (64 bits)                 |
 *  +-------------------------------+-------------------------------+
 *  |  source node id               |  reserved                     |
 *  +-------------------------------+-------------------------------+
 *  |  created, ms since epoch (64 bits)                            |
 *  +---------------------------------------------------------------+
 *  |  reserved (96 bits)                           | header CRC32C |
 *  +---------------------------------------------------------------+
 *
 *  then frames, each: | length (4, whole frame) | CRC32C of type and body (4) | type (1) | body ... |
 *   REQUEST: client id (8) | sequence (8) | version (8) | result code (4)
 *   KEY:     kind (1) | key length (2) | version (8) | value length (4) | metadata words (4 x 8) | key | value
 *   TABLE:   key length (2) | version (8) | row count (8) | metadata words (4 x 8) | key
 *            followed by its row count of ROW frames (a table is captured whole, at one version)
 *   ROW:     row key length (2) | row version (8) | value length (4) | row key | value
 *   END:     keys (8) | rows (8) | requests (8): present only in a complete snapshot
 * </pre>
 * A key's value (and a row's) is read back later by the offset of its frame, checked again on each read.
 */
public final class SnapshotFormat
{
    public static final long MAGIC = 0x50414E534E524554L;
    public static final int FORMAT_VERSION = 2;
    public static final int HEADER_LENGTH = 64;
    public static final int GENERATION_OFFSET = 12;
    public static final int REPLAY_FROM_INDEX_OFFSET = 16;
    public static final int SOURCE_INDEX_OFFSET = 24;
    public static final int SOURCE_NODE_ID_OFFSET = 32;
    public static final int CREATED_MS_OFFSET = 40;
    public static final int HEADER_CRC_OFFSET = 60;

    public static final int FRAME_LENGTH_OFFSET = 0;
    public static final int FRAME_CRC_OFFSET = 4;
    public static final int FRAME_TYPE_OFFSET = 8;
    public static final int FRAME_HEADER_LENGTH = 9;

    public static final byte REQUEST = 1;
    public static final byte KEY = 2;
    public static final byte TABLE = 3;
    public static final byte ROW = 4;
    public static final byte END = 5;

    public static final int REQUEST_BODY_LENGTH = 28;
    /** Metadata words of each KEY and TABLE frame. */
    public static final int METADATA_WORDS = 4;
    public static final int KEY_METADATA_OFFSET = 15;
    public static final int TABLE_METADATA_OFFSET = 18;
    public static final int KEY_BODY_LENGTH = KEY_METADATA_OFFSET + METADATA_WORDS * 8;
    public static final int TABLE_BODY_LENGTH = TABLE_METADATA_OFFSET + METADATA_WORDS * 8;
    public static final int ROW_BODY_LENGTH = 14;
    public static final int END_BODY_LENGTH = 24;

    public static final String SUFFIX = ".tsnap";
    public static final String PARTIAL_SUFFIX = ".tsnap.partial";

    private SnapshotFormat()
    {
    }

    /**
     * @param generation a snapshot generation.
     * @return the file name of the complete snapshot.
     */
    public static String fileName(final long generation)
    {
        return String.format("snapshot-%016x%s", generation, SUFFIX);
    }

    /**
     * @param name a file name.
     * @return the generation of a complete snapshot's file name, or -1.
     */
    public static long generationOf(final String name)
    {
        if (!name.startsWith("snapshot-") || !name.endsWith(SUFFIX) || name.length() != 9 + 16 + SUFFIX.length())
        {
            return -1;
        }
        try
        {
            return Long.parseUnsignedLong(name.substring(9, 25), 16);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
