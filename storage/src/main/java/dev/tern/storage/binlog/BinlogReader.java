package dev.tern.storage.binlog;

import dev.tern.storage.ResultCode;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a node's binlog in order from any position, independently of the writer: the replication layer's streamer
 * ships records to a peer from where the peer is ({@link #moveAfter(long)}), recovery replays from a snapshot's mark,
 * tools print and verify. Every record is checked (checksum and lengths) before it is handed out; the reader stops
 * at a damaged record and reports it with {@link #damagedIndex()} instead of passing it on.
 * <p>
 * A reader sees records as soon as they are appended. It may be used by a thread other than the node's, one thread
 * at a time. Allocation-free once created.
 */
public final class BinlogReader implements AutoCloseable
{
    /** Returned by {@link #damagedIndex()} while no damage was met. */
    public static final long NO_DAMAGE = -1;

    private final Binlog binlog;
    private final ExcerptTailer tailer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer copy;
    private final BinlogRecord record = new BinlogRecord();
    private long damagedIndex = NO_DAMAGE;
    private int damage = ResultCode.OK;
    private long lastReadIndex = -1;
    private long location = Binlog.NO_LOCATION;

    BinlogReader(final Binlog binlog, final ExcerptTailer tailer, final UnsafeBuffer copy)
    {
        this.binlog = binlog;
        this.tailer = tailer;
        this.copy = copy;
    }

    /**
     * Position so that the next record read is the one at {@code index}.
     *
     * @return false when no record has that index (deleted, or not written yet: the reader is then at the end).
     */
    public boolean moveTo(final long index)
    {
        clearDamage();
        return tailer.moveToIndex(index);
    }

    /**
     * Position right after the record at {@code index}: the next read returns the record that follows it, or waits
     * for it. This is where a peer that holds everything up to {@code index} resumes.
     *
     * @return false when no record has that index (deleted, or not written yet).
     */
    public boolean moveAfter(final long index)
    {
        clearDamage();
        if (!tailer.moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            return dc.isPresent() && dc.index() == index;
        }
    }

    /** Position before the first record still in the binlog. */
    public void toStart()
    {
        clearDamage();
        tailer.toStart();
    }

    /**
     * Read records in order.
     *
     * @param handler receives each checked record.
     * @param limit   the most records to read.
     * @return records handed to the handler; fewer than {@code limit} at the end of the binlog or at a damaged
     * record (then {@link #damagedIndex()} names it and later reads return 0 until the reader is moved).
     */
    public int read(final BinlogRecordHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && NO_DAMAGE == damagedIndex)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final long index = dc.index();
                final int result = binlog.wrapDocument(dc, record, view, copy);
                if (ResultCode.OK != result)
                {
                    damagedIndex = index;
                    damage = result;
                    dc.rollbackOnClose();
                    break;
                }
                lastReadIndex = index;
                location = binlog.location(tailer.cycle(), dc.wire().bytes().readPosition());
                handler.onRecord(index, record);
                count++;
            }
        }
        return count;
    }

    /** @return the index of the damaged record the reader stopped at, or {@link #NO_DAMAGE}. */
    public long damagedIndex()
    {
        return damagedIndex;
    }

    /** @return why the record at {@link #damagedIndex()} was refused, a {@link ResultCode}. */
    public int damage()
    {
        return damage;
    }

    /**
     * @return the location of the record being handed to the handler (valid during the call): where
     * {@link Binlog#readAt} reads it back without a search.
     */
    public long location()
    {
        return location;
    }

    /** @return the index of the last record handed out, -1 when none yet. */
    public long lastReadIndex()
    {
        return lastReadIndex;
    }

    public void close()
    {
        tailer.close();
    }

    private void clearDamage()
    {
        damagedIndex = NO_DAMAGE;
        damage = ResultCode.OK;
    }
}
