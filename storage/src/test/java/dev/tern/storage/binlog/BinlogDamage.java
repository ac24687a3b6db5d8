package dev.tern.storage.binlog;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;

/**
 * Damages binlog files the way a failing disk or a torn write would, for tests: finds where a record lives in its
 * cycle file and flips bytes there.
 */
public final class BinlogDamage
{
    private BinlogDamage()
    {
    }

    /**
     * A record's place on disk.
     */
    public static final class Location
    {
        public final File file;
        public final long position;
        public final int length;

        Location(final File file, final long position, final int length)
        {
            this.file = file;
            this.position = position;
            this.length = length;
        }
    }

    /**
     * @param binlogDir the binlog directory (a node's {@code binlog/}).
     * @param index     a record's index.
     * @return the file, the offset of the record's first byte (after Chronicle's 4-byte header) and its length.
     */
    public static Location locate(final File binlogDir, final long index)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(binlogDir).readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(index))
            {
                throw new IllegalArgumentException("no record 0x" + Long.toHexString(index) + " in " + binlogDir);
            }
            try (DocumentContext dc = tailer.readingDocument())
            {
                return new Location(tailer.currentFile(), dc.wire().bytes().readPosition(),
                    (int)dc.wire().bytes().readRemaining());
            }
        }
    }

    /**
     * Invert the bits of one byte of a file.
     */
    public static void flip(final File file, final long position)
    {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xFF);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
