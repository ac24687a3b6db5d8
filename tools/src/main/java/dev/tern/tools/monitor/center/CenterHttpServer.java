package dev.tern.tools.monitor.center;

import com.sun.net.httpserver.HttpExchange;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import dev.tern.tools.monitor.Http;
import dev.tern.tools.monitor.Json;
import org.agrona.concurrent.EpochClock;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The center's one web page and the JSON API behind it:
 * <ul>
 *   <li>{@code GET /}: the page (curves drawn by Chart.js, served from its webjar at {@code /chart.umd.js}).</li>
 *   <li>{@code GET /api/ids?q=TEXT&limit=N}: IDs whose name or number contains TEXT, with kind, unit, machines.</li>
 *   <li>{@code GET /api/series?id=ID&from=MS&to=MS&machine=NAME&points=N}: an ID's curve per machine and summed,
 *   in at most N buckets; counters as a rate per second, gauges as the mean of each bucket. Defaults: the last
 *   5 minutes, every machine, 1000 points.</li>
 *   <li>{@code GET /api/alarms}: every rule with its state (active ones first), and recent alarm events.</li>
 * </ul>
 * Bad parameters get 400 with {@code {"error": "..."}}; unknown IDs or machines 404.
 */
final class CenterHttpServer implements AutoCloseable
{
    static final int DEFAULT_POINTS = 1000;
    static final int MAX_POINTS = 5000;
    static final long DEFAULT_RANGE_MS = 5 * 60_000;
    static final long MAX_RANGE_MS = 400L * 86_400_000;
    static final int DEFAULT_ID_LIMIT = 500;
    private static final String JSON = "application/json; charset=utf-8";

    private final Http.Server server;
    private final CenterState state;
    private final EpochClock clock;
    private final Monitor monitor;
    private final byte[] page;
    private final byte[] chartJs;

    /** A request the API answers with a 4xx status. */
    private static final class BadRequest extends RuntimeException
    {
        final int status;

        BadRequest(final int status, final String message)
        {
            super(message, null, false, false);
            this.status = status;
        }
    }

    CenterHttpServer(final String host, final int port, final CenterState state, final EpochClock clock,
        final Monitor monitor)
    {
        this.state = state;
        this.clock = clock;
        this.monitor = monitor;
        this.page = Http.resource("/dev/tern/tools/monitor/center/index.html");
        this.chartJs = Http.resource("/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.js");
        this.server = Http.start(host, port, 2, "tern-center-http");
        server.server().createContext("/", this::handle);
    }

    int port()
    {
        return server.port();
    }

    public void close()
    {
        server.close();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        monitor.add(MonitorId.CENTER_PAGE_REQUESTS, 1);
        if (Http.rejectUnlessGet(exchange))
        {
            return;
        }
        final String path = exchange.getRequestURI().getPath();
        try
        {
            switch (path)
            {
                case "/":
                case "/index.html":
                    Http.respond(exchange, 200, "text/html; charset=utf-8", page);
                    break;
                case "/chart.umd.js":
                    Http.respond(exchange, 200, "application/javascript; charset=utf-8", chartJs);
                    break;
                case "/api/ids":
                    Http.respond(exchange, 200, JSON, ids(Http.query(exchange)));
                    break;
                case "/api/series":
                    Http.respond(exchange, 200, JSON, series(Http.query(exchange)));
                    break;
                case "/api/alarms":
                    Http.respond(exchange, 200, JSON, alarms());
                    break;
                default:
                    throw new BadRequest(404, "not found: " + path);
            }
        }
        catch (final BadRequest ex)
        {
            Http.respond(exchange, ex.status, JSON, Json.string(new StringBuilder("{\"error\":"), ex.getMessage())
                .append("}\n"));
        }
        catch (final RuntimeException ex)
        {
            monitor.errorHandler().onError(ex);
            Http.respond(exchange, 500, JSON, Json.string(new StringBuilder("{\"error\":"), ex.toString())
                .append("}\n"));
        }
    }

