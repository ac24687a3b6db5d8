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

    KV_REQUESTS(500, "kv.requests", COUNTER, "requests", "client requests received by the replica"),
    KV_READS(501, "kv.reads", COUNTER, "reads", "linearizable reads coordinated"),
    KV_DECIDED(502, "kv.decided", COUNTER, "slots", "slots decided with this replica as coordinator"),
    KV_FAST_PATH(503, "kv.fast_path", COUNTER, "writes", "writes that skipped phase 1: one round trip"),
    KV_PREPARES(504, "kv.prepares", COUNTER, "rounds", "phase 1 rounds started"),
    KV_REJECTED(505, "kv.rejected", COUNTER, "rounds", "rounds lost to a higher ballot"),
    KV_REPROPOSALS(506, "kv.reproposals", COUNTER, "proposals", "pending values completed for another coordinator"),
    KV_FETCHES(507, "kv.fetches", COUNTER, "fetches", "keys fetched from a peer because this replica was behind"),
    KV_INSTALLS(508, "kv.installs", COUNTER, "keys", "keys installed from a peer's state"),
    KV_TIMEOUTS(509, "kv.timeouts", COUNTER, "requests", "requests answered UNAVAILABLE: no majority in time"),
    KV_MALFORMED(510, "kv.malformed", COUNTER, "messages", "messages dropped as malformed"),
    KV_STREAM_GAPS(511, "kv.stream_gaps", COUNTER, "gaps", "gaps found in a peer's authored stream"),
    KV_CATCH_UPS(512, "kv.catch_ups", COUNTER, "requests", "rewinds of a peer's stream requested"),
    KV_RECORDS_SHIPPED(513, "kv.records_shipped", COUNTER, "records", "authored records shipped to peers"),
    KV_RECORDS_RECEIVED(514, "kv.records_received", COUNTER, "records", "records received from peers' streams"),
    KV_IN_FLIGHT(515, "kv.in_flight", GAUGE, "requests", "requests in progress at this replica"),
    KV_ACTIVE_KEYS(516, "kv.active_keys", GAUGE, "keys", "keys with coordination, votes or held values in memory"),
    KV_BUSY(517, "kv.busy", COUNTER, "requests", "requests refused BUSY: too many in flight"),
    KV_WRONG_GROUP(518, "kv.wrong_group", COUNTER, "requests", "requests for a key another group owns"),
    KV_DUPLICATES(519, "kv.duplicates", COUNTER, "requests", "retried requests answered with their original result"),
    KV_CLIENTS(520, "kv.clients", GAUGE, "clients", "client sessions connected"),
    KV_CATCH_UP_LAG(521, "kv.catch_up_lag", GAUGE, "records", "records of peers' authored streams not yet received"),
    KV_STREAM_RESETS(522, "kv.stream_resets", COUNTER, "resets", "stream resets sent or received: a replica was away longer than binlog retention"),
    KV_STATE_TRANSFERS(523, "kv.state_transfers", COUNTER, "transfers", "peers' whole states installed after a stream reset"),
    KV_STATE_TRANSFER_KEYS(524, "kv.state_transfer_keys", COUNTER, "keys", "keys installed by state transfers"),
    KV_STATE_TRANSFERS_ACTIVE(525, "kv.state_transfers_active", GAUGE, "peers", "peers whose whole state this replica is installing"),

    GATEWAY_FRAMES(600, "gateway.frames", COUNTER, "frames", "frames received from clients"),
    GATEWAY_FORWARDED(601, "gateway.forwarded", COUNTER, "requests", "requests forwarded to a service"),
    GATEWAY_REPLIES(602, "gateway.replies", COUNTER, "messages", "responses sent to clients, errors included"),
    GATEWAY_MALFORMED(603, "gateway.malformed", COUNTER, "frames", "frames dropped unanswered: no readable header or correlation id, wrong schema, fragmented"),
    GATEWAY_UNKNOWN_CONNECTION(604, "gateway.unknown_connection", COUNTER, "frames", "frames dropped from a connection without ClientHello"),
    GATEWAY_REJECT_BAD_REQUEST(605, "gateway.reject.bad_request", COUNTER, "requests", "answered BAD_REQUEST"),
    GATEWAY_REJECT_UNSUPPORTED_VERSION(606, "gateway.reject.unsupported_version", COUNTER, "requests", "answered UNSUPPORTED_VERSION"),
    GATEWAY_REJECT_UNKNOWN_REQUEST(607, "gateway.reject.unknown_request", COUNTER, "requests", "answered UNKNOWN_REQUEST"),
    GATEWAY_REJECT_UNAUTHENTICATED(608, "gateway.reject.unauthenticated", COUNTER, "requests", "answered UNAUTHENTICATED: no session or a forged token"),
    GATEWAY_REJECT_SESSION_EXPIRED(609, "gateway.reject.session_expired", COUNTER, "requests", "answered SESSION_EXPIRED"),
    GATEWAY_REJECT_FORBIDDEN(610, "gateway.reject.forbidden", COUNTER, "requests", "answered FORBIDDEN: the request named another user"),
    GATEWAY_REJECT_RATE_LIMITED(611, "gateway.reject.rate_limited", COUNTER, "requests", "answered RATE_LIMITED"),
    GATEWAY_REJECT_TOO_MANY_IN_FLIGHT(612, "gateway.reject.too_many_in_flight", COUNTER, "requests", "answered TOO_MANY_IN_FLIGHT"),
    GATEWAY_REJECT_TOO_MANY_SESSIONS(613, "gateway.reject.too_many_sessions", COUNTER, "requests", "answered TOO_MANY_SESSIONS"),
    GATEWAY_REJECT_UNAVAILABLE(614, "gateway.reject.unavailable", COUNTER, "requests", "answered UNAVAILABLE: service not connected"),
    GATEWAY_REJECT_BUSY(615, "gateway.reject.busy", COUNTER, "requests", "answered BUSY: service back-pressured or gateway request table full"),
    GATEWAY_SERVICE_TIMEOUTS(616, "gateway.service_timeouts", COUNTER, "requests", "requests a service did not answer in time, answered UNAVAILABLE"),
    GATEWAY_LATE_REPLIES(617, "gateway.late_replies", COUNTER, "messages", "service replies for requests already timed out or sessions gone"),
    GATEWAY_REPLY_DROPPED(618, "gateway.reply_dropped", COUNTER, "messages", "responses dropped: client publication back-pressured or not connected"),
    GATEWAY_HELLOS(619, "gateway.hellos", COUNTER, "messages", "ClientHello messages accepted"),
    GATEWAY_CONNECTIONS_REFUSED(620, "gateway.connections_refused", COUNTER, "messages", "ClientHello refused: connection table full or a response channel not allowed"),
    GATEWAY_CONNECTIONS(621, "gateway.connections", GAUGE, "connections", "client connections held"),
    GATEWAY_SESSIONS(622, "gateway.sessions", GAUGE, "sessions", "logged-in sessions held"),
    GATEWAY_LOGINS(623, "gateway.logins", COUNTER, "sessions", "sessions bound by a successful login"),
    GATEWAY_LOGOUTS(624, "gateway.logouts", COUNTER, "sessions", "sessions ended by logout or expiry"),
    GATEWAY_EVICTED(625, "gateway.evicted", COUNTER, "connections", "connections evicted: idle too long or gone"),
    GATEWAY_LATENCY_MAX_US(626, "gateway.latency_max_us", GAUGE, "us", "largest request to response time at the gateway over the last second"),
    GATEWAY_MALFORMED_REPLIES(627, "gateway.malformed_replies", COUNTER, "messages", "service replies dropped as malformed"),
    GATEWAY_PUSHES(628, "gateway.pushes", COUNTER, "messages", "notifications pushed to client sessions"),
    GATEWAY_PUSH_DROPPED(629, "gateway.push_dropped", COUNTER, "messages", "notifications dropped: client publication back-pressured or not connected (clients sync anyway)"),

    ACCOUNT_REQUESTS(700, "account.requests", COUNTER, "requests", "requests received by the account service"),
    ACCOUNT_ERRORS(701, "account.errors", COUNTER, "errors", "unexpected errors in the account pipeline"),
    ACCOUNT_LATENCY_MAX_US(702, "account.latency_max_us", GAUGE, "us", "largest account request time over the last second"),
    ACCOUNT_IN_FLIGHT(703, "account.in_flight", GAUGE, "requests", "account requests in flight"),
    ACCOUNT_KV_OPS(704, "account.kv_ops", COUNTER, "operations", "KVSvr operations issued by the account service"),
    ACCOUNT_KV_FAILURES(705, "account.kv_failures", COUNTER, "operations", "KVSvr operations that timed out or found no majority"),
    ACCOUNT_REPLY_DROPPED(706, "account.reply_dropped", COUNTER, "messages", "account replies the gateway publication refused"),
    ACCOUNT_REGISTERED(707, "account.registered", COUNTER, "accounts", "accounts registered"),
    ACCOUNT_LOGINS(708, "account.logins", COUNTER, "logins", "successful logins"),
    ACCOUNT_UIN_BLOCKS(709, "account.uin_blocks", COUNTER, "blocks", "UIN blocks taken from the shared counter"),
    ACCOUNT_REJECT_BAD_REQUEST(721, "account.reject.bad_request", COUNTER, "requests", "answered BAD_REQUEST"),
    ACCOUNT_REJECT_NAME_TAKEN(727, "account.reject.name_taken", COUNTER, "requests", "answered NAME_TAKEN"),
    ACCOUNT_REJECT_BAD_CREDENTIALS(728, "account.reject.bad_credentials", COUNTER, "requests", "answered BAD_CREDENTIALS"),
    ACCOUNT_REJECT_BUSY(732, "account.reject.busy", COUNTER, "requests", "answered BUSY: pipeline full"),
    ACCOUNT_REJECT_UNAVAILABLE(733, "account.reject.unavailable", COUNTER, "requests", "answered UNAVAILABLE: storage did not answer"),
    ACCOUNT_REJECT_INTERNAL(735, "account.reject.internal", COUNTER, "requests", "answered INTERNAL"),

    CONTACTS_REQUESTS(740, "contacts.requests", COUNTER, "requests", "requests received by the contacts service"),
    CONTACTS_ERRORS(741, "contacts.errors", COUNTER, "errors", "unexpected errors in the contacts pipeline"),
    CONTACTS_LATENCY_MAX_US(742, "contacts.latency_max_us", GAUGE, "us", "largest contacts request time over the last second"),
    CONTACTS_IN_FLIGHT(743, "contacts.in_flight", GAUGE, "requests", "contacts requests in flight"),
    CONTACTS_KV_OPS(744, "contacts.kv_ops", COUNTER, "operations", "KVSvr operations issued by the contacts service"),
    CONTACTS_KV_FAILURES(745, "contacts.kv_failures", COUNTER, "operations", "KVSvr operations that timed out or found no majority"),
    CONTACTS_REPLY_DROPPED(746, "contacts.reply_dropped", COUNTER, "messages", "contacts replies the gateway publication refused"),
    CONTACTS_REJECT_BAD_REQUEST(761, "contacts.reject.bad_request", COUNTER, "requests", "answered BAD_REQUEST"),
    CONTACTS_REJECT_NOT_FOUND(769, "contacts.reject.not_found", COUNTER, "requests", "answered NOT_FOUND"),
    CONTACTS_REJECT_BUSY(772, "contacts.reject.busy", COUNTER, "requests", "answered BUSY: pipeline full"),
    CONTACTS_REJECT_UNAVAILABLE(773, "contacts.reject.unavailable", COUNTER, "requests", "answered UNAVAILABLE: storage did not answer"),
    CONTACTS_REJECT_INTERNAL(775, "contacts.reject.internal", COUNTER, "requests", "answered INTERNAL"),

    SEND_TEXT_REQUESTS(780, "send_text.requests", COUNTER, "requests", "requests received by the send_text service"),
    SEND_TEXT_ERRORS(781, "send_text.errors", COUNTER, "errors", "unexpected errors in the send_text pipeline"),
    SEND_TEXT_LATENCY_MAX_US(782, "send_text.latency_max_us", GAUGE, "us", "largest send_text request time over the last second"),
    SEND_TEXT_IN_FLIGHT(783, "send_text.in_flight", GAUGE, "requests", "send_text requests in flight"),
    SEND_TEXT_KV_OPS(784, "send_text.kv_ops", COUNTER, "operations", "KVSvr operations issued by the send_text service"),
    SEND_TEXT_KV_FAILURES(785, "send_text.kv_failures", COUNTER, "operations", "KVSvr operations that timed out or found no majority"),
    SEND_TEXT_REPLY_DROPPED(786, "send_text.reply_dropped", COUNTER, "messages", "send_text replies and pushes the gateway publication refused"),
    SEND_TEXT_SENT(787, "send_text.sent", COUNTER, "messages", "messages stored in both timelines"),
    SEND_TEXT_RETRIES(788, "send_text.retries", COUNTER, "requests", "sends answered from an earlier attempt's record (same client message id)"),
    SEND_TEXT_SEQ_FAILURES(789, "send_text.seq_failures", COUNTER, "requests", "sequence allocations that failed or timed out"),
    SEND_TEXT_REJECT_BAD_REQUEST(801, "send_text.reject.bad_request", COUNTER, "requests", "answered BAD_REQUEST"),
    SEND_TEXT_REJECT_NOT_FOUND(809, "send_text.reject.not_found", COUNTER, "requests", "answered NOT_FOUND: no such recipient"),
    SEND_TEXT_REJECT_BUSY(812, "send_text.reject.busy", COUNTER, "requests", "answered BUSY: pipeline full"),
    SEND_TEXT_REJECT_UNAVAILABLE(813, "send_text.reject.unavailable", COUNTER, "requests", "answered UNAVAILABLE: storage or the sequence allocator did not answer"),
    SEND_TEXT_REJECT_INTERNAL(815, "send_text.reject.internal", COUNTER, "requests", "answered INTERNAL"),
    SEND_TEXT_REJECT_NOT_CONTACT(818, "send_text.reject.not_contact", COUNTER, "requests", "answered NOT_CONTACT"),
    SEND_TEXT_REJECT_BLOCKED(819, "send_text.reject.blocked", COUNTER, "requests", "answered BLOCKED"),
    SEND_TEXT_REJECT_ID_REUSED(820, "send_text.reject.id_reused", COUNTER, "requests", "answered ID_REUSED"),

    SEND_MEDIA_REQUESTS(830, "send_media.requests", COUNTER, "requests", "requests received by the send_media service"),
    SEND_MEDIA_ERRORS(831, "send_media.errors", COUNTER, "errors", "unexpected errors in the send_media pipeline"),
    SEND_MEDIA_LATENCY_MAX_US(832, "send_media.latency_max_us", GAUGE, "us", "largest send_media request time over the last second"),
    SEND_MEDIA_IN_FLIGHT(833, "send_media.in_flight", GAUGE, "requests", "send_media requests in flight"),
    SEND_MEDIA_KV_OPS(834, "send_media.kv_ops", COUNTER, "operations", "KVSvr operations issued by the send_media service"),
    SEND_MEDIA_KV_FAILURES(835, "send_media.kv_failures", COUNTER, "operations", "KVSvr operations that timed out or found no majority"),
    SEND_MEDIA_REPLY_DROPPED(836, "send_media.reply_dropped", COUNTER, "messages", "send_media replies and pushes the gateway publication refused"),
    SEND_MEDIA_SENT(837, "send_media.sent", COUNTER, "messages", "messages stored in both timelines"),
    SEND_MEDIA_RETRIES(838, "send_media.retries", COUNTER, "requests", "sends answered from an earlier attempt's record (same client message id)"),
    SEND_MEDIA_SEQ_FAILURES(839, "send_media.seq_failures", COUNTER, "requests", "sequence allocations that failed or timed out"),
    SEND_MEDIA_REJECT_BAD_REQUEST(851, "send_media.reject.bad_request", COUNTER, "requests", "answered BAD_REQUEST"),
    SEND_MEDIA_REJECT_NOT_FOUND(859, "send_media.reject.not_found", COUNTER, "requests", "answered NOT_FOUND: no such recipient"),
    SEND_MEDIA_REJECT_BUSY(862, "send_media.reject.busy", COUNTER, "requests", "answered BUSY: pipeline full"),
    SEND_MEDIA_REJECT_UNAVAILABLE(863, "send_media.reject.unavailable", COUNTER, "requests", "answered UNAVAILABLE: storage or the sequence allocator did not answer"),
    SEND_MEDIA_REJECT_INTERNAL(865, "send_media.reject.internal", COUNTER, "requests", "answered INTERNAL"),
    SEND_MEDIA_REJECT_NOT_CONTACT(868, "send_media.reject.not_contact", COUNTER, "requests", "answered NOT_CONTACT"),
    SEND_MEDIA_REJECT_BLOCKED(869, "send_media.reject.blocked", COUNTER, "requests", "answered BLOCKED"),
    SEND_MEDIA_REJECT_ID_REUSED(870, "send_media.reject.id_reused", COUNTER, "requests", "answered ID_REUSED"),

    SYNC_REQUESTS(880, "sync.requests", COUNTER, "requests", "requests received by the sync service"),
    SYNC_ERRORS(881, "sync.errors", COUNTER, "errors", "unexpected errors in the sync pipeline"),
    SYNC_LATENCY_MAX_US(882, "sync.latency_max_us", GAUGE, "us", "largest sync request time over the last second"),
    SYNC_IN_FLIGHT(883, "sync.in_flight", GAUGE, "requests", "sync requests in flight"),
    SYNC_KV_OPS(884, "sync.kv_ops", COUNTER, "operations", "KVSvr operations issued by the sync service"),
    SYNC_KV_FAILURES(885, "sync.kv_failures", COUNTER, "operations", "KVSvr operations that timed out or found no majority"),
    SYNC_REPLY_DROPPED(886, "sync.reply_dropped", COUNTER, "messages", "sync replies and pushes the gateway publication refused"),
    SYNC_MESSAGES(887, "sync.messages", COUNTER, "messages", "messages returned"),
    SYNC_HELD_BACK(888, "sync.held_back", COUNTER, "requests", "syncs that stopped before a sequence still being stored"),
    SYNC_GAPS_SKIPPED(889, "sync.gaps_skipped", COUNTER, "sequences", "sequences skipped as abandoned (allocated, never stored)"),
    SYNC_REJECT_BAD_REQUEST(901, "sync.reject.bad_request", COUNTER, "requests", "answered BAD_REQUEST"),
    SYNC_REJECT_BUSY(912, "sync.reject.busy", COUNTER, "requests", "answered BUSY: pipeline full"),
    SYNC_REJECT_UNAVAILABLE(913, "sync.reject.unavailable", COUNTER, "requests", "answered UNAVAILABLE: storage did not answer"),
    SYNC_REJECT_INTERNAL(915, "sync.reject.internal", COUNTER, "requests", "answered INTERNAL"),
    SYNC_REJECT_BAD_SYNC_KEY(917, "sync.reject.bad_sync_key", COUNTER, "requests", "answered BAD_SYNC_KEY: a key from the future"),

    SEQ_REQUESTS(930, "seq.requests", COUNTER, "requests", "allocation requests received"),
    SEQ_ALLOCATED(931, "seq.allocated", COUNTER, "sequences", "sequences handed out"),
    SEQ_REFUSED(932, "seq.refused", COUNTER, "requests", "requests refused: too many waiting, bad UIN, or no reply channel"),
    SEQ_SECTIONS(933, "seq.sections", GAUGE, "sections", "sections this allocator holds"),
    SEQ_CEILING_WRITES(934, "seq.ceiling_writes", COUNTER, "operations", "section ceilings raised or leases renewed (compare-and-set)"),
    SEQ_CEILING_CONFLICTS(935, "seq.ceiling_conflicts", COUNTER, "operations", "compare-and-sets lost to another allocator: the section is read again"),
    SEQ_WAITING(936, "seq.waiting", GAUGE, "requests", "requests waiting for a section's ceiling or lease"),
    SEQ_KV_FAILURES(937, "seq.kv_failures", COUNTER, "operations", "ceiling reads and writes that failed or timed out"),
    SEQ_MALFORMED(938, "seq.malformed", COUNTER, "messages", "messages dropped as malformed"),
    SEQ_EXPIRED(939, "seq.expired", COUNTER, "requests", "requests that waited too long and were answered UNAVAILABLE"),
    SEQ_LEASE_WAITS(940, "seq.lease_waits", COUNTER, "sections", "sections found under another allocator's lease: taken over when it ends"),

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
