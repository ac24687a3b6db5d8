package dev.tern.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the JMH results of one run as Tern's figures next to the raw ceilings they are built on: each Tern figure
 * with the raw part's score from the same run (same shared parameters, e.g. depth or window) and the fraction of
 * the ceiling it reaches, as a Markdown table (parameters in name order). Every other result follows in a second table, so nothing measured is
 * left out.
 * <p>
 * The pairs: Monitor add/set on an AtomicLong increment; SBE encode/decode on copying the frame's bytes; a Tern
 * service pipeline on a raw Disruptor of the same depth and on an Aeron IPC echo with the same window; storage put,
 * binlog append and table append on Chronicle Queue's raw append of the same record; quorum KV put/get on an Aeron
 * UDP echo of the KV put request with the same window.
 */
public final class Fractions
{
    /**
     * One JMH result.
     *
     * @param benchmark the benchmark's simple name, e.g. {@code StorageBenchmark.put}.
     * @param params    its parameters.
     * @param score     its score.
     * @param unit      the score's unit: {@code ops/s}, {@code ops/ms}, {@code ns/op}, {@code us/op}, ...
     */
    public record Score(String benchmark, Map<String, String> params, double score, String unit)
    {
        /**
         * @return the score as operations per second.
         * @throws IllegalArgumentException on a unit this reader does not know.
         */
        public double opsPerSecond()
        {
            final String[] parts = unit.split("/");
            if (parts.length != 2)
            {
                throw new IllegalArgumentException("unit " + unit);
            }
            if ("op".equals(parts[1]) || "ops".equals(parts[1]))
            {
                return 1e9 / (score * nanos(parts[0]));
            }
            return score * 1e9 / nanos(parts[1]);
        }

        private static double nanos(final String unit)
        {
            switch (unit)
            {
                case "ns":
                    return 1;
                case "us":
                    return 1e3;
                case "ms":
                    return 1e6;
                case "s":
                    return 1e9;
                case "min":
                    return 60e9;
                default:
                    throw new IllegalArgumentException("time unit " + unit);
            }
        }

        /** @return the score in its unit, for people. */
        public String formatted()
        {
            return (score >= 100 ? String.format(Locale.ROOT, "%,.0f", score) :
                String.format(Locale.ROOT, "%.2f", score)) + " " + unit;
        }

        /** @return the benchmark and its parameters, for people. */
        public String describe()
        {
            if (params.isEmpty())
            {
                return benchmark;
            }
            final StringBuilder text = new StringBuilder(benchmark).append(" (");
            new TreeMap<>(params).forEach((name, value) -> text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ")
                .append(name).append('=').append(value));
            return text.append(')').toString();
        }
    }

    /**
     * A Tern figure and the raw ceiling it is read against.
     *
     * @param figure        what the Tern figure is, for people.
     * @param benchmark     the Tern benchmark.
     * @param ceiling       the raw part, for people.
     * @param raw           the raw benchmark.
     * @param rawParams     parameters the raw result must have besides those it shares with the figure.
     */
    record Pair(String figure, String benchmark, String ceiling, String raw, Map<String, String> rawParams)
    {
    }

    static final List<Pair> PAIRS = List.of(
        new Pair("Monitor.add", "MonitorBenchmark.add", "AtomicLong increment",
            "MonitorBenchmark.atomicLongIncrement", Map.of()),
        new Pair("Monitor.set", "MonitorBenchmark.set", "AtomicLong increment",
            "MonitorBenchmark.atomicLongIncrement", Map.of()),
        new Pair("SBE encode, client request", "CodecBenchmark.clientRequestEncode", "copy of its bytes",
            "CodecBenchmark.clientRequestCopy", Map.of()),
        new Pair("SBE decode, client request", "CodecBenchmark.clientRequestDecode", "copy of its bytes",
            "CodecBenchmark.clientRequestCopy", Map.of()),
        new Pair("SBE encode, KV put request", "CodecBenchmark.kvPutRequestEncode", "copy of its bytes",
            "CodecBenchmark.kvPutRequestCopy", Map.of()),
        new Pair("SBE decode, KV put request", "CodecBenchmark.kvPutRequestDecode", "copy of its bytes",
            "CodecBenchmark.kvPutRequestCopy", Map.of()),
        new Pair("service pipeline (IPC in and out)", "PipelineBenchmark.servicePipeline",
            "raw Disruptor, same depth", "PipelineBenchmark.rawDisruptor", Map.of()),
        new Pair("service pipeline (IPC in and out)", "PipelineBenchmark.servicePipeline",
            "Aeron IPC echo, same window", "AeronBenchmark.echo",
            Map.of("transport", "ipc", "message", "client-request")),
        new Pair("storage put (16 B key, 128 B value)", "StorageBenchmark.put", "Chronicle Queue raw append",
            "StorageBenchmark.rawAppend", Map.of()),
        new Pair("binlog append", "StorageBenchmark.binlogAppend", "Chronicle Queue raw append",
            "StorageBenchmark.rawAppend", Map.of()),
        new Pair("table append", "StorageBenchmark.tableAppend", "Chronicle Queue raw append",
            "StorageBenchmark.rawAppend", Map.of()),
        new Pair("KV quorum put, 3 replicas", "KvGroupBenchmark.put", "Aeron UDP echo, same window",
            "AeronBenchmark.echo", Map.of("transport", "udp", "message", "kv-put-request")),
        new Pair("KV linearizable get, 3 replicas", "KvGroupBenchmark.get", "Aeron UDP echo, same window",
            "AeronBenchmark.echo", Map.of("transport", "udp", "message", "kv-put-request")));