    private String ids(final Map<String, String> query)
    {
        final String text = query.getOrDefault("q", "").trim().toLowerCase(Locale.ROOT);
        final int limit = (int)longParam(query, "limit", DEFAULT_ID_LIMIT, 1, 100_000);
        final StringBuilder out = new StringBuilder(4096);
        synchronized (state)
        {
            final List<SeriesStore.IdEntry> matches = new ArrayList<>();
            for (final SeriesStore.IdEntry entry : state.store.entries())
            {
                if (text.isEmpty() || entry.name.toLowerCase(Locale.ROOT).contains(text) ||
                    Integer.toString(entry.id).contains(text))
                {
                    matches.add(entry);
                }
            }
            matches.sort(Comparator.comparingInt(entry -> entry.id));
            out.append("{\"total\":").append(matches.size()).append(",\"ids\":[");
            for (int i = 0; i < Math.min(limit, matches.size()); i++)
            {
                final SeriesStore.IdEntry entry = matches.get(i);
                out.append(i > 0 ? ",{" : "{").append("\"id\":").append(entry.id).append(",\"name\":");
                Json.string(out, entry.name).append(",\"kind\":");
                Json.string(out, kindName(entry.kind)).append(",\"unit\":");
                Json.string(out, entry.unit).append(",\"machines\":[");
                boolean first = true;
                for (final Series series : entry.byMachine)
                {
                    if (null != series)
                    {
                        out.append(first ? "" : ",");
                        Json.string(out, state.store.machineName(series.machine));
                        first = false;
                    }
                }
                out.append("]}");
            }
        }
        return out.append("]}\n").toString();
    }

    private String series(final Map<String, String> query)
    {
        final int id = (int)longParam(query, "id", Long.MIN_VALUE, 0, Integer.MAX_VALUE);
        final long to = longParam(query, "to", clock.time(), 0, Long.MAX_VALUE);
        final long from = longParam(query, "from", to - DEFAULT_RANGE_MS, 0, Long.MAX_VALUE);
        if (from >= to || to - from > MAX_RANGE_MS)
        {
            throw new BadRequest(400, "from=" + from + " must be before to=" + to + " and within 400 days of it");
        }
        final int points = (int)longParam(query, "points", DEFAULT_POINTS, 10, MAX_POINTS);
        final String machineName = query.get("machine");

        final StringBuilder out = new StringBuilder(16 * 1024);
        synchronized (state)
        {
            final SeriesStore.IdEntry entry = state.store.find(id);
            if (null == entry)
            {
                throw new BadRequest(404, "unknown id " + id);
            }
            int machine = SeriesStore.ALL_MACHINES;
            if (null != machineName && !machineName.isEmpty())
            {
                machine = state.store.findMachine(machineName);
                if (machine < 0)
                {
                    throw new BadRequest(404, "unknown machine " + machineName);
                }
            }

            final List<Series> selected = new ArrayList<>();
            boolean minutes = false;
            for (final Series series : entry.byMachine)
            {
                if (null != series && (machine == SeriesStore.ALL_MACHINES || series.machine == machine))
                {
                    selected.add(series);
                    minutes |= !series.useFine(from);
                }
            }
            final long unitMs = minutes ? MinuteRing.MINUTE_MS : entry.intervalMs();
            final long stepMs = ceilDiv(Math.max(unitMs, ceilDiv(to - from, points)), unitMs) * unitMs;
            final long startMs = Math.floorDiv(from, stepMs) * stepMs;
            final int buckets = (int)ceilDiv(to + 1 - startMs, stepMs);

            out.append("{\"id\":").append(id).append(",\"name\":");
            Json.string(out, entry.name).append(",\"kind\":");
            Json.string(out, kindName(entry.kind)).append(",\"unit\":");
            Json.string(out, entry.unit).append(",\"display\":");
            Json.string(out, entry.kind == MonitorKind.COUNTER ? "rate per second" : "mean");
            out.append(",\"from\":").append(from).append(",\"to\":").append(to)
                .append(",\"start\":").append(startMs).append(",\"step\":").append(stepMs)
                .append(",\"resolution\":");
            Json.string(out, minutes ? "minute" : "sample");

            final double[] total = new double[buckets];
            Arrays.fill(total, Double.NaN);
            final double[] sums = new double[buckets];
            final long[] counts = new long[buckets];
            out.append(",\"machines\":[");
            for (int m = 0; m < selected.size(); m++)
            {
                final Series series = selected.get(m);
                Arrays.fill(sums, 0);
                Arrays.fill(counts, 0);
                series.aggregate(startMs, to + 1, stepMs, sums, counts);
                out.append(m > 0 ? ",{" : "{").append("\"machine\":");
                Json.string(out, state.store.machineName(series.machine)).append(",\"values\":[");
                for (int i = 0; i < buckets; i++)
                {
                    final double value = series.display(sums[i], counts[i]);
                    if (!Double.isNaN(value))
                    {
                        total[i] = Double.isNaN(total[i]) ? value : total[i] + value;
                    }
                    Json.number(i > 0 ? out.append(',') : out, value);
                }
                out.append("]}");
            }
            out.append("],\"sum\":[");
            for (int i = 0; i < buckets; i++)
            {
                Json.number(i > 0 ? out.append(',') : out, total[i]);
            }
            out.append("]}\n");
        }
        return out.toString();
    }

