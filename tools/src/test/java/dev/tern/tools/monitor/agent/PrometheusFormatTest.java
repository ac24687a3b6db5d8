package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(10)
class PrometheusFormatTest
{
    private static String render(final String machine, final PrometheusFormat.Family... families)
    {
        final StringBuilder out = new StringBuilder();
        PrometheusFormat.write(List.of(families), machine, out);
        return out.toString();
    }

    @Test
    void shouldWriteACounterFamilyWithTotalSuffixHelpTypeAndLabelsPerProcess()
    {
        final PrometheusFormat.Family requests = new PrometheusFormat.Family(MonitorId.DEMO_REQUESTS.id(),
            "demo.requests", MonitorKind.COUNTER, "requests");
        requests.add("tern-demo", 1234);
        requests.add("other", 5);

        assertEquals(
            "# HELP tern_demo_requests_total requests the demo process pretends to serve (id 1000, unit requests)\n" +
            "# TYPE tern_demo_requests_total counter\n" +
            "tern_demo_requests_total{process=\"tern-demo\",machine=\"box-1\"} 1234\n" +
            "tern_demo_requests_total{process=\"other\",machine=\"box-1\"} 5\n",
            render("box-1", requests));
    }

    @Test
    void shouldWriteAGaugeWithoutSuffix()
    {
        final PrometheusFormat.Family depth = new PrometheusFormat.Family(4242, "queue.depth", MonitorKind.GAUGE, "items");
        depth.add("svc", -3);

        assertEquals(
            "# HELP tern_queue_depth (id 4242, unit items)\n" +
            "# TYPE tern_queue_depth gauge\n" +
            "tern_queue_depth{process=\"svc\",machine=\"m\"} -3\n",
            render("m", depth));
    }

    @Test
    void shouldTurnAnyCharacterOutsideTheMetricNameAlphabetIntoUnderscore()
    {
        assertEquals("tern_a_b_c_d:e_total", PrometheusFormat.metricName("a.b-c d:e", true));
        assertEquals("tern_already_total", PrometheusFormat.metricName("already_total", true));
    }

    @Test
    void shouldEscapeLabelValues()
    {
        final PrometheusFormat.Family family = new PrometheusFormat.Family(5000, "x", MonitorKind.GAUGE, "u");
        family.add("p\"q\\r", 1);

        assertTrue(render("line\nbreak", family).contains("{process=\"p\\\"q\\\\r\",machine=\"line\\nbreak\"} 1\n"));
    }

    @Test
    void shouldKeepFamilyNamesUniqueWhenTwoIdsSanitizeToTheSameName()
    {
        final PrometheusFormat.Family dotted = new PrometheusFormat.Family(5001, "a.b", MonitorKind.GAUGE, "u");
        dotted.add("p", 1);
        final PrometheusFormat.Family underscored = new PrometheusFormat.Family(5002, "a_b", MonitorKind.GAUGE, "u");
        underscored.add("p", 2);

        final String text = render("m", dotted, underscored);

        assertTrue(text.contains("tern_a_b{process=\"p\",machine=\"m\"} 1\n"), text);
        assertTrue(text.contains("tern_a_b_5002{process=\"p\",machine=\"m\"} 2\n"), text);
    }
}
