package dev.tern.perf.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SummaryTableTest
{
    @Test
    void shouldReportThePercentilesOfAKnownHistogram()
    {
        final List<List<String>> rows = SummaryTable.rows(Results.step("1000/s"));
        assertEquals(1, rows.size());
        final List<String> row = rows.get(0);
        assertEquals(List.of("1000/s", "kv-get", "1000.0", "1000.0", "10000", "TIMEOUT=3"), row.subList(0, 6));
        // 3 significant digits: each value is within 0.1% above the exact one
        assertEquals(5000, Double.parseDouble(row.get(6)), 5000 * 0.001);
        assertEquals(9000, Double.parseDouble(row.get(7)), 9000 * 0.001);
        assertEquals(9900, Double.parseDouble(row.get(8)), 9900 * 0.001);
        assertEquals(9990, Double.parseDouble(row.get(9)), 9990 * 0.001);
        assertEquals(10000, Double.parseDouble(row.get(10)), 10000 * 0.001);
    }

    @Test
    void shouldAddARowForAllWorkloadsWhenThereAreSeveral()
    {
        final Histogram latency = Results.uniformUs(10);
        final OpResult get = new OpResult("kv-get", 500, 500, 5, latency, Map.of());
        final OpResult put = new OpResult("kv-put", 500, 500, 5, latency, Map.of());
        final OpResult all = new OpResult("all", 1000, 1000, 10, latency, Map.of());
        final StepResult step = new StepResult("1000/s", 1000, 1, List.of(get, put), all, latency, 0, 0, 1);
        final List<List<String>> rows = SummaryTable.rows(step);
        assertEquals(List.of("kv-get", "kv-put", "all"), rows.stream().map(r -> r.get(1)).toList());
        assertEquals("-", rows.get(2).get(5));
    }

    @Test
    void shouldAlignNumbersRightAndNamesLeft()
    {
        final String text = SummaryTable.render(List.of("step", "p50 us"),
            List.of(List.of("a", "1.0"), List.of("longer", "100.0")));
        assertEquals("step    p50 us\na          1.0\nlonger   100.0\n", text);
    }

    @Test
    void shouldListErrorsByCode()
    {
        final Map<String, Long> errors = new TreeMap<>(Map.of("BUSY", 2L, "TIMEOUT", 1L));
        assertEquals("BUSY=2 TIMEOUT=1", SummaryTable.errors(errors));
        assertEquals("-", SummaryTable.errors(Map.of()));
    }

    @Test
    void shouldFormatDurationsInAFittingUnit()
    {
        assertEquals("850 ns", SummaryTable.formatNs(850));
        assertEquals("85.2 us", SummaryTable.formatNs(85_200));
        assertEquals("1.25 ms", SummaryTable.formatNs(1_250_000));
        assertEquals("2.50 s", SummaryTable.formatNs(2_500_000_000L));
    }

    @Test
    void shouldFollowTheTableWithTheGeneratorsTiming()
    {
        final String text = SummaryTable.text(List.of(Results.step("1000/s")));
        assertTrue(text.contains("1000/s: generator on schedule: send lag p99 0 ns"), text);
    }

    @Test
    void shouldSayWhyTheGeneratorFellBehind()
    {
        final Histogram lag = Results.uniformUs(10_000);
        final StepResult refused = new StepResult("x", 1, 1, List.of(), Results.step("x").all(), lag, 5, 0, 1);
        assertTrue(refused.generatorBehind());
        assertTrue(refused.generatorNote().contains("clients refused"), refused.generatorNote());
        final StepResult slow = new StepResult("x", 1, 1, List.of(), Results.step("x").all(), lag, 0, 0, 1);
        assertTrue(slow.generatorNote().contains("own threads ran late"), slow.generatorNote());
    }
}
