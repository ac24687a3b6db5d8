package dev.tern.storage.snapshot;

import dev.tern.storage.ResultCode;
import dev.tern.storage.memory.Crc32cChecksum;
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
 * Reads a snapshot file from start to end, checking the header and every frame: recovery and installation load a
 * node from it, tools inspect it. Not thread-safe.
 */
public final class SnapshotReader implements AutoCloseable
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final File file;
    private final FileChannel channel;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final SnapshotFrame frame = new SnapshotFrame();
    private final int generation;
    private final long replayFromIndex;
    private final long sourceIndex;
    private final int sourceNodeId;
    private final long createdMs;
    private long bufferFilePosition;
    private int position;
    private int limit;
    private long frameOffset;
    private boolean ended;

    /**
     * Open a snapshot and check its header.
     *
     * @throws IllegalArgumentException when the file is not a readable snapshot (naming why).
     */
    public SnapshotReader(final File file, final int maxFrameLength)
    {
        this.file = file;
        byteBuffer = ByteBuffer.allocateDirect(Math.max(1 << 20, 2 * maxFrameLength + HEADER_LENGTH));
        buffer = new UnsafeBuffer(byteBuffer);
        try
        {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot open snapshot " + file + ": " + ex.getMessage(), ex);
        }
        try
        {
            fill();
            if (limit < HEADER_LENGTH || buffer.getLong(0, ORDER) != MAGIC ||
                buffer.getInt(8, ORDER) != FORMAT_VERSION ||
                buffer.getInt(HEADER_CRC_OFFSET, ORDER) != new Crc32cChecksum().compute(buffer, 0, HEADER_CRC_OFFSET))
            {
                throw new IllegalArgumentException("not a Tern snapshot, or a damaged header: " + file);
            }
            generation = buffer.getInt(GENERATION_OFFSET, ORDER);
            replayFromIndex = buffer.getLong(REPLAY_FROM_INDEX_OFFSET, ORDER);
            sourceIndex = buffer.getLong(SOURCE_INDEX_OFFSET, ORDER);
            sourceNodeId = buffer.getInt(SOURCE_NODE_ID_OFFSET, ORDER);
            createdMs = buffer.getLong(CREATED_MS_OFFSET, ORDER);
            position = HEADER_LENGTH;
        }
        catch (final RuntimeException ex)
        {
            closeQuietly();
            throw ex;
        }
    }

    /**
     * Move to the next frame.
     *
     * @return {@link ResultCode#OK} with {@link #frame()} set, {@link ResultCode#NOT_FOUND} after the END frame, or
     * {@link ResultCode#INVALID_RECORD} / {@link ResultCode#CHECKSUM_MISMATCH} for a damaged or truncated file.
     */
    public int next()
    {
        if (ended)
        {
            return ResultCode.NOT_FOUND;
        }
        if (limit - position < FRAME_HEADER_LENGTH || limit - position < buffer.getInt(position, ORDER))
        {
            fill();
        }
        frameOffset = bufferFilePosition + position;
        final int result = frame.wrap(buffer, position, limit - position);
        if (ResultCode.OK != result)
        {
            return result;
        }
        position += frame.length();
        if (END == frame.type())
        {
            ended = true;
        }
        return ResultCode.OK;
    }

    /** @return whether the END frame was read: the file is complete. */
    public boolean isEnded()
    {
        return ended;
    }

    /** @return the current frame. */
    public SnapshotFrame frame()
    {
        return frame;
    }

    /** @return the file offset of the current frame: where its value is found again. */
    public long frameOffset()
    {
        return frameOffset;
    }

    public int generation()
    {
        return generation;
    }

    public long replayFromIndex()
    {
        return replayFromIndex;
    }

    public long sourceIndex()
    {
        return sourceIndex;
    }

    public int sourceNodeId()
    {
        return sourceNodeId;
    }

    public long createdMs()
    {
        return createdMs;
    }

    public File file()
    {
        return file;
    }

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

    private void closeQuietly()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // already failing: the first error is the one reported
        }
    }

    private void fill()
    {
        final int remaining = limit - position;
        buffer.putBytes(0, buffer, position, remaining);
        bufferFilePosition += position;
        position = 0;
        limit = remaining;
        byteBuffer.clear().position(limit);
        try
        {
            limit += Math.max(0, readFully(channel, byteBuffer, bufferFilePosition + limit));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file, ex);
        }
    }

    private static int readFully(final FileChannel channel, final ByteBuffer dst, final long filePosition) throws IOException
    {
        int total = 0;
        while (dst.hasRemaining())
        {
            final int read = channel.read(dst, filePosition + total);
            if (read < 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
