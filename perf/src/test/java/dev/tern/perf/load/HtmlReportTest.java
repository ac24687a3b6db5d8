package dev.tern.perf.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class HtmlReportTest
{
    private final byte[] png = { (byte)0x89, 'P', 'N', 'G', 1, 2, 3 };

    @Test
    void shouldEmbedThePlotAndNeedNothingFromTheNetwork()
    {
        final String html = HtmlReport.html("tern load", List.of("tern load --rate 1000"), List.of(), null,
            List.of(Results.step("1000/s")), png, "latency.hlog");

        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\""));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("http://") || html.contains("https://"));
    }

    @Test
    void shouldShowTheResultsTableAndTheGeneratorsTiming()
    {
        final String html = HtmlReport.html("tern load", List.of(), List.of(), null, List.of(Results.step("1000/s")),
            png, "latency.hlog");

        assertTrue(html.contains("<th>p99.9 us</th>"));
        assertTrue(html.contains("<td class=\"name\">kv-get</td>"));
        assertTrue(html.contains("<td class=\"name\">TIMEOUT=3</td>"));
        assertTrue(html.contains("generator on schedule"));
    }

    @Test
    void shouldShowTheRampWhenThereWasOne()
    {
        final StepResult step = Results.step("ramp 1 at 1000/s");
        final String html = HtmlReport.html("tern load", List.of(), List.of(SummaryTable.rampRow(step, null)),
            "highest rate meeting the target: 1000/s", List.of(), png, "latency.hlog");

        assertTrue(html.contains("<h2>Ramp</h2>"));
        assertTrue(html.contains("<td class=\"name\">met</td>"));
        assertTrue(html.contains("highest rate meeting the target: 1000/s"));
    }

    @Test
    void shouldEscapeWhatItQuotes()
    {
        final String html = HtmlReport.html("a<b>", List.of("--mix \"x&y\""), List.of(), null, List.of(), png,
            "l.hlog");

        assertTrue(html.contains("<title>a&lt;b&gt;</title>"));
        assertTrue(html.contains("--mix &quot;x&amp;y&quot;"));
    }
}
