package dev.tern.perf.storage;

import dev.tern.storage.ResultCode;
import dev.tern.storage.StorageNode;
import dev.tern.storage.ValueView;
import dev.tern.storage.cache.ValueCache;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Files;

import static dev.tern.perf.storage.StorageBenchmark.KEY_LENGTH;
import static dev.tern.perf.storage.StorageBenchmark.VALUE_LENGTH;

/**
 * Recovery speed and memory per key of the storage node, with 16-byte keys and 128-byte values:
 * <ol>
 *   <li>load N keys (one put each) and report the load rate; read each once (a cache miss served from the
 *   binlog, which fills the cache) and report that rate;</li>
 *   <li>report bytes of memory per key beyond the key and value: index slots and arena entry, and a cache item's
 *   overhead when the value is cached;</li>
 *   <li>close, reopen: the whole binlog is replayed; report MB/s replayed and the time to start;</li>
 *   <li>take a snapshot, close, reopen: the snapshot is loaded; report the time to start.</li>
 * </ol>
 * Usage: {@code java -cp perf/target/tern-benchmarks.jar <JVM flags> dev.tern.perf.storage.RecoveryMain [keys] [dir]}
 * (10,000,000 keys and java.io.tmpdir by default; needs about 3 GB of disk per 10 million keys).
 */
public final class RecoveryMain
{
    private RecoveryMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int keys = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final File base = StorageBenchmark.baseDir(args.length > 1 ? args[1] : "");
        final File dir = Files.createTempDirectory(base.toPath(), "tern-recovery").toFile();
        final long cacheBytes = Math.min(ValueCache.MAX_CAPACITY, Math.max(ValueCache.PAGE_SIZE, keys * 200L));
        try
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
            long start = System.nanoTime();
            try (StorageNode node = StorageNode.launch(StorageBenchmark.context(dir, keys, cacheBytes)))
            {
                for (int i = 0; i < keys; i++)
                {
                    StorageBenchmark.key(key, i);
                    value.putLong(0, i);
                    if (ResultCode.OK != node.put(0, 0, key, 0, KEY_LENGTH, value, 0, VALUE_LENGTH))
                    {
                        throw new IllegalStateException("load failed at key " + i);
                    }
                }
                node.flush();
                final double loadSeconds = seconds(start);
                System.out.printf("loaded %,d keys in %.2f s: %,.0f puts/s%n", keys, loadSeconds, keys / loadSeconds);
                start = System.nanoTime();
                final ValueView view = new ValueView();
                for (int i = 0; i < keys; i++)
                {
                    StorageBenchmark.key(key, i);
                    node.get(key, 0, KEY_LENGTH, view);
                }
                final double readSeconds = seconds(start);
                System.out.printf("read every key once (cache misses, from the binlog) in %.2f s: %,.0f gets/s%n",
                    readSeconds, keys / readSeconds);
                final double indexBytes = (node.indexAndArenaBytes() - (double)keys * KEY_LENGTH) / keys;
                final double cacheBytesPerKey = (node.cacheUsedBytes() - (double)keys * VALUE_LENGTH) / keys;
                System.out.printf("memory per key beyond key and value: %.1f bytes of index and arena, " +
                    "%.1f more when the value is cached (%.1f total)%n", indexBytes, cacheBytesPerKey,
                    indexBytes + cacheBytesPerKey);
            }

            start = System.nanoTime();
            try (StorageNode node = StorageNode.launch(StorageBenchmark.context(dir, keys, cacheBytes)))
            {
                final double seconds = seconds(start);
                System.out.printf("replayed the binlog: %,d records, %,.1f MB in %.2f s: %,.0f MB/s; started in %.2f s%n",
                    node.recoveryRecords(), node.recoveryBytes() / 1e6, seconds, node.recoveryBytes() / 1e6 / seconds,
                    seconds);
                start = System.nanoTime();
                node.startSnapshot();
                while (node.isSnapshotInProgress())
                {
                    node.doWork();
                }
                System.out.printf("took a snapshot in %.2f s: %,.1f MB%n", seconds(start),
                    node.latestSnapshot().file().length() / 1e6);
            }

            start = System.nanoTime();
            try (StorageNode node = StorageNode.launch(StorageBenchmark.context(dir, keys, cacheBytes)))
            {
                System.out.printf("started from the snapshot with %,d keys in %.2f s%n", node.keyCount(), seconds(start));
            }
        }
        finally
        {
            StorageBenchmark.deleteTree(dir);
        }
    }

    private static double seconds(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1e9;
    }
}