    private String alarms()
    {
        final StringBuilder out = new StringBuilder(4096);
        synchronized (state)
        {
            final List<AlarmEvaluator.State> states = new ArrayList<>(state.evaluator.states());
            states.sort(Comparator.comparing((AlarmEvaluator.State s) -> !s.active));
            out.append("{\"nowMs\":").append(clock.time()).append(",\"rules\":[");
            for (int i = 0; i < states.size(); i++)
            {
                final AlarmEvaluator.State alarm = states.get(i);
                final SeriesStore.IdEntry entry = state.store.find(alarm.rule.id());
                out.append(i > 0 ? ",{" : "{").append("\"rule\":");
                Json.string(out, alarm.rule.name()).append(",\"id\":").append(alarm.rule.id()).append(",\"name\":");
                Json.string(out, null != entry ? entry.name : "id." + alarm.rule.id()).append(",\"machine\":");
                Json.string(out, null != alarm.rule.machine() ? alarm.rule.machine() : AlarmEvent.ALL_MACHINES)
                    .append(",\"condition\":");
                Json.string(out, alarm.rule.condition()).append(",\"active\":").append(alarm.active)
                    .append(",\"sinceMs\":").append(alarm.sinceMs).append(",\"value\":");
                Json.number(out, alarm.value).append(",\"sampleTimeMs\":").append(alarm.sampleTimeMs).append('}');
            }
            out.append("],\"events\":[");
            boolean first = true;
            for (final AlarmEvent event : state.recentEvents)
            {
                out.append(first ? "" : ",").append(event.toJson());
                first = false;
            }
        }
        return out.append("]}\n").toString();
    }

    private static long longParam(final Map<String, String> query, final String name, final long defaultValue,
        final long min, final long max)
    {
        final String text = query.get(name);
        if (null == text || text.isEmpty())
        {
            if (defaultValue == Long.MIN_VALUE)
            {
                throw new BadRequest(400, name + " is required");
            }
            return defaultValue;
        }
        try
        {
            final long value = Long.parseLong(text.trim());
            if (value < min || value > max)
            {
                throw new BadRequest(400, name + "=" + text + " must be in [" + min + ", " + max + "]");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new BadRequest(400, name + "=" + text + " is not a whole number");
        }
    }

    private static long ceilDiv(final long dividend, final long divisor)
    {
        return -Math.floorDiv(-dividend, divisor);
    }

    private static String kindName(final MonitorKind kind)
    {
        return kind == MonitorKind.COUNTER ? "counter" : "gauge";
    }

    private static String chartJsVersion()
    {
        final Properties properties = new Properties();
        try
        {
            properties.load(new ByteArrayInputStream(Http.resource("/META-INF/maven/org.webjars.npm/chart.js/pom.properties")));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return properties.getProperty("version");
    }
}
