package dev.tern.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class FractionsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadTimeAndRateScoresAsOperationsPerSecond()
    {
        assertEquals(1e8, new Fractions.Score("x", Map.of(), 10, "ns/op").opsPerSecond(), 1);
        assertEquals(2e6, new Fractions.Score("x", Map.of(), 2000, "ops/ms").opsPerSecond(), 1e-3);
        assertEquals(5e5, new Fractions.Score("x", Map.of(), 2, "us/op").opsPerSecond(), 1e-3);
    }

    @Test
    void shouldPutEachFigureNextToTheCeilingWithTheSameSharedParameters()
    {
        final String table = Fractions.markdown(List.of(
            new Fractions.Score("PipelineBenchmark.rawDisruptor", Map.of("depth", "2"), 400_000, "ops/s"),
            new Fractions.Score("PipelineBenchmark.rawDisruptor", Map.of("depth", "4"), 200_000, "ops/s"),
            new Fractions.Score("PipelineBenchmark.servicePipeline", Map.of("depth", "4", "window", "64"), 50_000,
                "ops/s")));

        assertTrue(table.contains("| service pipeline (IPC in and out) (depth=4, window=64) | 50,000 ops/s | " +
            "raw Disruptor, same depth (depth=4) | 200,000 ops/s | 25.0% |"), table);
        assertTrue(table.contains("Aeron IPC echo, same window: not in this run"), table);
        assertTrue(table.contains("| PipelineBenchmark.rawDisruptor (depth=2) | 400,000 ops/s |"), table);
    }

    @Test
    void shouldCompareATimePerOperationWithItsCeiling()
    {
        final String table = Fractions.markdown(List.of(
            new Fractions.Score("MonitorBenchmark.add", Map.of(), 4, "ns/op"),
            new Fractions.Score("MonitorBenchmark.atomicLongIncrement", Map.of(), 3, "ns/op")));

        assertTrue(table.contains("| Monitor.add | 4.00 ns/op | AtomicLong increment | 3.00 ns/op | 75.0% |"), table);
    }

    @Test
    void shouldPickTheCeilingWithTheParametersThePairNames()
    {
        final String table = Fractions.markdown(List.of(
            new Fractions.Score("KvGroupBenchmark.put", Map.of("window", "64", "keys", "10000"), 60_000, "ops/s"),
            new Fractions.Score("AeronBenchmark.echo", Map.of("transport", "ipc", "message", "kv-put-request",
                "window", "64"), 5_000_000, "ops/s"),
            new Fractions.Score("AeronBenchmark.echo", Map.of("transport", "udp", "message", "kv-put-request",
                "window", "64"), 600_000, "ops/s")));

        assertTrue(table.contains("| 600,000 ops/s | 10.0% |"), table);
    }

    @Test
    void shouldReadAJmhCsvResult() throws IOException
    {
        final Path csv = dir.resolve("results.csv");
        Files.writeString(csv, String.join("\n",
            "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"," +
                "\"Param: depth\",\"Param: window\"",
            "\"dev.tern.perf.pipeline.PipelineBenchmark.rawDisruptor\",\"thrpt\",1,2,271408.141,NaN,\"ops/s\",2,",
            "\"dev.tern.perf.monitor.MonitorBenchmark.add\",\"avgt\",1,5,3.5,0.1,\"ns/op\",,", ""));

        final List<Fractions.Score> scores = Fractions.readCsv(csv);
        assertEquals(List.of(
            new Fractions.Score("PipelineBenchmark.rawDisruptor", Map.of("depth", "2"), 271408.141, "ops/s"),
            new Fractions.Score("MonitorBenchmark.add", Map.of(), 3.5, "ns/op")), scores);
    }

    @Test
    void shouldRefuseAFileThatIsNoJmhCsv() throws IOException
    {
        final Path file = dir.resolve("x.csv");
        Files.writeString(file, "hello\n");
        assertThrows(IllegalArgumentException.class, () -> Fractions.readCsv(file));
    }
}
