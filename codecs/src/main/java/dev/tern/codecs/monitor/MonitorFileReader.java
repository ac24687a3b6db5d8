package dev.tern.codecs.monitor;

import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

import static dev.tern.codecs.monitor.MonitorFileLayout.*;

/**
 * Reads a monitor file written by another process: its header (who wrote it, whether that process is alive) and
 * its counters. Maps the file read-only; never changes it. One instance per reading thread.
 */
public final class MonitorFileReader implements AutoCloseable
{
    /** Whether the file's writer is still running. */
    public enum Liveness
    {
        /** The writing process runs. */
        ALIVE,
        /** The writer closed the file on a clean stop. */
        CLOSED,
        /** The writing process is gone without closing the file: it crashed or was killed. */
        DEAD
    }

    /** Receives each counter of a file. */
    @FunctionalInterface
    public interface CounterConsumer
    {
        /**
         * @param monitorId the monitor ID.
         * @param kind      counter or gauge.
         * @param unit      the unit.
         * @param name      the dotted name.
         * @param value     the current value.
         */
        void accept(int monitorId, MonitorKind kind, String unit, String name, long value);
    }

    /** Receives each counter of a file without allocating. */
    @FunctionalInterface
    public interface ValueConsumer
    {
        /**
         * @param counterId the slot of the counter in the file, stable for the file's life.
         * @param monitorId the monitor ID.
         * @param kindCode  the {@link MonitorKind} value.
         * @param value     the current value.
         */
        void accept(int counterId, int monitorId, int kindCode, long value);
    }

    private final File file;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer header;
    private final CountersReader counters;
    private final AtomicBuffer errorLog;
    private final Object fileKey;

    private MonitorFileReader(final File file, final MappedByteBuffer mapped, final Object fileKey)
    {
        this.file = file;
        this.mapped = mapped;
        this.fileKey = fileKey;
        final UnsafeBuffer whole = new UnsafeBuffer(mapped);
        header = new UnsafeBuffer(whole, 0, HEADER_LENGTH);
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        final int errorLogLength = header.getInt(ERROR_LOG_LENGTH_OFFSET);
        final AtomicBuffer metadata = new UnsafeBuffer(whole, HEADER_LENGTH, metadataLength);
        final AtomicBuffer values = new UnsafeBuffer(whole, HEADER_LENGTH + metadataLength, valuesLength);
        errorLog = new UnsafeBuffer(whole, HEADER_LENGTH + metadataLength + valuesLength, errorLogLength);
        counters = new CountersReader(metadata, values, StandardCharsets.US_ASCII);
    }

