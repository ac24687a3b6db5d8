package dev.tern.perf;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the JMH suite (or the benchmarks the JMH options select) and prints every Tern figure next to its raw
 * ceiling from the same run, with the fraction it reaches ({@link Fractions}). With {@code --from FILE} it reads a
 * JMH CSV result instead of running.
 * <pre>
 *   java -cp perf/target/tern-benchmarks.jar dev.tern.perf.BenchSuite -rf csv -rff results.csv
 *   java -cp perf/target/tern-benchmarks.jar dev.tern.perf.BenchSuite 'Codec|Monitor' -wi 1 -i 2
 *   java -cp perf/target/tern-benchmarks.jar dev.tern.perf.BenchSuite --from results.csv
 * </pre>
 */
public final class BenchSuite
{
    private BenchSuite()
    {
    }

    /**
     * @param args JMH's options (see {@code java -jar tern-benchmarks.jar -h}), or {@code --from FILE}.
     * @throws RunnerException when JMH fails.
     * @throws IOException     when the CSV file cannot be read.
     */
    public static void main(final String[] args) throws RunnerException, IOException
    {
        final List<Fractions.Score> scores;
        if (args.length == 2 && "--from".equals(args[0]))
        {
            scores = Fractions.readCsv(Path.of(args[1]));
        }
        else
        {
            final CommandLineOptions options;
            try
            {
                options = new CommandLineOptions(args);
            }
            catch (final CommandLineOptionException ex)
            {
                System.err.println("BenchSuite: " + ex.getMessage());
                System.exit(2);
                return;
            }
            scores = new ArrayList<>();
            for (final RunResult result : new Runner(options).run())
            {
                final BenchmarkParams params = result.getParams();
                final Map<String, String> values = new LinkedHashMap<>();
                for (final String key : params.getParamsKeys())
                {
                    if (!params.getParam(key).isEmpty())
                    {
                        values.put(key, params.getParam(key));
                    }
                }
                scores.add(new Fractions.Score(Fractions.simpleName(params.getBenchmark()), values,
                    result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreUnit()));
            }
        }
        System.out.println();
        System.out.println("Tern figures as fractions of their raw ceilings (one run):");
        System.out.println();
        System.out.print(Fractions.markdown(scores));
    }
}
