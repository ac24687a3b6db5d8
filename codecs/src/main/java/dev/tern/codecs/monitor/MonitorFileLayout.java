package dev.tern.codecs.monitor;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;

/**
 * Byte layout of a Tern monitor file: one per monitored component, memory-mapped by its writer and read by
 * {@code tern counters} and {@code tern agent} from other processes, in the way Aeron's CnC file is read by AeronStat.
 * <pre>
 *   +-----------------------------+  0
 *   |  Header (HEADER_LENGTH)     |  fixed fields below; the magic is written last, with a volatile put
 *   +-----------------------------+
 *   |  Counters metadata          |  Agrona CountersManager metadata: 512 bytes a counter
 *   +-----------------------------+  (typeId = monitor ID, key = kind + unit, label = name)
 *   |  Counters values            |  Agrona CountersManager values: 128 bytes a counter
 *   +-----------------------------+
 *   |  Error log                  |  Agrona DistinctErrorLog of the component's unexpected errors
 *   +-----------------------------+
 *
 *  Header:
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                 Magic "TERNMON1" (written last)               |  0
 *   +---------------------------------------------------------------+
 *   |                        Layout version                         |  8
 *   +---------------------------------------------------------------+
 *   |                     Metadata buffer length                    | 12
 *   +---------------------------------------------------------------+
 *   |                      Values buffer length                     | 16
 *   +---------------------------------------------------------------+
 *   |                     Error log buffer length                   | 20
 *   +---------------------------------------------------------------+
 *   |                         Process id (pid)                      | 24
 *   +---------------------------------------------------------------+
 *   |                 Process start time, ms since epoch            | 32
 *   +---------------------------------------------------------------+
 *   |                   File created, ms since epoch                | 40
 *   +---------------------------------------------------------------+
 *   |             Heartbeat, ms since epoch (volatile)              | 48
 *   +---------------------------------------------------------------+
 *   |     Closed, ms since epoch; 0 while the writer runs (volatile) | 56
 *   +---------------------------------------------------------------+
 *   | Name length   |  Name: ASCII, up to 124 bytes                 | 64
 *   +---------------------------------------------------------------+
 *   | Host length   |  Host: ASCII, up to 124 bytes                 | 192
 *   +---------------------------------------------------------------+
 * </pre>
 * All numbers are little-endian (native on the platforms Tern runs on).
 */
public final class MonitorFileLayout
{
    /** "TERNMON1" as a little-endian long. */
    public static final long MAGIC = 0x314E4F4D4E524554L;
    public static final int LAYOUT_VERSION = 1;
    public static final String FILE_SUFFIX = ".tern-monitor";

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int METADATA_LENGTH_OFFSET = 12;
    public static final int VALUES_LENGTH_OFFSET = 16;
    public static final int ERROR_LOG_LENGTH_OFFSET = 20;
    public static final int PID_OFFSET = 24;
    public static final int PROCESS_START_MS_OFFSET = 32;
    public static final int FILE_CREATED_MS_OFFSET = 40;
    public static final int HEARTBEAT_MS_OFFSET = 48;
    public static final int CLOSED_MS_OFFSET = 56;
    public static final int NAME_OFFSET = 64;
    public static final int HOST_OFFSET = 192;
    public static final int MAX_TEXT_LENGTH = 124;
    public static final int HEADER_LENGTH = 4096;

    /** Key layout of each counter's metadata: kind (int), unit length (int), unit (ASCII). */
    public static final int KEY_KIND_OFFSET = 0;
    public static final int KEY_UNIT_LENGTH_OFFSET = 4;
    public static final int KEY_UNIT_OFFSET = 8;
    public static final int MAX_UNIT_LENGTH = 32;

    private MonitorFileLayout()
    {
    }

    public static int metadataLength(final int maxCounters)
    {
        return maxCounters * CountersReader.METADATA_LENGTH;
    }

    public static int valuesLength(final int maxCounters)
    {
        return maxCounters * CountersReader.COUNTER_LENGTH;
    }

    public static long fileLength(final int maxCounters, final int errorLogLength)
    {
        return (long)HEADER_LENGTH + metadataLength(maxCounters) + valuesLength(maxCounters) +
            BitUtil.align(errorLogLength, 4096);
    }

    public static int metadataOffset()
    {
        return HEADER_LENGTH;
    }

    public static int valuesOffset(final AtomicBuffer header)
    {
        return HEADER_LENGTH + header.getInt(METADATA_LENGTH_OFFSET);
    }

    public static int errorLogOffset(final AtomicBuffer header)
    {
        return valuesOffset(header) + header.getInt(VALUES_LENGTH_OFFSET);
    }

    static void putText(final AtomicBuffer buffer, final int offset, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final int length = Math.min(bytes.length, MAX_TEXT_LENGTH);
        buffer.putInt(offset, length);
        buffer.putBytes(offset + 4, bytes, 0, length);
    }

    static String getText(final AtomicBuffer buffer, final int offset)
    {
        final int length = Math.max(0, Math.min(buffer.getInt(offset), MAX_TEXT_LENGTH));
        return buffer.getStringWithoutLengthAscii(offset + 4, length);
    }
}
