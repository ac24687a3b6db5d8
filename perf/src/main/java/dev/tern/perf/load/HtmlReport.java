package dev.tern.perf.load;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The HTML page of a run: what was run, the ramp's steps, the results table, the generator's own timing and the
 * percentile plot, embedded as a data URI. One self-contained file: no script, no CDN, opens from disk.
 */
public final class HtmlReport
{
    private HtmlReport()
    {
    }

    /**
     * @param title    the page's title.
     * @param settings what was run, one line each (e.g. the command line, the target).
     * @param ramp     the ramp table's rows ({@link SummaryTable#RAMP_HEADERS}), empty when there was no ramp.
     * @param rampNote the ramp's conclusion, or null.
     * @param steps    the measured steps.
     * @param png      the percentile plot.
     * @param logFile  the HdrHistogram log's file name, for the reader.
     * @return the page.
     */
    public static String html(final String title, final List<String> settings, final List<List<String>> ramp,
        final String rampNote, final List<StepResult> steps, final byte[] png, final String logFile)
    {
        final StringBuilder html = new StringBuilder(4096 + png.length * 4 / 3);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>\n")
            .append("body{font-family:sans-serif;margin:2em;color:#222}\n")
            .append("table{border-collapse:collapse;margin:1em 0}\n")
            .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;font-variant-numeric:tabular-nums}\n")
            .append("th{background:#f2f2f2}\ntd.name{text-align:left}\n")
            .append("p.note{color:#555}\n</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        html.append("<ul>\n");
        for (final String line : settings)
        {
            html.append("<li><code>").append(escape(line)).append("</code></li>\n");
        }
        html.append("</ul>\n");
        if (!ramp.isEmpty())
        {
            html.append("<h2>Ramp</h2>\n");
            table(html, SummaryTable.RAMP_HEADERS, ramp);
            if (null != rampNote)
            {
                html.append("<p>").append(escape(rampNote)).append("</p>\n");
            }
        }
        html.append("<h2>Results</h2>\n<p class=\"note\">Latency in microseconds from when each request should have ")
            .append("been sent by the schedule (coordinated omission corrected); successful answers only, errors ")
            .append("counted by code.</p>\n");
        final List<List<String>> rows = new ArrayList<>();
        for (final StepResult step : steps)
        {
            rows.addAll(SummaryTable.rows(step));
        }
        table(html, SummaryTable.HEADERS, rows);
        for (final StepResult step : steps)
        {
            html.append("<p class=\"note\">").append(escape(step.label())).append(": ")
                .append(escape(step.generatorNote())).append("</p>\n");
        }
        html.append("<h2>Latency by percentile</h2>\n<img alt=\"latency by percentile\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        html.append("<p class=\"note\">Interval histograms (ns, tagged step/workload): <code>").append(escape(logFile))
            .append("</code>; read it with HdrHistogram's HistogramLogProcessor.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void table(final StringBuilder html, final List<String> headers, final List<List<String>> rows)
    {
        html.append("<table>\n<tr>");
        for (final String header : headers)
        {
            html.append("<th>").append(escape(header)).append("</th>");
        }
        html.append("</tr>\n");
        for (final List<String> row : rows)
        {
            html.append("<tr>");
            for (int c = 0; c < row.size(); c++)
            {
                html.append(SummaryTable.isTextColumn(headers.get(c)) ? "<td class=\"name\">" : "<td>").append(escape(row.get(c))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /**
     * @param text any text.
     * @return it safe inside HTML text and attribute values.
     */
    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