    /**
     * Map a monitor file for reading.
     *
     * @param file the file.
     * @return the reader, or null when the file is missing, not a complete Tern monitor file, or of another layout
     * version (a file still being created is not complete).
     */
    public static MonitorFileReader open(final File file)
    {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH)
            {
                return null;
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
            final long expected = (long)HEADER_LENGTH + header.getInt(METADATA_LENGTH_OFFSET) +
                header.getInt(VALUES_LENGTH_OFFSET) + header.getInt(ERROR_LOG_LENGTH_OFFSET);
            if (header.getLongVolatile(MAGIC_OFFSET) != MAGIC ||
                header.getInt(LAYOUT_VERSION_OFFSET) != LAYOUT_VERSION ||
                header.getInt(METADATA_LENGTH_OFFSET) < 0 || header.getInt(VALUES_LENGTH_OFFSET) < 0 ||
                header.getInt(ERROR_LOG_LENGTH_OFFSET) < 0 || expected > size ||
                header.getInt(METADATA_LENGTH_OFFSET) != header.getInt(VALUES_LENGTH_OFFSET) *
                (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH))
            {
                IoUtil.unmap(mapped);
                return null;
            }
            final Object fileKey = java.nio.file.Files.readAttributes(file.toPath(),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return new MonitorFileReader(file, mapped, fileKey);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * @return true when the path now names a different file than the one mapped: the writer restarted and replaced
     * it, or it was deleted.
     */
    public boolean isReplaced()
    {
        try
        {
            final Object current = java.nio.file.Files.readAttributes(file.toPath(),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return null == fileKey ? null == current : !fileKey.equals(current);
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * A file cut shorter than its mapping would fault on the next read of the missing pages: check before reading.
     *
     * @return true when the file on disk is now shorter than the length mapped, or is gone.
     */
    public boolean isTruncated()
    {
        return file.length() < mapped.capacity();
    }

    /** @return the file read. */
    public File file()
    {
        return file;
    }

    public long pid()
    {
        return header.getLong(PID_OFFSET);
    }

    public String name()
    {
        return getText(header, NAME_OFFSET);
    }

    public String host()
    {
        return getText(header, HOST_OFFSET);
    }

    public long processStartMs()
    {
        return header.getLong(PROCESS_START_MS_OFFSET);
    }

    public long fileCreatedMs()
    {
        return header.getLong(FILE_CREATED_MS_OFFSET);
    }

    public long heartbeatMs()
    {
        return header.getLongVolatile(HEARTBEAT_MS_OFFSET);
    }

    public long closedMs()
    {
        return header.getLongVolatile(CLOSED_MS_OFFSET);
    }

    /**
     * Whether the writer runs: by the closed mark, then by asking the OS for the pid and comparing the process start
     * time recorded in the file, so a reused pid is not taken for the writer. Only meaningful on the writer's machine.
     *
     * @return the writer's state.
     */
    public Liveness liveness()
    {
        if (closedMs() != 0)
        {
            return Liveness.CLOSED;
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid());
        if (process.isEmpty() || !process.get().isAlive())
        {
            return Liveness.DEAD;
        }
        final long recordedStartMs = processStartMs();
        final long startMs = process.get().info().startInstant().map(Instant::toEpochMilli).orElse(recordedStartMs);
        return Math.abs(startMs - recordedStartMs) <= 1000 ? Liveness.ALIVE : Liveness.DEAD;
    }

    /** @return the Agrona view of the counters, for tools that speak CountersReader. */
    public CountersReader counters()
    {
        return counters;
    }

    /**
     * Visit every allocated counter with its name and unit. Allocates strings: for tools, not for sampling loops.
     *
     * @param consumer receives each counter.
     */
    public void forEach(final CounterConsumer consumer)
    {
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final MonitorKind kind = MonitorKind.get((short)keyBuffer.getInt(KEY_KIND_OFFSET));
            consumer.accept(typeId, kind, unitOf(keyBuffer), label, counters.getCounterValue(counterId));
        });
    }

    /**
     * Visit every allocated counter's value without allocating: the sampling loop of the agent.
     *
     * @param consumer receives each counter.
     * @return the number of counters visited.
     */
    public int forEachValue(final ValueConsumer consumer)
    {
        int count = 0;
        for (int counterId = 0, max = counters.maxCounterId(); counterId <= max; counterId++)
        {
            final int state = counters.getCounterState(counterId);
            if (CountersReader.RECORD_ALLOCATED == state)
            {
                consumer.accept(counterId, counters.getCounterTypeId(counterId), kindCode(counterId),
                    counters.getCounterValue(counterId));
                count++;
            }
            else if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
        }
        return count;
    }

    /**
     * @param counterId a counter slot.
     * @return the {@link MonitorKind} value of the counter.
     */
    public int kindCode(final int counterId)
    {
        return counters.metaDataBuffer().getInt(
            CountersReader.metaDataOffset(counterId) + CountersReader.KEY_OFFSET + KEY_KIND_OFFSET);
    }

    /**
     * @param counterId a counter slot.
     * @return the unit of the counter.
     */
    public String unit(final int counterId)
    {
        final int keyOffset = CountersReader.metaDataOffset(counterId) + CountersReader.KEY_OFFSET;
        return unitOf(new UnsafeBuffer(counters.metaDataBuffer(), keyOffset, CountersReader.MAX_KEY_LENGTH));
    }

    /**
     * Read the distinct errors the writer recorded.
     *
     * @param consumer receives each distinct error with its count and first and last times.
     * @return the number of distinct errors.
     */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errorLog, consumer);
    }

    public void close()
    {
        IoUtil.unmap(mapped);
    }

    private static String unitOf(final DirectBuffer keyBuffer)
    {
        final int length = Math.max(0, Math.min(keyBuffer.getInt(KEY_UNIT_LENGTH_OFFSET), MAX_UNIT_LENGTH));
        return keyBuffer.getStringWithoutLengthAscii(KEY_UNIT_OFFSET, length);
    }
}