    private Fractions()
    {
    }

    /**
     * @param scores the results of one run.
     * @return the Markdown tables: figures with their ceilings and fractions, then every other result.
     */
    public static String markdown(final List<Score> scores)
    {
        final StringBuilder text = new StringBuilder();
        text.append("| Tern figure | score | raw ceiling | score | fraction of ceiling |\n");
        text.append("|---|---:|---|---:|---:|\n");
        final List<Score> used = new ArrayList<>();
        for (final Pair pair : PAIRS)
        {
            for (final Score figure : scores)
            {
                if (!figure.benchmark().equals(pair.benchmark()))
                {
                    continue;
                }
                final Score raw = ceilingOf(figure, pair, scores);
                used.add(figure);
                text.append("| ").append(pair.figure()).append(params(figure)).append(" | ")
                    .append(figure.formatted()).append(" | ");
                if (null == raw)
                {
                    text.append(pair.ceiling()).append(": not in this run | | |\n");
                    continue;
                }
                used.add(raw);
                text.append(pair.ceiling()).append(params(raw)).append(" | ").append(raw.formatted()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * figure.opsPerSecond() / raw.opsPerSecond()))
                    .append(" |\n");
            }
        }
        final List<Score> rest = new ArrayList<>(scores);
        rest.removeAll(used);
        if (!rest.isEmpty())
        {
            text.append("\n| other result | score |\n|---|---:|\n");
            for (final Score score : rest)
            {
                text.append("| ").append(score.describe()).append(" | ").append(score.formatted()).append(" |\n");
            }
        }
        return text.toString();
    }

    private static Score ceilingOf(final Score figure, final Pair pair, final List<Score> scores)
    {
        for (final Score raw : scores)
        {
            if (!raw.benchmark().equals(pair.raw()))
            {
                continue;
            }
            boolean matches = true;
            for (final Map.Entry<String, String> param : raw.params().entrySet())
            {
                final String wanted = pair.rawParams().containsKey(param.getKey()) ?
                    pair.rawParams().get(param.getKey()) : figure.params().get(param.getKey());
                matches &= null == wanted || wanted.equals(param.getValue());
            }
            if (matches)
            {
                return raw;
            }
        }
        return null;
    }

    private static String params(final Score score)
    {
        if (score.params().isEmpty())
        {
            return "";
        }
        final StringBuilder text = new StringBuilder(" (");
        new TreeMap<>(score.params()).forEach((name, value) -> text.append(text.length() == 2 ? "" : ", ").append(name)
            .append('=').append(value));
        return text.append(')').toString();
    }

    /**
     * @param csv a JMH result file written with {@code -rf csv}.
     * @return its results.
     * @throws IOException when the file cannot be read.
     * @throws IllegalArgumentException when it is not a JMH CSV result.
     */
    public static List<Score> readCsv(final Path csv) throws IOException
    {
        final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("\"Benchmark\""))
        {
            throw new IllegalArgumentException(csv + " is not a JMH CSV result (run JMH with -rf csv)");
        }
        final List<String> header = cells(lines.get(0));
        final int benchmark = header.indexOf("Benchmark");
        final int score = header.indexOf("Score");
        final int unit = header.indexOf("Unit");
        final List<Score> scores = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final List<String> cells = cells(line);
            final Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++)
            {
                if (header.get(i).startsWith("Param: ") && i < cells.size() && !cells.get(i).isEmpty())
                {
                    params.put(header.get(i).substring("Param: ".length()), cells.get(i));
                }
            }
            scores.add(new Score(simpleName(cells.get(benchmark)), params, Double.parseDouble(cells.get(score)),
                cells.get(unit)));
        }
        return scores;
    }

    /**
     * @param name a benchmark's full name, {@code dev.tern.perf.storage.StorageBenchmark.put}.
     * @return its class's simple name and method, {@code StorageBenchmark.put}.
     */
    public static String simpleName(final String name)
    {
        final int method = name.lastIndexOf('.');
        final int type = name.lastIndexOf('.', method - 1);
        return name.substring(type + 1);
    }

    private static List<String> cells(final String line)
    {
        final List<String> cells = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if ('"' == c)
            {
                quoted = !quoted;
            }
            else if (',' == c && !quoted)
            {
                cells.add(cell.toString());
                cell.setLength(0);
            }
            else
            {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
