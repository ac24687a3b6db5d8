package dev.tern.perf.monitor;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of the ID-Value API a service calls: {@code Monitor.add}, {@code set} and {@code setMax} on a
 * memory-mapped monitor file, with a plain {@code AtomicLong.incrementAndGet} in the same run as the yardstick (goal:
 * add within 1.5x of it). Single-threaded, uncontended.
 * <p>
 * Run: {@code java -jar perf/target/tern-benchmarks.jar MonitorBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MonitorBenchmark
{
    private static final int REQUESTS = MonitorId.DEMO_REQUESTS.id();
    private static final int DEPTH = MonitorId.DEMO_QUEUE_DEPTH.id();
    private static final int LATENCY = MonitorId.DEMO_LATENCY_MAX_US.id();

    private File dir;
    private Monitor monitor;
    private final AtomicLong atomic = new AtomicLong();
    private long value;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("tern-monitor-bench").toFile();
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("bench").heartbeatIntervalMs(0));
        monitor.declare(MonitorId.DEMO_REQUESTS, MonitorId.DEMO_QUEUE_DEPTH, MonitorId.DEMO_LATENCY_MAX_US);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        monitor.close();
        for (final File file : dir.listFiles())
        {
            file.delete();
        }
        dir.delete();
    }

    @Benchmark
    public void add()
    {
        monitor.add(REQUESTS, 1);
    }

    @Benchmark
    public void set()
    {
        monitor.set(DEPTH, ++value);
    }

    /** The rising case, where every call writes: the upper bound of setMax. */
    @Benchmark
    public void setMaxRising()
    {
        monitor.setMax(LATENCY, ++value);
    }

    @Benchmark
    public long atomicLongIncrement()
    {
        return atomic.incrementAndGet();
    }
}
