package dev.tern.codecs.monitor;

import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import static dev.tern.codecs.monitor.MonitorFileLayout.*;

/**
 * The ID-Value monitoring API a service calls: {@link #add(int, long)}, {@link #set(int, long)} and
 * {@link #setMax(int, long)} on 64-bit values identified by monitor ID.
 * <p>
 * Values live in a memory-mapped monitor file ({@link MonitorFileLayout}) that {@code tern counters} and
 * {@code tern agent} read from other processes. The value methods are lock-free, allocate nothing and may be called
 * from any thread. An ID must be declared first ({@link #declare(MonitorId...)}); a value call naming an undeclared
 * ID changes nothing and is counted under {@link MonitorId#MONITOR_UNKNOWN_ID}.
 * <p>
 * Declaring and closing are thread-safe but not meant for hot paths.
 */
public final class Monitor implements AutoCloseable
{
    private static final int NOT_DECLARED = 0;

    private final Context ctx;
    private final File file;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer header;
    private final AtomicBuffer values;
    private final CountersManager countersManager;
    private final DistinctErrorLog errorLog;
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(new byte[MonitorFileLayout.KEY_UNIT_OFFSET + MAX_UNIT_LENGTH]);
    private final ErrorHandler errorHandler;
    private final AgentRunner heartbeatRunner;
    private final int unknownIdOffset;
    private final int errorsOffset;
    /** Values-buffer offset of each declared ID, indexed by ID; replaced whole when it grows. */
    private volatile int[] offsetById = new int[0];
    private boolean closed;

    private Monitor(final Context ctx)
    {
        this.ctx = ctx;
        final File dir = ctx.dir();
        file = new File(dir, ctx.name() + FILE_SUFFIX);
        final long fileLength = fileLength(ctx.maxCounters(), ctx.errorLogLength());
        final File tmp = new File(dir, "." + ctx.name() + "." + ProcessHandle.current().pid() + ".tmp");

        try
        {
            Files.createDirectories(dir.toPath());
            refuseIfOwnedByLiveProcess(file);
            try (RandomAccessFile raf = new RandomAccessFile(tmp, "rw"))
            {
                raf.setLength(fileLength);
            }
            try (FileChannel channel = FileChannel.open(tmp.toPath(),
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE))
            {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength);
            }
        }
        catch (final IOException ex)
        {
            tmp.delete();
            throw new IllegalStateException("cannot create monitor file " + file + ": " + ex.getMessage(), ex);
        }

        final UnsafeBuffer whole = new UnsafeBuffer(mapped);
        final int metadataLength = metadataLength(ctx.maxCounters());
        final int valuesLength = valuesLength(ctx.maxCounters());
        final int errorLogLength = (int)(fileLength - HEADER_LENGTH - metadataLength - valuesLength);

        header = new UnsafeBuffer(whole, 0, HEADER_LENGTH);
        final AtomicBuffer metadata = new UnsafeBuffer(whole, HEADER_LENGTH, metadataLength);
        values = new UnsafeBuffer(whole, HEADER_LENGTH + metadataLength, valuesLength);
        final AtomicBuffer errorLogBuffer = new UnsafeBuffer(whole, HEADER_LENGTH + metadataLength + valuesLength,
            errorLogLength);

