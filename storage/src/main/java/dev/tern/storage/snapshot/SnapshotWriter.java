package dev.tern.storage.snapshot;

import dev.tern.storage.memory.Crc32cChecksum;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import static dev.tern.storage.snapshot.SnapshotFormat.*;

/**
 * Writes a snapshot file (see {@link SnapshotFormat}) frame by frame through a buffer, so the store's thread can
 * write a few frames per duty cycle while it keeps serving. Each write returns the frame's offset in the file, which
 * the store keeps as the new location of the value it wrote. Not thread-safe; {@link #force()} may run on another
 * thread once writing is finished.
 */
public final class SnapshotWriter implements AutoCloseable
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final Crc32cChecksum crc = new Crc32cChecksum();
    private final File file;
    private final FileChannel channel;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private long filePosition;
    private long keys;
    private long rows;
    private long requests;

    /**
     * Create the file (replacing any) and write its header.
     *
     * @param file            where to write, normally a {@link SnapshotFormat#PARTIAL_SUFFIX} name.
     * @param maxFrameLength  the largest frame that will be written.
     */
    public SnapshotWriter(
        final File file,
        final int maxFrameLength,
        final int generation,
        final long replayFromIndex,
        final long sourceIndex,
        final int sourceNodeId,
        final long createdMs)
    {
        this.file = file;
        byteBuffer = ByteBuffer.allocateDirect(Math.max(1 << 20, 2 * maxFrameLength + HEADER_LENGTH));
        buffer = new UnsafeBuffer(byteBuffer);
        try
        {
            channel = FileChannel.open(file.toPath(),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create snapshot " + file, ex);
        }
        writeHeader(crc, buffer, 0, generation, replayFromIndex, sourceIndex, sourceNodeId, createdMs);
        byteBuffer.position(HEADER_LENGTH);
    }

    /**
     * Write a header into a buffer, sealed with its checksum.
     */
    public static void writeHeader(
        final Crc32cChecksum crc,
        final UnsafeBuffer buffer,
        final int offset,
        final int generation,
        final long replayFromIndex,
        final long sourceIndex,
        final int sourceNodeId,
        final long createdMs)
    {
        buffer.setMemory(offset, HEADER_LENGTH, (byte)0);
        buffer.putLong(offset, MAGIC, ORDER);
        buffer.putInt(offset + 8, FORMAT_VERSION, ORDER);
        buffer.putInt(offset + GENERATION_OFFSET, generation, ORDER);
        buffer.putLong(offset + REPLAY_FROM_INDEX_OFFSET, replayFromIndex, ORDER);
        buffer.putLong(offset + SOURCE_INDEX_OFFSET, sourceIndex, ORDER);
        buffer.putInt(offset + SOURCE_NODE_ID_OFFSET, sourceNodeId, ORDER);
        buffer.putLong(offset + CREATED_MS_OFFSET, createdMs, ORDER);
        buffer.putInt(offset + HEADER_CRC_OFFSET, crc.compute(buffer, offset, HEADER_CRC_OFFSET), ORDER);
    }

    /**
     * @return the frame's offset in the file.
     */
    public long writeRequest(final long clientId, final long sequence, final int code, final long version)
    {
        final int frame = beginFrame(REQUEST, REQUEST_BODY_LENGTH);
        final int body = frame + FRAME_HEADER_LENGTH;
        buffer.putLong(body, clientId, ORDER);
        buffer.putLong(body + 8, sequence, ORDER);
        buffer.putLong(body + 16, version, ORDER);
        buffer.putInt(body + 24, code, ORDER);
        requests++;
        return endFrame(frame, REQUEST_BODY_LENGTH);
    }

    /**
     * @return the frame's offset in the file: the location of the value.
     */
    public long writeKey(
        final byte kind,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final long version,
        final long[] metadata,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        final int bodyLength = KEY_BODY_LENGTH + keyLength + valueLength;
        final int frame = beginFrame(KEY, bodyLength);
        final int body = frame + FRAME_HEADER_LENGTH;
        buffer.putByte(body, kind);
        buffer.putShort(body + 1, (short)keyLength, ORDER);
        buffer.putLong(body + 3, version, ORDER);
        buffer.putInt(body + 11, valueLength, ORDER);
        for (int word = 0; word < METADATA_WORDS; word++)
        {
            buffer.putLong(body + KEY_METADATA_OFFSET + word * 8, metadata[word], ORDER);
        }
        buffer.putBytes(body + KEY_BODY_LENGTH, key, keyOffset, keyLength);
        buffer.putBytes(body + KEY_BODY_LENGTH + keyLength, value, valueOffset, valueLength);
        keys++;
        return endFrame(frame, bodyLength);
    }

    /**
     * Start a table: exactly {@code rowCount} {@link #writeRow} calls must follow.
     *
     * @return the frame's offset in the file.
     */
    public long writeTable(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final long version,
        final long[] metadata,
        final long rowCount)
    {
        final int bodyLength = TABLE_BODY_LENGTH + keyLength;
        final int frame = beginFrame(TABLE, bodyLength);
        final int body = frame + FRAME_HEADER_LENGTH;
        buffer.putShort(body, (short)keyLength, ORDER);
        buffer.putLong(body + 2, version, ORDER);
        buffer.putLong(body + 10, rowCount, ORDER);
        for (int word = 0; word < METADATA_WORDS; word++)
        {
            buffer.putLong(body + TABLE_METADATA_OFFSET + word * 8, metadata[word], ORDER);
        }
        buffer.putBytes(body + TABLE_BODY_LENGTH, key, keyOffset, keyLength);
        keys++;
        return endFrame(frame, bodyLength);
    }

    /**
     * @return the frame's offset in the file: the location of the row's value.
     */
    public long writeRow(
        final DirectBuffer rowKey,
        final int rowKeyOffset,
        final int rowKeyLength,
        final long rowVersion,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        final int bodyLength = ROW_BODY_LENGTH + rowKeyLength + valueLength;
        final int frame = beginFrame(ROW, bodyLength);
        final int body = frame + FRAME_HEADER_LENGTH;
        buffer.putShort(body, (short)rowKeyLength, ORDER);
        buffer.putLong(body + 2, rowVersion, ORDER);
        buffer.putInt(body + 10, valueLength, ORDER);
        buffer.putBytes(body + ROW_BODY_LENGTH, rowKey, rowKeyOffset, rowKeyLength);
        buffer.putBytes(body + ROW_BODY_LENGTH + rowKeyLength, value, valueOffset, valueLength);
        rows++;
        return endFrame(frame, bodyLength);
    }

    /**
     * Write the END frame and flush everything to the file (not yet to the device: see {@link #force()}).
     *
     * @return the file's length.
     */
    public long finish()
    {
        final int frame = beginFrame(END, END_BODY_LENGTH);
        final int body = frame + FRAME_HEADER_LENGTH;
        buffer.putLong(body, keys, ORDER);
        buffer.putLong(body + 8, rows, ORDER);
        buffer.putLong(body + 16, requests, ORDER);
        endFrame(frame, END_BODY_LENGTH);
        flush();
        return filePosition;
    }

    /** Write the file's content to the device: slow, so the store calls it off its thread. */
    public void force()
    {
        try
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot sync snapshot " + file, ex);
        }
    }

    /** @return the bytes written so far, buffered or not. */
    public long length()
    {
        return filePosition + byteBuffer.position();
    }

    public File file()
    {
        return file;
    }

    /**
     * Write buffered frames to the file, so that values whose location now points into it can be read back.
     */
    public void flush()
    {
        byteBuffer.flip();
        try
        {
            while (byteBuffer.hasRemaining())
            {
                filePosition += channel.write(byteBuffer, filePosition);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + file, ex);
        }
        finally
        {
            byteBuffer.clear();
        }
    }

    /** Close the channel; the file stays. */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close snapshot " + file, ex);
        }
    }

    private int beginFrame(final byte type, final int bodyLength)
    {
        final int frameLength = FRAME_HEADER_LENGTH + bodyLength;
        if (byteBuffer.remaining() < frameLength)
        {
            flush();
            if (byteBuffer.remaining() < frameLength)
            {
                throw new IllegalArgumentException("snapshot frame of " + frameLength + " bytes exceeds the buffer");
            }
        }
        final int frame = byteBuffer.position();
        buffer.putInt(frame + FRAME_LENGTH_OFFSET, frameLength, ORDER);
        buffer.putByte(frame + FRAME_TYPE_OFFSET, type);
        return frame;
    }

    private long endFrame(final int frame, final int bodyLength)
    {
        buffer.putInt(frame + FRAME_CRC_OFFSET,
            crc.compute(buffer, frame + FRAME_TYPE_OFFSET, 1 + bodyLength), ORDER);
        byteBuffer.position(frame + FRAME_HEADER_LENGTH + bodyLength);
        return filePosition + frame;
    }
}
