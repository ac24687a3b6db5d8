package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.MonitorKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes monitor values in the Prometheus text exposition format (version 0.0.4): one family per monitor ID,
 * {@code tern_<name>_total} of TYPE counter for counters (the cumulative value) and {@code tern_<name>} of TYPE
 * gauge for gauges, with labels {@code process} (the monitor file's name) and {@code machine}, and a HELP line from
 * the ID registry's description or the unit.
 */
final class PrometheusFormat
{
    /** Content type of the exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The values of one monitor ID across a machine's processes. */
    static final class Family
    {
        final int id;
        final String name;
        final MonitorKind kind;
        final String unit;
        final List<String> processes = new ArrayList<>();
        final List<Long> values = new ArrayList<>();

        Family(final int id, final String name, final MonitorKind kind, final String unit)
        {
            this.id = id;
            this.name = name;
            this.kind = kind;
            this.unit = unit;
        }

        void add(final String process, final long value)
        {
            processes.add(process);
            values.add(value);
        }
    }

    private PrometheusFormat()
    {
    }

    /**
     * @param families the families, in the order to write them.
     * @param machine  the machine label's value.
     * @param out      where the text goes.
     */
    static void write(final Collection<Family> families, final String machine, final StringBuilder out)
    {
        final Set<String> used = new HashSet<>();
        for (final Family family : families)
        {
            final boolean counter = family.kind == MonitorKind.COUNTER;
            String metric = metricName(family.name, counter);
            if (!used.add(metric))
            {
                metric = metricName(family.name + "_" + family.id, counter);
                used.add(metric);
            }
            final MonitorId registered = MonitorId.find(family.id);
            final String help = (null != registered && registered.metricName().equals(family.name) ?
                registered.description() + " " : "") + "(id " + family.id + ", unit " + family.unit + ")";

            out.append("# HELP ").append(metric).append(' ');
            escape(help, false, out);
            out.append('\n');
            out.append("# TYPE ").append(metric).append(counter ? " counter\n" : " gauge\n");
            for (int i = 0; i < family.processes.size(); i++)
            {
                out.append(metric).append("{process=\"");
                escape(family.processes.get(i), true, out);
                out.append("\",machine=\"");
                escape(machine, true, out);
                out.append("\"} ").append(family.values.get(i).longValue()).append('\n');
            }
        }
    }

    /**
     * @param name    a dotted monitor name such as {@code agent.samples}.
     * @param counter whether it names a counter (gets {@code _total}).
     * @return a valid Prometheus metric name such as {@code tern_agent_samples_total}.
     */
    static String metricName(final String name, final boolean counter)
    {
        final StringBuilder metric = new StringBuilder(name.length() + 11).append("tern_");
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == ':';
            metric.append(valid ? c : '_');
        }
        if (counter && !name.endsWith("_total"))
        {
            metric.append("_total");
        }
        return metric.toString();
    }

    private static void escape(final String text, final boolean labelValue, final StringBuilder out)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else if (c == '"' && labelValue)
            {
                out.append("\\\"");
            }
            else
            {
                out.append(c);
            }
        }
    }
}
