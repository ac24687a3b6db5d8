package dev.tern.codecs.monitor;

import dev.tern.codecs.monitor.sbe.MonitorKind;

import static dev.tern.codecs.monitor.sbe.MonitorKind.COUNTER;
import static dev.tern.codecs.monitor.sbe.MonitorKind.GAUGE;

/**
 * The registry of Tern monitor IDs: adding a monitor is one line here and one {@code add}/{@code set} call where the
 * event happens. IDs are stable numbers: never renumber or reuse one, since monitoring centers keep their history.
 * <p>
 * Ranges: 1-99 monitor file itself, 100-199 agent, 200-299 center, 300-399 transport, 400-599 KVSvr storage and
 * replication, 600-699 gateway, 700-999 logic services, 1000-1999 demo and tests, 100000 and up synthetic (perf).
 */
public enum MonitorId
{
    MONITOR_UNKNOWN_ID(1, "monitor.unknown_id", COUNTER, "calls", "add/set/setMax calls naming an undeclared ID"),
    MONITOR_ERRORS(2, "monitor.errors", COUNTER, "errors", "unexpected errors recorded in this file's error log"),

    AGENT_SAMPLES(100, "agent.samples", COUNTER, "samples", "sampling passes over all monitor files"),
    AGENT_SAMPLE_NANOS(101, "agent.sample_nanos", GAUGE, "ns", "duration of the last sampling pass"),
    AGENT_FILES(102, "agent.files", GAUGE, "files", "monitor files being sampled"),
    AGENT_IDS(103, "agent.ids", GAUGE, "ids", "distinct IDs in the last sample"),
    AGENT_REPORTS_SENT(104, "agent.reports_sent", COUNTER, "messages", "report messages sent to the center"),
    AGENT_REPORTS_BUFFERED(105, "agent.reports_buffered", GAUGE, "reports", "reports waiting for the center"),
    AGENT_REPORTS_DROPPED(106, "agent.reports_dropped", COUNTER, "reports", "reports dropped: buffer full while the center was down"),
    AGENT_BACK_PRESSURE(107, "agent.back_pressure", COUNTER, "events", "offers refused by the center's publication"),
    AGENT_FILES_REPLACED(108, "agent.files_replaced", COUNTER, "files", "monitor files replaced by a restarted writer"),
    AGENT_SCRAPES(109, "agent.scrapes", COUNTER, "requests", "/metrics requests served"),
    AGENT_FILES_INVALID(110, "agent.files_invalid", GAUGE, "files", "monitor files skipped in the last scan: not a valid Tern monitor file"),
    AGENT_DECLARATIONS_SENT(111, "agent.declarations_sent", COUNTER, "messages", "ID declaration messages sent to the center"),

    CENTER_REPORTS(200, "center.reports", COUNTER, "messages", "report messages received"),
    CENTER_VALUES(201, "center.values", COUNTER, "values", "ID-Values stored"),
    CENTER_MALFORMED(202, "center.malformed", COUNTER, "messages", "received messages dropped as malformed"),
    CENTER_AGENTS(203, "center.agents", GAUGE, "agents", "machines that reported in the last minute"),
    CENTER_ALARMS_ACTIVE(204, "center.alarms_active", GAUGE, "alarms", "alarms currently firing"),
    CENTER_ALARMS_FIRED(205, "center.alarms_fired", COUNTER, "alarms", "alarm transitions to firing"),
    CENTER_WEBHOOK_FAILURES(206, "center.webhook_failures", COUNTER, "posts", "webhook POSTs that failed"),
    CENTER_PAGE_REQUESTS(207, "center.page_requests", COUNTER, "requests", "HTTP requests served"),
    CENTER_LATE_VALUES(208, "center.late_values", COUNTER, "values", "values dropped: older than the series' latest point"),
    CENTER_WEBHOOK_DROPPED(209, "center.webhook_dropped", COUNTER, "events", "alarm events not delivered: retries exhausted or queue full"),
    CENTER_STORE_TRUNCATED(210, "center.store_truncated", COUNTER, "bytes", "bytes of torn or corrupt records cut from the store on start"),
    CENTER_REPORT_DELAY_MS(211, "center.report_delay_ms", GAUGE, "ms", "receive time minus sample time of the last complete report"),
    CENTER_STORE_BYTES(212, "center.store_bytes", COUNTER, "bytes", "bytes appended to the store"),

