package dev.tern.storage.memory;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Random reads of a file that only grows (a binlog cycle file, a snapshot) through read-only memory mappings, so a
 * value read back costs no system call. The file is mapped in 1 GiB windows that overlap by the largest frame, so
 * any frame starting in a window lies wholly inside it; a window is remapped when the file has grown past it.
 * Not thread-safe.
 */
public final class MappedFileReader implements AutoCloseable
{
    private static final int WINDOW_SHIFT = 30;
    private static final long WINDOW_SIZE = 1L << WINDOW_SHIFT;

    private final File file;
    private final FileChannel channel;
    private final int overlap;
    private MappedByteBuffer[] windows = new MappedByteBuffer[4];
    private long[] windowAddresses = new long[4];
    private long[] windowLengths = new long[4];

    /**
     * @param file          the file to read.
     * @param largestFrame  the longest run of bytes a caller asks for at once.
     * @throws UncheckedIOException when the file cannot be opened.
     */
    public MappedFileReader(final File file, final int largestFrame)
    {
        this.file = file;
        this.overlap = largestFrame;
        try
        {
            channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open " + file, ex);
        }
    }

    /**
     * @param position a file offset.
     * @param length   bytes wanted from it, at most the largest frame.
     * @return the address of {@code position}, with {@code length} bytes readable from it; 0 when the file does not
     * hold that many bytes there.
     */
    public long address(final long position, final int length)
    {
        final int window = (int)(position >>> WINDOW_SHIFT);
        final long offset = position & (WINDOW_SIZE - 1);
        if (window >= windows.length)
        {
            grow(window + 1);
        }
        if (offset + length > windowLengths[window] && !map(window, offset + length))
        {
            return 0;
        }
        return windowAddresses[window] + offset;
    }

    /**
     * @return how many bytes from {@code position} are readable without growing the file, capped at the largest
     * frame; 0 past the end.
     */
    public int available(final long position)
    {
        final int window = (int)(position >>> WINDOW_SHIFT);
        final long offset = position & (WINDOW_SIZE - 1);
        if (window < windows.length && offset + overlap <= windowLengths[window])
        {
            return overlap;
        }
        if (window >= windows.length)
        {
            grow(window + 1);
        }
        map(window, 0);
        return (int)Math.max(0, Math.min(overlap, windowLengths[window] - offset));
    }

    public File file()
    {
        return file;
    }

    /** Unmap every window and close the file. */
    public void close()
    {
        for (int i = 0; i < windows.length; i++)
        {
            if (null != windows[i])
            {
                IoUtil.unmap(windows[i]);
                windows[i] = null;
            }
        }
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot close " + file, ex);
        }
    }

    private boolean map(final int window, final long needed)
    {
        try
        {
            final long start = (long)window << WINDOW_SHIFT;
            final long length = Math.min(WINDOW_SIZE + overlap, channel.size() - start);
            if (length < needed || length <= 0)
            {
                return false;
            }
            if (null != windows[window])
            {
                IoUtil.unmap(windows[window]);
            }
            windows[window] = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
            windowAddresses[window] = BufferUtil.address(windows[window]);
            windowLengths[window] = length;
            return true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
    }

    private void grow(final int count)
    {
        final int length = Math.max(count, windows.length * 2);
        windows = Arrays.copyOf(windows, length);
        windowAddresses = Arrays.copyOf(windowAddresses, length);
        windowLengths = Arrays.copyOf(windowLengths, length);
    }
}
