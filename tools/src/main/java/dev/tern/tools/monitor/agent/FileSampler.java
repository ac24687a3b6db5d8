package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.MonitorFileLayout;
import dev.tern.codecs.monitor.MonitorFileReader;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.agrona.ErrorHandler;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples every monitor file of a directory into an {@link IdTable}: counters become deltas since the previous
 * sample of the same file, gauges stay values, both summed per ID across the files.
 * <ul>
 *   <li>A file that appears after the first scan, or replaces a predecessor (a restarted writer), starts from 0: its
 *   first delta is its value. A file found by the first scan is taken as a baseline unless it was created within the
 *   last interval, so that an agent restart does not report whole lifetimes as one interval's deltas.</li>
 *   <li>A file whose writer is gone (DEAD) or stopped (CLOSED) gets one last pass for its counters' deltas; its
 *   gauges are no longer summed.</li>
 *   <li>A file that fails validation, is truncated, or faults while read is skipped until it is replaced, counted in
 *   {@link #invalidFiles()}; the error goes to the error handler. Nothing a file holds can stop the sampler.</li>
 * </ul>
 * Directory scans allocate a little (one listing a sample); the per-counter path does not allocate.
 * Only the sampling thread uses it.
 */
final class FileSampler implements AutoCloseable
{
    private static final int COUNTER = MonitorKind.COUNTER.value();
    private static final int GAUGE = MonitorKind.GAUGE.value();

    /** One monitor file being sampled. */
    static final class TrackedFile
    {
        final String fileName;
        final String processName;
        final MonitorFileReader reader;
        long[] previous;
        int[] slotByCounter;
        boolean baselinePass;
        boolean finished;

        TrackedFile(final String fileName, final MonitorFileReader reader, final boolean baseline)
        {
            this.fileName = fileName;
            this.processName = fileName.substring(0, fileName.length() - MonitorFileLayout.FILE_SUFFIX.length());
            this.reader = reader;
            this.baselinePass = baseline;
            final int counters = Math.max(0, reader.counters().maxCounterId() + 1);
            previous = new long[counters];
            slotByCounter = new int[counters];
            Arrays.fill(slotByCounter, IdTable.NO_SLOT);
        }

        /** @return false once the writer is gone and its last deltas were taken. */
        boolean isLive()
        {
            return !finished;
        }
    }

    private final File dir;
    private final long intervalMs;
    private final IdTable table;
    private final ErrorHandler errorHandler;
    private final Map<String, TrackedFile> files = new HashMap<>();
    private final List<TrackedFile> order = new ArrayList<>();
    private final Map<String, Object> rejectedFileKeys = new HashMap<>();
    private final Set<String> listed = new HashSet<>();
    private final FileConsumer consumer = new FileConsumer();
    private boolean firstScan = true;
    private int invalidFiles;
    private long filesReplaced;

    FileSampler(final File dir, final long intervalMs, final IdTable table, final ErrorHandler errorHandler)
    {
        this.dir = dir;
        this.intervalMs = intervalMs;
        this.table = table;
        this.errorHandler = errorHandler;
    }

    /**
     * Rescan the directory and sample every file into the table.
     *
     * @param nowMs the time of the sample, ms since epoch.
     * @return the number of IDs the sample holds.
     */
    int sample(final long nowMs)
    {
        table.beginSample();
        scanDirectory(nowMs);
        for (int i = 0, size = order.size(); i < size; i++)
        {
            final TrackedFile file = order.get(i);
            if (file.isLive())
            {
                final boolean alive = file.reader.liveness() == MonitorFileReader.Liveness.ALIVE;
                sampleFile(file, !alive);
                if (!alive)
                {
                    file.finished = true;
                }
            }
        }
        removeBroken();
        firstScan = false;
        return table.sampledCount();
    }

    /**
     * Find the directory's files without taking deltas: the agent does it on start, so that files present then are
     * known (and baselined) before the first sample.
     *
     * @param nowMs the time now, ms since epoch.
     */
    void scan(final long nowMs)
    {
        table.beginSample();
        scanDirectory(nowMs);
        removeBroken();
        firstScan = false;
    }

    /** @return the files sampled, live or finished, in the order found. */
    List<TrackedFile> files()
    {
        return order;
    }

    /** @return files skipped by the last scan: not valid monitor files, truncated, or unreadable. */
    int invalidFiles()
    {
        return invalidFiles;
    }

    /** @return how many files were replaced by restarted writers since the sampler started. */
    long filesReplaced()
    {
        return filesReplaced;
    }

    public void close()
    {
        for (final TrackedFile file : order)
        {
            file.reader.close();
        }
        order.clear();
        files.clear();
    }

    private void scanDirectory(final long nowMs)
    {
        listed.clear();
        final String[] names = dir.list();
        if (null != names)
        {
            for (final String name : names)
            {
                if (name.endsWith(MonitorFileLayout.FILE_SUFFIX) && !name.startsWith("."))
                {
                    listed.add(name);
                }
            }
        }

        for (int i = order.size() - 1; i >= 0; i--)
        {
            final TrackedFile file = order.get(i);
            if (!listed.contains(file.fileName))
            {
                retire(file, i);
            }
            else if (file.reader.isReplaced())
            {
                filesReplaced++;
                retire(file, i);
            }
            else if (file.reader.isTruncated())
            {
                reject(file.fileName, new IllegalStateException("monitor file " + file.reader.file() +
                    " was truncated while mapped; skipped until replaced"));
                drop(file, i);
            }
        }

        invalidFiles = 0;
        rejectedFileKeys.keySet().retainAll(listed);
        for (final String name : listed)
        {
            if (!files.containsKey(name))
            {
                open(name, nowMs);
            }
        }
    }

    private void open(final String name, final long nowMs)
    {
        final File file = new File(dir, name);
        final Object rejectedKey = rejectedFileKeys.get(name);
        if (null != rejectedKey)
        {
            if (rejectedKey.equals(fileKey(file)))
            {
                invalidFiles++;
                return;
            }
            rejectedFileKeys.remove(name);
        }

        final MonitorFileReader reader = MonitorFileReader.open(file);
        if (null == reader)
        {
            reject(name, null);
            invalidFiles++;
            return;
        }
        final boolean baseline = firstScan && reader.fileCreatedMs() < nowMs - intervalMs;
        final TrackedFile tracked = new TrackedFile(name, reader, baseline);
        files.put(name, tracked);
        order.add(tracked);
    }

    /** The file is gone or replaced: take its counters' last deltas, then forget it. */
    private void retire(final TrackedFile file, final int index)
    {
        if (file.isLive())
        {
            sampleFile(file, true);
        }
        drop(file, index);
    }

    private void drop(final TrackedFile file, final int index)
    {
        order.remove(index);
        files.remove(file.fileName);
        file.reader.close();
    }

    private void sampleFile(final TrackedFile file, final boolean countersOnly)
    {
        consumer.file = file;
        consumer.countersOnly = countersOnly;
        try
        {
            file.reader.forEachValue(consumer);
            file.baselinePass = false;
        }
        catch (final RuntimeException | InternalError ex)
        {
            // a garbage or truncated file may throw on bounds, or fault (InternalError) on a page cut from the file
            reject(file.fileName, ex);
            file.finished = true;
        }
        finally
        {
            consumer.file = null;
        }
    }

    private void removeBroken()
    {
        for (int i = order.size() - 1; i >= 0; i--)
        {
            final TrackedFile file = order.get(i);
            if (rejectedFileKeys.containsKey(file.fileName))
            {
                drop(file, i);
                invalidFiles++;
            }
        }
    }

    private void reject(final String name, final Throwable error)
    {
        final Object key = fileKey(new File(dir, name));
        rejectedFileKeys.put(name, null != key ? key : name);
        if (null != error)
        {
            errorHandler.onError(error);
        }
    }

    private static Object fileKey(final File file)
    {
        try
        {
            return Files.readAttributes(file.toPath(), BasicFileAttributes.class).fileKey();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** Visits a file's counters; its fields are set per file so that no lambda captures per sample. */
    private final class FileConsumer implements MonitorFileReader.ValueConsumer
    {
        TrackedFile file;
        boolean countersOnly;

        public void accept(final int counterId, final int monitorId, final int kindCode, final long value)
        {
            final TrackedFile file = this.file;
            if ((kindCode != COUNTER && kindCode != GAUGE) || counterId >= file.previous.length)
            {
                return;
            }
            int slot = file.slotByCounter[counterId];
            if (IdTable.NO_SLOT == slot)
            {
                slot = table.slotOf(monitorId);
                if (IdTable.NO_SLOT == slot)
                {
                    slot = table.register(monitorId, MonitorKind.get((short)kindCode),
                        file.reader.counters().getCounterLabel(counterId), file.reader.unit(counterId));
                }
                file.slotByCounter[counterId] = slot;
            }

            if (kindCode == COUNTER)
            {
                final long delta = file.baselinePass ? 0 : value - file.previous[counterId];
                file.previous[counterId] = value;
                table.accumulate(slot, delta);
            }
            else if (!countersOnly)
            {
                table.accumulate(slot, value);
            }
        }
    }
}
