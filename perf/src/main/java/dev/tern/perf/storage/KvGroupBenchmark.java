package dev.tern.perf.storage;

import dev.tern.perf.codec.Messages;
import dev.tern.perf.load.KvTarget;
import dev.tern.storage.client.KvClient;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Replicated KV operations through the client library against a 3-replica KVSvr group in the benchmark's process
 * (its own media driver; real UDP on 127.0.0.1), 16-byte keys and 128-byte values, {@code window} requests in
 * flight: quorum puts and linearizable gets per second. Its raw ceiling in the same run:
 * {@code AeronBenchmark.echo} over UDP with the KV put request and the same window. Failed operations are counted
 * and printed at the end of the trial.
 * <p>
 * Run: {@code java -jar perf/target/tern-benchmarks.jar 'KvGroupBenchmark|AeronBenchmark.echo' -p transport=udp
 * -p message=kv-put-request}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx1g",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.announcer.disable=true",
    "-Dorg.slf4j.simpleLogger.log.net.openhft=warn",
    "-Dsbe.enable.precedence.checks=false"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class KvGroupBenchmark
{
    @Param("64")
    public int window;

    @Param("10000")
    public int keys;

    private File dir;
    private KvTarget group;
    private EmbeddedDriver driver;
    private KvWindow requests;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[Messages.KEY_LENGTH]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[Messages.VALUE_LENGTH]);
    private long consumed;
    private long nextKey;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("tern-kv-group-bench").toFile();
        group = KvTarget.inProcess(new File(dir, "kv"), new File(dir, "monitor"));
        driver = EmbeddedDriver.launch(new EmbeddedDriver.Context().aeronDir(CommonContext.generateRandomDirName()));
        requests = new KvWindow(
            KvClient.connect(new KvClient.Context().aeron(driver.aeron()).cluster(group.cluster())), window);
        requests.putAll(key, value, 0, keys);
        if (requests.failed > 0)
        {
            throw new IllegalStateException(requests.failed + " of " + keys + " preload puts failed");
        }
        consumed = requests.completed;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        requests.drain();
        System.out.println("KvGroupBenchmark: " + requests.completed + " operations, " + requests.failed + " failed");
        CloseHelper.quietCloseAll(requests.client, driver, group);
        IoUtil.delete(dir, true);
    }

    private int nextKey()
    {
        nextKey = nextKey + 7919 >= keys ? (nextKey + 7919) % keys : nextKey + 7919;
        key.putLong(8, nextKey);
        return key.capacity();
    }

    /** One benchmark operation is one answer: a poll may deliver several, and each is counted once. */
    private long awaitOne()
    {
        while (requests.completed == consumed)
        {
            requests.idle.idle(requests.client.poll());
        }
        requests.idle.reset();
        return ++consumed;
    }

    @Benchmark
    public long put()
    {
        while (requests.tryPut(key, nextKey(), value))
        {
            // fill the window
        }
        return awaitOne();
    }

    @Benchmark
    public long get()
    {
        while (requests.tryGet(key, nextKey()))
        {
            // fill the window
        }
        return awaitOne();
    }
}