    STORAGE_WRITES(400, "storage.writes", COUNTER, "writes", "mutations accepted: local writes and applied replicated records"),
    STORAGE_WRITES_REJECTED(401, "storage.writes_rejected", COUNTER, "writes", "writes refused with a result code (condition, bad input, full)"),
    STORAGE_DUPLICATE_REQUESTS(402, "storage.duplicate_requests", COUNTER, "requests", "retried requests answered from the request table"),
    STORAGE_READS(403, "storage.reads", COUNTER, "reads", "get, getRow and scan calls"),
    STORAGE_CACHE_HITS(404, "storage.cache_hits", COUNTER, "values", "values served from the value cache"),
    STORAGE_CACHE_MISSES(405, "storage.cache_misses", COUNTER, "values", "values read back from the binlog or a snapshot"),
    STORAGE_CACHE_EVICTIONS(406, "storage.cache_evictions", COUNTER, "values", "cached values evicted to make room"),
    STORAGE_CACHE_BYTES(407, "storage.cache_bytes", GAUGE, "bytes", "bytes of cache items holding values"),
    STORAGE_BINLOG_APPENDS(408, "storage.binlog_appends", COUNTER, "records", "records appended to the binlog"),
    STORAGE_BINLOG_BYTES(409, "storage.binlog_bytes", COUNTER, "bytes", "bytes appended to the binlog"),
    STORAGE_BINLOG_SYNCS(410, "storage.binlog_syncs", COUNTER, "syncs", "msyncs of the binlog (MACHINE durability)"),
    STORAGE_BINLOG_CYCLES_DELETED(411, "storage.binlog_cycles_deleted", COUNTER, "files", "binlog cycle files deleted below the retention floor"),
    STORAGE_APPLY_STALE(412, "storage.apply_stale", COUNTER, "records", "applied records ignored: version not newer than the key's"),
    STORAGE_INVALID_RECORDS(413, "storage.invalid_records", COUNTER, "records", "records refused by apply or appendRecord: malformed, bad checksum, unknown"),
    STORAGE_KEYS(414, "storage.keys", GAUGE, "keys", "keys in the index, tombstones and metadata-only keys included"),
    STORAGE_ARENA_BYTES(415, "storage.arena_bytes", GAUGE, "bytes", "bytes of arena memory in use by keys, tables and rows"),
    STORAGE_FULLNESS_PERCENT(416, "storage.fullness_percent", GAUGE, "percent", "the fuller of index and arena, in percent of capacity"),
    STORAGE_STORE_FULL(417, "storage.store_full", COUNTER, "writes", "writes refused with STORE_FULL"),
    STORAGE_READ_ERRORS(418, "storage.read_errors", COUNTER, "values", "stored values that could not be read back intact"),
    STORAGE_RECOVERY_RECORDS(419, "storage.recovery_records", GAUGE, "records", "binlog records replayed at the last start"),
    STORAGE_RECOVERY_BYTES(420, "storage.recovery_bytes", GAUGE, "bytes", "binlog bytes replayed at the last start"),
    STORAGE_RECOVERY_MS(421, "storage.recovery_ms", GAUGE, "ms", "duration of the last start: snapshot load and binlog replay"),
    STORAGE_RECOVERY_TRUNCATED(422, "storage.recovery_truncated", GAUGE, "records", "damaged tail records cut off at the last start"),
    STORAGE_SNAPSHOTS(423, "storage.snapshots", COUNTER, "snapshots", "snapshots completed"),
    STORAGE_SNAPSHOT_BYTES(424, "storage.snapshot_bytes", GAUGE, "bytes", "size of the last completed snapshot"),
    STORAGE_SNAPSHOT_MS(425, "storage.snapshot_ms", GAUGE, "ms", "duration of the last completed snapshot"),
    STORAGE_SNAPSHOTS_FAILED(426, "storage.snapshots_failed", COUNTER, "snapshots", "snapshots abandoned after an error"),

    DEMO_REQUESTS(1000, "demo.requests", COUNTER, "requests", "requests the demo process pretends to serve"),
    DEMO_LATENCY_MAX_US(1001, "demo.latency_max_us", GAUGE, "us", "largest simulated latency of the interval"),
    DEMO_QUEUE_DEPTH(1002, "demo.queue_depth", GAUGE, "items", "simulated queue depth");

    private final int id;
    private final String metricName;
    private final MonitorKind kind;
    private final String unit;
    private final String description;

    MonitorId(final int id, final String metricName, final MonitorKind kind, final String unit, final String description)
    {
        this.id = id;
        this.metricName = metricName;
        this.kind = kind;
        this.unit = unit;
        this.description = description;
    }

    /** @return the stable numeric ID. */
    public int id()
    {
        return id;
    }

    /** @return the dotted name, e.g. {@code agent.samples}. */
    public String metricName()
    {
        return metricName;
    }

    /** @return counter (reported as deltas) or gauge (reported as values). */
    public MonitorKind kind()
    {
        return kind;
    }

    /** @return the unit of the value, e.g. {@code ns}, {@code requests}. */
    public String unit()
    {
        return unit;
    }

    /** @return what the ID measures, for people. */
    public String description()
    {
        return description;
    }

    /**
     * @param id a numeric monitor ID.
     * @return the registry entry with that ID, or null when the registry has none.
     */
    public static MonitorId find(final int id)
    {
        for (final MonitorId monitorId : values())
        {
            if (monitorId.id == id)
            {
                return monitorId;
            }
        }
        return null;
    }
}