        final ProcessHandle self = ProcessHandle.current();
        final long nowMs = ctx.epochClock().time();
        header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putInt(ERROR_LOG_LENGTH_OFFSET, errorLogLength);
        header.putLong(PID_OFFSET, self.pid());
        header.putLong(PROCESS_START_MS_OFFSET, self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L));
        header.putLong(FILE_CREATED_MS_OFFSET, nowMs);
        header.putLong(HEARTBEAT_MS_OFFSET, nowMs);
        header.putLong(CLOSED_MS_OFFSET, 0);
        putText(header, NAME_OFFSET, ctx.name());
        putText(header, HOST_OFFSET, ctx.host());

        countersManager = new CountersManager(metadata, values, StandardCharsets.US_ASCII);
        errorLog = new DistinctErrorLog(errorLogBuffer, ctx.epochClock(), StandardCharsets.UTF_8);

        unknownIdOffset = allocate(MonitorId.MONITOR_UNKNOWN_ID.id(), MonitorId.MONITOR_UNKNOWN_ID.metricName(),
            MonitorKind.COUNTER, MonitorId.MONITOR_UNKNOWN_ID.unit());
        errorsOffset = allocate(MonitorId.MONITOR_ERRORS.id(), MonitorId.MONITOR_ERRORS.metricName(),
            MonitorKind.COUNTER, MonitorId.MONITOR_ERRORS.unit());
        errorHandler = this::recordError;

        header.putLongVolatile(MAGIC_OFFSET, MAGIC);
        mapped.force();
        try
        {
            Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            IoUtil.unmap(mapped);
            tmp.delete();
            throw new IllegalStateException("cannot publish monitor file " + file + ": " + ex.getMessage(), ex);
        }

        if (ctx.heartbeatIntervalMs() > 0)
        {
            heartbeatRunner = new AgentRunner(new SleepingMillisIdleStrategy(ctx.heartbeatIntervalMs()),
                this::onHeartbeatError, null, new MonitorHeartbeatAgent(this, ctx.epochClock(), ctx.name()));
            AgentRunner.startOnThread(heartbeatRunner, runnable ->
            {
                final Thread thread = new Thread(runnable);
                thread.setDaemon(true);
                return thread;
            });
        }
        else
        {
            heartbeatRunner = null;
        }
    }

    /**
     * Create this component's monitor file, replacing the file of a predecessor of the same name that is no longer
     * running.
     *
     * @param ctx the settings; concluded here.
     * @return the monitor, ready for {@link #declare(MonitorId...)}.
     * @throws IllegalStateException when a live process owns a file of the same name, or the file cannot be created.
     */
    public static Monitor launch(final Context ctx)
    {
        ctx.conclude();
        return new Monitor(ctx);
    }

    /**
     * Declare registry IDs so that they appear in the file with value 0. Declaring an ID twice is harmless.
     *
     * @param ids the IDs this component reports.
     * @return this, for chaining.
     */
    public Monitor declare(final MonitorId... ids)
    {
        for (final MonitorId id : ids)
        {
            declare(id.id(), id.metricName(), id.kind(), id.unit());
        }
        return this;
    }

    /**
     * Declare an ID that is not in the {@link MonitorId} registry, such as a synthetic ID of a load test.
     *
     * @param id    from 0 to {@link MonitorConfiguration#MAX_MONITOR_ID}.
     * @param name  the dotted name shown by tools.
     * @param kind  counter or gauge.
     * @param unit  the unit, up to 32 ASCII characters.
     * @throws IllegalArgumentException when the ID is out of range or the kind is not a valid kind.
     * @throws IllegalStateException when the file has no free counter slot.
     */
    public synchronized void declare(final int id, final String name, final MonitorKind kind, final String unit)
    {
        if (id < 0 || id > MonitorConfiguration.MAX_MONITOR_ID)
        {
            throw new IllegalArgumentException("monitor id=" + id + " must be in [0, " +
                MonitorConfiguration.MAX_MONITOR_ID + "]");
        }
        if (kind != MonitorKind.COUNTER && kind != MonitorKind.GAUGE)
        {
            throw new IllegalArgumentException("kind=" + kind + " must be COUNTER or GAUGE");
        }
        final int[] current = offsetById;
        if (id < current.length && current[id] != NOT_DECLARED)
        {
            return;
        }

        final int offset = allocate(id, name, kind, unit);
        final int[] next = id < current.length ? current.clone() : Arrays.copyOf(current, Math.max(id + 1, current.length * 2));
        next[id] = offset;
        offsetById = next;
    }

    /**
     * Add to a counter (or a gauge). Lock-free, no allocation, any thread.
     *
     * @param id    a declared monitor ID; an undeclared one is counted and otherwise ignored.
     * @param delta the amount to add, may be negative.
     */
    public void add(final int id, final long delta)
    {
        final int offset = offsetOf(id);
        if (NOT_DECLARED != offset)
        {
            values.getAndAddLong(offset, delta);
        }
        else
        {
            values.getAndAddLong(unknownIdOffset, 1);
        }
    }

    /**
     * Set a gauge (or a counter) to a value. Lock-free, no allocation, any thread.
     *
     * @param id    a declared monitor ID; an undeclared one is counted and otherwise ignored.
     * @param value the new value.
     */
    public void set(final int id, final long value)
    {
        final int offset = offsetOf(id);
        if (NOT_DECLARED != offset)
        {
            values.putLongRelease(offset, value);
        }
        else
        {
            values.getAndAddLong(unknownIdOffset, 1);
        }
    }

    /**
     * Raise a value to at least {@code value}: the largest value set since the ID's last reset survives. Lock-free,
     * no allocation, any thread.
     *
     * @param id    a declared monitor ID; an undeclared one is counted and otherwise ignored.
     * @param value the candidate maximum.
     */
    public void setMax(final int id, final long value)
    {
        final int offset = offsetOf(id);
        if (NOT_DECLARED != offset)
        {
            long current;
            do
            {
                current = values.getLongVolatile(offset);
                if (current >= value)
                {
                    return;
                }
            }
            while (!values.compareAndSetLong(offset, current, value));
        }
        else
        {
            values.getAndAddLong(unknownIdOffset, 1);
        }
    }

    /** @see #add(int, long) */
    public void add(final MonitorId id, final long delta)
    {
        add(id.id(), delta);
    }

    /** @see #set(int, long) */
    public void set(final MonitorId id, final long value)
    {
        set(id.id(), value);
    }

    /** @see #setMax(int, long) */
    public void setMax(final MonitorId id, final long value)
    {
        setMax(id.id(), value);
    }

    /**
     * Read a value back, mostly for tests and for components that report their own figures.
     *
     * @param id a declared monitor ID.
     * @return the value, or 0 when the ID is not declared.
     */
    public long get(final int id)
    {
        final int offset = offsetOf(id);
        return NOT_DECLARED != offset ? values.getLongVolatile(offset) : 0;
    }

    /**
     * An error handler that records each error once per distinct stack trace in the file's error log (read with
     * {@code tern counters --errors}) and counts it under {@link MonitorId#MONITOR_ERRORS}. Thread-safe.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** @return the monitor file. */
    public File file()
    {
        return file;
    }

    /** @return the component name written in the file. */
    public String name()
    {
        return ctx.name();
    }

    /**
     * Stamp the heartbeat; the heartbeat thread calls this, components without it may call it from their duty cycle.
     *
     * @param nowMs the time, ms since epoch.
     */
    public void heartbeat(final long nowMs)
    {
        header.putLongRelease(HEARTBEAT_MS_OFFSET, nowMs);
    }

    /**
     * Mark the file closed (a clean stop, told apart from a crash) and unmap it. The file stays for readers to see
     * the final values; the next writer of the same name replaces it.
     */
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.quietClose(heartbeatRunner);
            header.putLongVolatile(CLOSED_MS_OFFSET, ctx.epochClock().time());
            IoUtil.unmap(mapped);
        }
    }

    private int offsetOf(final int id)
    {
        final int[] offsets = offsetById;
        return id >= 0 && id < offsets.length ? offsets[id] : NOT_DECLARED;
    }

    private int allocate(final int id, final String name, final MonitorKind kind, final String unit)
    {
        final byte[] unitBytes = unit.getBytes(StandardCharsets.US_ASCII);
        final int unitLength = Math.min(unitBytes.length, MAX_UNIT_LENGTH);
        keyBuffer.putInt(KEY_KIND_OFFSET, kind.value());
        keyBuffer.putInt(KEY_UNIT_LENGTH_OFFSET, unitLength);
        keyBuffer.putBytes(KEY_UNIT_OFFSET, unitBytes, 0, unitLength);
        final byte[] label = name.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer labelBuffer = new UnsafeBuffer(label);

        final int counterId = countersManager.allocate(id, keyBuffer, 0, KEY_UNIT_OFFSET + unitLength,
            labelBuffer, 0, Math.min(label.length, CountersReader.MAX_LABEL_LENGTH));
        return CountersReader.counterOffset(counterId);
    }

    private void recordError(final Throwable error)
    {
        values.getAndAddLong(errorsOffset, 1);
        if (closed || !errorLog.record(error))
        {
            System.err.println("tern monitor " + ctx.name() + ": error log full or closed, error follows");
            error.printStackTrace(System.err);
        }
    }

    private void onHeartbeatError(final Throwable error)
    {
        error.printStackTrace(System.err);
    }

    private static void refuseIfOwnedByLiveProcess(final File file)
    {
        if (!file.exists())
        {
            return;
        }
        try (MonitorFileReader existing = MonitorFileReader.open(file))
        {
            if (null != existing && existing.liveness() == MonitorFileReader.Liveness.ALIVE &&
                existing.pid() != ProcessHandle.current().pid())
            {
                throw new IllegalStateException("monitor file " + file + " belongs to live process pid=" +
                    existing.pid() + "; give this component another name (tern.monitor name) or stop that process");
            }
        }
    }

    /**
     * Settings of a {@link Monitor}. Fluent setters; {@link #conclude()} validates and fills defaults from
     * {@link MonitorConfiguration}.
     */
    public static final class Context
    {
        private File dir;
        private String name;
        private String host;
        private int maxCounters = MonitorConfiguration.maxCounters();
        private int errorLogLength = MonitorConfiguration.errorLogLength();
        private long heartbeatIntervalMs = MonitorConfiguration.heartbeatIntervalMs();
        private EpochClock epochClock;

        /**
         * Validate the settings and fill in what was not given.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == dir)
            {
                dir = MonitorConfiguration.dir();
            }
            if (null == name || name.isEmpty() || !name.matches("[A-Za-z0-9._-]{1,100}"))
            {
                throw new IllegalArgumentException("name=" + name + " must be 1-100 characters of [A-Za-z0-9._-]");
            }
            if (maxCounters < 16 || maxCounters > 1 << 20)
            {
                throw new IllegalArgumentException("maxCounters=" + maxCounters + " must be in [16, 1048576]");
            }
            if (errorLogLength < 4096)
            {
                throw new IllegalArgumentException("errorLogLength=" + errorLogLength + " must be at least 4096");
            }
            if (heartbeatIntervalMs < 0)
            {
                throw new IllegalArgumentException("heartbeatIntervalMs=" + heartbeatIntervalMs + " must be >= 0");
            }
            if (null == host)
            {
                host = MonitorConfiguration.hostName();
            }
            if (null == epochClock)
            {
                epochClock = SystemEpochClock.INSTANCE;
            }
            return this;
        }

        public Context dir(final File dir)
        {
            this.dir = dir;
            return this;
        }

        public File dir()
        {
            return dir;
        }

        /**
         * @param name the component's name, unique among live processes sharing the directory, e.g. {@code engine}.
         * @return this.
         */
        public Context name(final String name)
        {
            this.name = name;
            return this;
        }

        public String name()
        {
            return name;
        }

        public Context host(final String host)
        {
            this.host = host;
            return this;
        }

        public String host()
        {
            return host;
        }

        public Context maxCounters(final int maxCounters)
        {
            this.maxCounters = maxCounters;
            return this;
        }

        public int maxCounters()
        {
            return maxCounters;
        }

        public Context errorLogLength(final int errorLogLength)
        {
            this.errorLogLength = errorLogLength;
            return this;
        }

        public int errorLogLength()
        {
            return errorLogLength;
        }

        public Context heartbeatIntervalMs(final long heartbeatIntervalMs)
        {
            this.heartbeatIntervalMs = heartbeatIntervalMs;
            return this;
        }

        public long heartbeatIntervalMs()
        {
            return heartbeatIntervalMs;
        }

        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        public EpochClock epochClock()
        {
            return epochClock;
        }
    }
}
