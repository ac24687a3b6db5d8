package dev.tern.perf.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables people read after a run: per step and workload the offered and achieved rates, successes, errors by
 * code and latency percentiles (microseconds, from each request's intended send time); and the ramp's steps with
 * their verdicts. One row model feeds the text summary and the HTML page.
 */
public final class SummaryTable
{
    /** Columns of the results table. */
    public static final List<String> HEADERS = List.of("step", "workload", "offered/s", "achieved/s", "ok",
        "errors", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us");
    /** Columns of the ramp table. */
    public static final List<String> RAMP_HEADERS = List.of("step", "offered/s", "achieved/s", "ok", "errors",
        "p50 us", "p99 us", "p99.9 us", "max us", "verdict");

    private static final List<String> TEXT_COLUMNS = List.of("step", "workload", "errors", "verdict");

    private SummaryTable()
    {
    }

    /**
     * @param step a step's results.
     * @return a row per workload, and one for all together when there are several.
     */
    public static List<List<String>> rows(final StepResult step)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final OpResult op : step.ops())
        {
            rows.add(row(step.label(), op));
        }
        if (step.ops().size() > 1)
        {
            rows.add(row(step.label(), step.all()));
        }
        return rows;
    }

    private static List<String> row(final String label, final OpResult op)
    {
        final Histogram latency = op.latency();
        return List.of(label, op.name(), rate(op.offeredPerSecond()), rate(op.achievedPerSecond()),
            Long.toString(op.ok()), errors(op.errors()), us(latency.getValueAtPercentile(50)),
            us(latency.getValueAtPercentile(90)), us(latency.getValueAtPercentile(99)),
            us(latency.getValueAtPercentile(99.9)), us(latency.getMaxValue()));
    }

    /**
     * @param step    a ramp step's results.
     * @param verdict null when it met the target, else why not.
     * @return its row of the ramp table (all workloads together).
     */
    public static List<String> rampRow(final StepResult step, final String verdict)
    {
        final OpResult all = step.all();
        final Histogram latency = all.latency();
        return List.of(step.label(), rate(step.offeredPerSecond()), rate(all.achievedPerSecond()),
            Long.toString(all.ok()), errors(all.errors()), us(latency.getValueAtPercentile(50)),
            us(latency.getValueAtPercentile(99)), us(latency.getValueAtPercentile(99.9)), us(latency.getMaxValue()),
            null == verdict ? "met" : verdict);
    }

    /**
     * @param steps results of steps.
     * @return the results table of every step, each followed by its generator note.
     */
    public static String text(final List<StepResult> steps)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final StepResult step : steps)
        {
            rows.addAll(rows(step));
        }
        final StringBuilder text = new StringBuilder(render(HEADERS, rows));
        for (final StepResult step : steps)
        {
            text.append(step.label()).append(": ").append(step.generatorNote()).append('\n');
        }
        return text.toString();
    }

    /**
     * @param headers column names.
     * @param rows    cells, each row as long as the headers.
     * @return a fixed-width text table: names left-aligned, numbers right-aligned.
     */
    public static String render(final List<String> headers, final List<List<String>> rows)
    {
        final int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++)
        {
            widths[c] = headers.get(c).length();
            for (final List<String> row : rows)
            {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        final boolean[] left = new boolean[headers.size()];
        for (int c = 0; c < left.length; c++)
        {
            left[c] = isTextColumn(headers.get(c));
        }
        final StringBuilder text = new StringBuilder();
        line(text, headers, widths, left);
        for (final List<String> row : rows)
        {
            line(text, row, widths, left);
        }
        return text.toString();
    }

    private static void line(final StringBuilder text, final List<String> cells, final int[] widths,
        final boolean[] left)
    {
        for (int c = 0; c < widths.length; c++)
        {
            final String cell = cells.get(c);
            final String padding = " ".repeat(widths[c] - cell.length());
            text.append(c == 0 ? "" : "  ").append(left[c] ? cell + padding : padding + cell);
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ')
        {
            end--;
        }
        text.setLength(end);
        text.append('\n');
    }

    /**
     * @param header a column's name.
     * @return true for columns of names and words (left-aligned), false for numbers.
     */
    public static boolean isTextColumn(final String header)
    {
        return TEXT_COLUMNS.contains(header);
    }

    /**
     * @param errors counts by code.
     * @return {@code CODE=n CODE=n}, or {@code -} when there are none.
     */
    public static String errors(final Map<String, Long> errors)
    {
        if (errors.isEmpty())
        {
            return "-";
        }
        final StringBuilder text = new StringBuilder();
        errors.forEach((code, count) -> text.append(text.length() == 0 ? "" : " ").append(code).append('=')
            .append(count));
        return text.toString();
    }

    /**
     * @param perSecond a rate.
     * @return it with one decimal.
     */
    public static String rate(final double perSecond)
    {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /**
     * @param ns a latency, ns.
     * @return it in microseconds with one decimal.
     */
    public static String us(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }

    /**
     * @param ns a duration, ns.
     * @return it for a sentence, in a fitting unit: {@code 850 ns}, {@code 85.2 us}, {@code 1.25 ms}, {@code 2.50 s}.
     */
    public static String formatNs(final long ns)
    {
        if (ns < 1_000)
        {
            return ns + " ns";
        }
        if (ns < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        if (ns < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }
}
