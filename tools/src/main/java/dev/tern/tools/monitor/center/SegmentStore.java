package dev.tern.tools.monitor.center;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The center's durable history: every valid message received, appended as received to one segment file per UTC
 * hour ({@code segments/20240501-13.seg}), replayed on start to rebuild the in-memory series. Files older than the
 * retention are deleted.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                 Payload length (int32, LE)                    |
 *   +---------------------------------------------------------------+
 *   |        CRC32C of the received time and the payload            |
 *   +---------------------------------------------------------------+
 *   |              Received time, ms since epoch (int64)            |
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |       Payload: the SBE message (header + body) as received  ...
 *   +---------------------------------------------------------------+
 * </pre>
 * A crash can leave a torn record at a file's end; replay stops at the first record whose length or checksum is
 * wrong and truncates the file there, so appends continue after the last good record. Writes reach the OS on each
 * append and the disk on {@link #flush()} (the center flushes every second): a process crash loses nothing, a power
 * loss at most the last second. Single-threaded.
 */
final class SegmentStore implements AutoCloseable
{
    static final int RECORD_HEADER_LENGTH = 16;
    static final int MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;
    static final String SUFFIX = ".seg";
    private static final long HOUR_MS = 3_600_000;
    private static final DateTimeFormatter HOUR_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HH").withZone(ZoneOffset.UTC);

    /** Receives each stored message on replay. */
    @FunctionalInterface
    interface RecordHandler
    {
        void onRecord(DirectBuffer buffer, int offset, int length, long receivedMs);
    }

    private final File dir;
    private final long retentionMs;
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private FileChannel channel;
    private long channelHour = Long.MIN_VALUE;
    private long appendedBytes;
    private long truncatedBytes;

    /**
     * @param dir         the segments directory; created when missing.
     * @param retentionMs how long files are kept.
     */
    SegmentStore(final File dir, final long retentionMs)
    {
        this.dir = dir;
        this.retentionMs = retentionMs;
        try
        {
            Files.createDirectories(dir.toPath());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create data directory " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Delete expired files, then hand every stored message to the handler, oldest file first, truncating torn or
     * corrupt tails.
     *
     * @param handler receives each message.
     * @param nowMs   the time now, for the retention.
     * @return the number of messages replayed.
     */
    long replay(final RecordHandler handler, final long nowMs)
    {
        deleteExpired(nowMs);
        long records = 0;
        for (final File file : segmentFiles())
        {
            records += replayFile(file, handler);
        }
        return records;
    }

    /**
     * Append one message.
     *
     * @param buffer     holds the message.
     * @param offset     where it starts.
     * @param length     its length.
     * @param receivedMs when it was received; picks the hour file.
     */
    void append(final DirectBuffer buffer, final int offset, final int length, final long receivedMs)
    {
        if (length <= 0 || length > MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("record length=" + length + " must be in [1, " + MAX_PAYLOAD_LENGTH + "]");
        }
        final long hour = Math.floorDiv(receivedMs, HOUR_MS);
        if (hour != channelHour)
        {
            roll(hour, receivedMs);
        }
        final int recordLength = RECORD_HEADER_LENGTH + length;
        if (writeBuffer.capacity() < recordLength)
        {
            writeBuffer = ByteBuffer.allocateDirect(Integer.highestOneBit(recordLength) << 1).order(ByteOrder.LITTLE_ENDIAN);
        }
        writeBuffer.clear();
        writeBuffer.putInt(0, length);
        writeBuffer.putLong(8, receivedMs);
        buffer.getBytes(offset, writeBuffer, RECORD_HEADER_LENGTH, length);
        writeBuffer.limit(recordLength).position(8);
        crc.reset();
        crc.update(writeBuffer);
        writeBuffer.putInt(4, (int)crc.getValue());
        writeBuffer.position(0).limit(recordLength);
        try
        {
            while (writeBuffer.hasRemaining())
            {
                channel.write(writeBuffer);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot append to the store in " + dir + ": " + ex.getMessage(), ex);
        }
        appendedBytes += recordLength;
    }

    /** Force appended records to the disk. */
    void flush()
    {
        if (null != channel)
        {
            try
            {
                channel.force(false);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot flush the store in " + dir + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** @return bytes appended since start. */
    long appendedBytes()
    {
        return appendedBytes;
    }

    /** @return bytes of torn or corrupt records cut by the last replay. */
    long truncatedBytes()
    {
        return truncatedBytes;
    }

    /** Delete the files of hours that ended before the retention. */
    void deleteExpired(final long nowMs)
    {
        final long oldestKeptHour = Math.floorDiv(nowMs - retentionMs, HOUR_MS);
        for (final File file : segmentFiles())
        {
            final long hour = hourOf(file);
            if (hour >= 0 && hour < oldestKeptHour && hour != channelHour)
            {
                file.delete();
            }
        }
    }

    public void close()
    {
        if (null != channel)
        {
            try
            {
                channel.force(false);
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            channel = null;
        }
    }

    private void roll(final long hour, final long receivedMs)
    {
        close();
        final File file = new File(dir, HOUR_NAME.format(Instant.ofEpochMilli(hour * HOUR_MS)) + SUFFIX);
        try
        {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open store file " + file + ": " + ex.getMessage(), ex);
        }
        channelHour = hour;
        deleteExpired(receivedMs);
    }

    private long replayFile(final File file, final RecordHandler handler)
    {
        long records = 0;
        try (FileChannel in = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = in.size();
            ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024).order(ByteOrder.LITTLE_ENDIAN);
            buffer.limit(0);
            long position = 0;
            while (position < size)
            {
                buffer = fill(in, buffer, position, RECORD_HEADER_LENGTH);
                if (buffer.remaining() < RECORD_HEADER_LENGTH)
                {
                    break;
                }
                final int start = buffer.position();
                final int length = buffer.getInt(start);
                if (length <= 0 || length > MAX_PAYLOAD_LENGTH || position + RECORD_HEADER_LENGTH + length > size)
                {
                    break;
                }
                buffer = fill(in, buffer, position, RECORD_HEADER_LENGTH + length);
                final int recordStart = buffer.position();
                final int storedCrc = buffer.getInt(recordStart + 4);
                final long receivedMs = buffer.getLong(recordStart + 8);
                final int limit = buffer.limit();
                buffer.limit(recordStart + RECORD_HEADER_LENGTH + length).position(recordStart + 8);
                crc.reset();
                crc.update(buffer);
                buffer.limit(limit).position(recordStart);
                if ((int)crc.getValue() != storedCrc)
                {
                    break;
                }
                readView.wrap(buffer, recordStart + RECORD_HEADER_LENGTH, length);
                handler.onRecord(readView, 0, length, receivedMs);
                records++;
                position += RECORD_HEADER_LENGTH + length;
                buffer.position(recordStart + RECORD_HEADER_LENGTH + length);
            }
            if (position < size)
            {
                truncatedBytes += size - position;
                in.truncate(position);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot replay store file " + file + ": " + ex.getMessage(), ex);
        }
        return records;
    }

    /**
     * Make the buffer hold at least {@code needed} bytes from file position {@code position} (its current
     * position), reading more and growing it as needed; it may hold fewer only at the file's end.
     */
    private static ByteBuffer fill(final FileChannel in, final ByteBuffer buffer, final long position,
        final int needed) throws IOException
    {
        if (buffer.remaining() >= needed)
        {
            return buffer;
        }
        ByteBuffer target = buffer;
        if (buffer.capacity() < needed)
        {
            target = ByteBuffer.allocateDirect(Integer.highestOneBit(needed) << 1).order(ByteOrder.LITTLE_ENDIAN);
            target.put(buffer);
        }
        else
        {
            target.compact();
        }
        long readPosition = position + target.position();
        while (target.position() < needed)
        {
            final int read = in.read(target, readPosition);
            if (read <= 0)
            {
                break;
            }
            readPosition += read;
        }
        target.flip();
        return target;
    }

    private File[] segmentFiles()
    {
        final File[] files = dir.listFiles((d, name) -> name.endsWith(SUFFIX));
        if (null == files)
        {
            return new File[0];
        }
        Arrays.sort(files);
        return files;
    }

    private static long hourOf(final File file)
    {
        final String name = file.getName();
        try
        {
            return Math.floorDiv(Instant.from(HOUR_NAME.parse(name.substring(0, name.length() - SUFFIX.length())))
                .toEpochMilli(), HOUR_MS);
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }
}
