package dev.tern.storage.binlog;

import dev.tern.storage.Durability;
import dev.tern.storage.ResultCode;
import dev.tern.storage.memory.MappedFileReader;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binlog of one storage node: a Chronicle Queue (one file per roll cycle) of binlog frames, one document per
 * frame. The Chronicle index of a document is the record's binlog index: ordered, unique, and the position peers
 * stream from. Appends go straight into the memory-mapped file; {@link #sync()} makes them durable per the
 * {@link Durability} policy.
 * <p>
 * Threading: the node's thread appends, syncs, reads values back and truncates. {@link BinlogReader}s are independent
 * tailers and may each be used by one other thread.
 */
public final class Binlog implements AutoCloseable
{
    /** Location of no record. */
    public static final long NO_LOCATION = Long.MAX_VALUE;
    private static final int POSITION_BITS = 40;
    private static final String CYCLE_SUFFIX = ".cq4";
    private static final String QUEUE_METADATA_FILE = "metadata.cq4t";

    private final File dir;
    private final File damagedDir;
    private final RollCycle rollCycle;
    private final Durability durability;
    private final TimeProvider timeProvider;
    private final long blockSize;
    private final boolean readOnly;
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer readCopy;
    private final UnsafeBuffer appendView = new UnsafeBuffer(0, 0);
    private SingleChronicleQueue queue;
    private int baseCycle;
    private ExcerptAppender appender;
    private final Int2ObjectHashMap<MappedFileReader> cycleReaders = new Int2ObjectHashMap<>();
    private RollingResourcesCache cycleNames;
    private long lastAppendedIndex = -1;
    private long lastAppendedLocation = NO_LOCATION;
    private long durableIndex = -1;
    private File lastSyncedFile;
    private long bytesSinceSync;

    /**
     * Open (creating if needed) a binlog for writing.
     *
     * @param dir             the queue directory.
     * @param damagedDir      where cut-off damaged cycle files are moved by {@link #truncateFrom(long)}.
     * @param rollCycle       how often a new cycle file starts.
     * @param durability      the node's policy.
     * @param clock           wall clock that picks the cycle.
     * @param maxFrameLength  the largest frame that will be appended or read.
     */
    public Binlog(
        final File dir,
        final File damagedDir,
        final RollCycle rollCycle,
        final Durability durability,
        final EpochClock clock,
        final int maxFrameLength)
    {
        this(dir, damagedDir, rollCycle, durability, clock, maxFrameLength, false);
    }

    private Binlog(
        final File dir,
        final File damagedDir,
        final RollCycle rollCycle,
        final Durability durability,
        final EpochClock clock,
        final int maxFrameLength,
        final boolean readOnly)
    {
        this.dir = dir;
        this.damagedDir = damagedDir;
        this.rollCycle = rollCycle;
        this.durability = durability;
        this.timeProvider = clock::time;
        this.blockSize = Math.max(64L << 20, Long.highestOneBit(maxFrameLength) << 4);
        this.readOnly = readOnly;
        this.readCopy = new UnsafeBuffer(ByteBuffer.allocateDirect(maxFrameLength + 64));
        open();
    }

    /**
     * Open an existing binlog to read it only (tools, tests); no appends.
     *
     * @param dir the queue directory.
     * @return the binlog.
     * @throws IllegalArgumentException when the directory holds no binlog.
     */
    public static Binlog openReadOnly(final File dir, final int maxFrameLength)
    {
        final File[] cycles = dir.listFiles((d, name) -> name.endsWith(CYCLE_SUFFIX));
        if (null == cycles)
        {
            throw new IllegalArgumentException("no binlog in " + dir);
        }
        return new Binlog(dir, null, null, Durability.PROCESS, System::currentTimeMillis, maxFrameLength, true);
    }

    /**
     * Append a sealed frame verbatim.
     *
     * @return the record's binlog index.
     */
    public long append(final DirectBuffer frame, final int offset, final int length)
    {
        if (null == appender)
        {
            appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            final long position = bytes.writePosition();
            bytes.writeSkip(length);
            final long address = bytes.addressForWrite(position);
            appendView.wrap(address, length);
            appendView.putBytes(0, frame, offset, length);
            lastAppendedLocation = location(appender.cycle(), position);
        }
        lastAppendedIndex = appender.lastIndexAppended();
        bytesSinceSync += length + 4;
        return lastAppendedIndex;
    }

    /**
     * Make every appended record durable per the policy: nothing to do for {@link Durability#PROCESS}; msync of the
     * appended range for {@link Durability#MACHINE}, plus an fsync of a cycle file left behind by a roll or a
     * memory-mapped chunk change since the last sync.
     *
     * @return the index of the last durable record, -1 when none.
     */
    public long sync()
    {
        if (Durability.MACHINE == durability && null != appender && durableIndex != lastAppendedIndex)
        {
            final File current = appender.currentFile();
            if (null != lastSyncedFile && !lastSyncedFile.equals(current))
            {
                force(lastSyncedFile);
            }
            if (bytesSinceSync >= blockSize && null != current)
            {
                force(current);
            }
            else
            {
                appender.sync();
            }
            lastSyncedFile = current;
            bytesSinceSync = 0;
        }
        durableIndex = lastAppendedIndex;
        return durableIndex;
    }

    /** @return the index of the last record {@link #sync()} made durable, -1 when none. */
    public long durableIndex()
    {
        return Durability.PROCESS == durability ? lastAppendedIndex : durableIndex;
    }

    /** @return the index of the last record appended by this binlog since it was opened, -1 when none. */
    public long lastAppendedIndex()
    {
        return lastAppendedIndex;
    }

    /**
     * @return the location of the last record appended by this binlog: where {@link #readAt} finds it again.
     */
    public long lastAppendedLocation()
    {
        return lastAppendedLocation;
    }

    /**
     * Read a record back by its location (a value that is not cached), straight from the memory-mapped cycle file:
     * no search of Chronicle's index. The view stays valid until the cycle file is deleted.
     *
     * @param location from {@link #lastAppendedLocation()} or {@link BinlogReader#location()}.
     * @param record   the view to point at the frame.
     * @return {@link ResultCode#OK}, {@link ResultCode#DATA_UNAVAILABLE} when the cycle file is gone or too short, or
     * the frame's check failure.
     */
    public int readAt(final long location, final BinlogRecord record)
    {
        final int cycle = cycleOf(location);
        MappedFileReader reader = cycleReaders.get(cycle);
        if (null == reader)
        {
            final File file = cycleFile(cycle);
            if (!file.exists())
            {
                return ResultCode.DATA_UNAVAILABLE;
            }
            reader = new MappedFileReader(file, readCopy.capacity());
            cycleReaders.put(cycle, reader);
        }
        final long position = positionOf(location);
        final int available = reader.available(position);
        if (available < BinlogRecord.MIN_FRAME_LENGTH)
        {
            return ResultCode.DATA_UNAVAILABLE;
        }
        readView.wrap(reader.address(position, available), available);
        return record.wrapPrefix(readView, 0, available);
    }

    /**
     * @return the location of a record: its cycle (relative to the binlog's first cycle when it was opened) and its
     * offset in the cycle's file. Locations are valid while this binlog stays open.
     */
    public long location(final int cycle, final long position)
    {
        final long relative = (long)cycle - baseCycle;
        if (relative < 0 || relative >= 1L << (63 - POSITION_BITS))
        {
            throw new IllegalStateException("binlog cycle " + cycle + " is out of the location range from cycle " +
                baseCycle + ": use a longer roll cycle");
        }
        return (relative << POSITION_BITS) | position;
    }

    int cycleOf(final long location)
    {
        return (int)((location >>> POSITION_BITS) + baseCycle);
    }

    static long positionOf(final long location)
    {
        return location & ((1L << POSITION_BITS) - 1);
    }

    /**
     * @return a new independent reader starting at the first record.
     */
    public BinlogReader newReader()
    {
        final ExcerptTailer tailer = queue.createTailer();
        tailer.singleThreadedCheckDisabled(true);
        return new BinlogReader(this, tailer, new UnsafeBuffer(ByteBuffer.allocateDirect(readCopy.capacity())));
    }

    /** @return the index of the first record still in the binlog, or -1 when it is empty. */
    public long firstIndex()
    {
        final long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? -1 : first;
    }

    /** @return the index of the last record in the binlog, or -1 when it is empty. */
    public long lastIndex()
    {
        final long last = queue.lastIndex();
        return last < 0 ? -1 : last;
    }

    /**
     * Delete whole cycle files whose every record is older than {@code floorIndex}, never the cycle being written.
     *
     * @return files deleted.
     */
    public int deleteCyclesBefore(final long floorIndex)
    {
        if (floorIndex < 0)
        {
            return 0;
        }
        final int floorCycle = rollCycle().toCycle(floorIndex);
        final int currentCycle = null != appender ? appender.cycle() : Integer.MAX_VALUE;
        int deleted = 0;
        for (final CycleFile cycleFile : cycleFiles())
        {
            if (cycleFile.cycle < floorCycle && cycleFile.cycle < currentCycle)
            {
                final MappedFileReader reader = cycleReaders.remove(cycleFile.cycle);
                if (null != reader)
                {
                    reader.close();
                }
                if (cycleFile.file.delete())
                {
                    deleted++;
                }
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /**
     * Cut the binlog before a damaged record: keep every record before {@code firstBadIndex}, move the cycle files
     * from the damaged one on into the damaged directory (kept for inspection), and rewrite the damaged cycle's good
     * records at their same indices. Appends then continue right after the last good record. Only before the first
     * append.
     *
     * @param firstBadIndex the index of the first record that failed its check, or the index after the last
     *                      readable record when the queue could not be read further.
     * @return records cut off, as far as they could be read (at least 1).
     */
    public long truncateFrom(final long firstBadIndex)
    {
        if (null != appender || readOnly)
        {
            throw new IllegalStateException("truncate only a writable binlog before appending");
        }
        final RollCycle cycles = rollCycle();
        final int badCycle = cycles.toCycle(firstBadIndex);
        final long badSequence = cycles.toSequenceNumber(firstBadIndex);
        final File aside = new File(damagedDir, "binlog-" + Long.toHexString(firstBadIndex) + "-" + System.currentTimeMillis());
        final File rebuilt = new File(aside, "rebuilt");
        long dropped = 0;
        try
        {
            Files.createDirectories(aside.toPath());
            File rebuiltCycle = null;
            if (badSequence > 0)
            {
                rebuiltCycle = rewriteCycle(cycles.toIndex(badCycle, 0), firstBadIndex, rebuilt);
            }
            final List<CycleFile> files = cycleFiles();
            dropped = countReadableFrom(firstBadIndex);
            closeQueue();
            for (final CycleFile cycleFile : files)
            {
                if (cycleFile.cycle >= badCycle)
                {
                    Files.move(cycleFile.file.toPath(), new File(aside, cycleFile.file.getName()).toPath(),
                        StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (null != rebuiltCycle)
            {
                Files.move(rebuiltCycle.toPath(), new File(dir, rebuiltCycle.getName()).toPath());
            }
            // the queue's metadata remembers the highest cycle ever published and refuses to append once that
            // file is gone: let Chronicle rebuild it from the directory
            Files.deleteIfExists(new File(dir, QUEUE_METADATA_FILE).toPath());
            deleteTree(rebuilt);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot cut binlog " + dir + " at index " + Long.toHexString(firstBadIndex), ex);
        }
        finally
        {
            if (null == queue)
            {
                open();
            }
        }
        return dropped;
    }

    /** @return the queue directory. */
    public File dir()
    {
        return dir;
    }

    /** @return the roll cycle actually in use (an existing queue keeps the one it was created with). */
    public RollCycle rollCycle()
    {
        return queue.rollCycle();
    }

    public void close()
    {
        closeQueue();
    }

    int wrapDocument(final DocumentContext dc, final BinlogRecord record, final UnsafeBuffer view, final UnsafeBuffer copy)
    {
        final Bytes<?> bytes = dc.wire().bytes();
        final long position = bytes.readPosition();
        final long remaining = bytes.readRemaining();
        if (remaining > copy.capacity())
        {
            return ResultCode.INVALID_RECORD;
        }
        final int length = (int)remaining;
        if (bytes.isDirectMemory() && bytes.bytesStore().inside(position, length))
        {
            view.wrap(bytes.addressForRead(position), length);
            return record.wrap(view, 0, length);
        }
        for (int i = 0; i < length; i++)
        {
            copy.putByte(i, bytes.readByte(position + i));
        }
        return record.wrap(copy, 0, length);
    }

    private void open()
    {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
            .readOnly(readOnly)
            .timeProvider(timeProvider)
            .syncMode(Durability.MACHINE == durability ? SyncMode.SYNC : SyncMode.NONE);
        if (null != rollCycle)
        {
            builder.rollCycle(rollCycle).blockSize(blockSize);
        }
        queue = builder.build();
        cycleNames = null;
        // locations hold the cycle relative to the first one, so that short roll cycles fit the location's bits
        final int first = queue.firstCycle();
        baseCycle = first != Integer.MAX_VALUE && first >= 0 ? first : queue.cycle();
    }

    private void closeQueue()
    {
        cycleReaders.values().forEach(MappedFileReader::close);
        cycleReaders.clear();
        if (null != appender)
        {
            appender.close();
            appender = null;
        }
        if (null != queue)
        {
            queue.close();
            queue = null;
        }
    }

    private File rewriteCycle(final long fromIndex, final long toIndexExclusive, final File target)
    {
        final File[] before = target.listFiles();
        try (SingleChronicleQueue rebuilt = SingleChronicleQueueBuilder.binary(target)
            .rollCycle(rollCycle()).blockSize(blockSize).timeProvider(timeProvider).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            final InternalAppender rebuiltAppender = (InternalAppender)rebuilt.createAppender();
            final Bytes<Void> frame = Bytes.allocateElasticDirect(readCopy.capacity());
            try
            {
                if (tailer.moveToIndex(fromIndex))
                {
                    while (true)
                    {
                        try (DocumentContext dc = tailer.readingDocument())
                        {
                            if (!dc.isPresent() || dc.index() >= toIndexExclusive)
                            {
                                break;
                            }
                            frame.clear();
                            frame.write(dc.wire().bytes());
                            rebuiltAppender.writeBytes(dc.index(), frame);
                        }
                    }
                }
            }
            finally
            {
                frame.releaseLast();
                rebuiltAppender.close();
            }
        }
        final File[] files = target.listFiles((d, name) -> name.endsWith(CYCLE_SUFFIX));
        if (null == files || files.length != 1 || (null != before && before.length > 0))
        {
            throw new IllegalStateException("rebuilding the damaged binlog cycle produced " + Arrays.toString(files));
        }
        return files[0];
    }

    private long countReadableFrom(final long index)
    {
        long count = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (tailer.moveToIndex(index))
            {
                while (true)
                {
                    try (DocumentContext dc = tailer.readingDocument())
                    {
                        if (!dc.isPresent())
                        {
                            break;
                        }
                        count++;
                    }
                }
            }
        }
        catch (final RuntimeException ex)
        {
            // the damage may stop Chronicle itself: what was counted is what could be read
        }
        return Math.max(1, count);
    }

    private File cycleFile(final int cycle)
    {
        return cycleNames().resourceFor(cycle).path;
    }

    private RollingResourcesCache cycleNames()
    {
        if (null == cycleNames)
        {
            cycleNames = new RollingResourcesCache(rollCycle(), queue.epoch(),
                name -> new File(dir, name + CYCLE_SUFFIX),
                file -> file.getName().substring(0, file.getName().length() - CYCLE_SUFFIX.length()));
        }
        return cycleNames;
    }

    private List<CycleFile> cycleFiles()
    {
        final RollingResourcesCache names = cycleNames();
        final List<CycleFile> result = new ArrayList<>();
        final File[] files = dir.listFiles((d, name) -> name.endsWith(CYCLE_SUFFIX));
        if (null != files)
        {
            for (final File file : files)
            {
                try
                {
                    result.add(new CycleFile(names.parseCount(file.getName().substring(0,
                        file.getName().length() - CYCLE_SUFFIX.length())), file));
                }
                catch (final RuntimeException ignore)
                {
                    // not a cycle file of this roll cycle: leave it alone
                }
            }
        }
        return result;
    }

    private static void force(final File file)
    {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE))
        {
            channel.force(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot sync binlog file " + file, ex);
        }
    }

    private static void deleteTree(final File file)
    {
        final File[] children = file.listFiles();
        if (null != children)
        {
            for (final File child : children)
            {
                deleteTree(child);
            }
        }
        file.delete();
    }

    private static final class CycleFile
    {
        final int cycle;
        final File file;

        CycleFile(final int cycle, final File file)
        {
            this.cycle = cycle;
            this.file = file;
        }
    }
}
