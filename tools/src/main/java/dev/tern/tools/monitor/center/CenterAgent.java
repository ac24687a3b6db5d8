package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.IdDeclarationDecoder;
import dev.tern.codecs.monitor.sbe.IdValueReportDecoder;
import dev.tern.codecs.monitor.sbe.MessageHeaderDecoder;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import io.aeron.Subscription;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The center's duty cycle: read reports ({@link ReportAdapter}), append each valid message to the
 * {@link SegmentStore}, apply it to the {@link SeriesStore}, evaluate alarm rules as reports complete, and publish
 * alarm events (log, webhook, page). Per-machine rules are evaluated when that machine's report completes; rules over
 * every machine when every machine active recently has reported the sample time, or one interval after the first
 * did, whichever comes first: at most two sampling intervals after a crossing.
 */
final class CenterAgent implements Agent, ReportAdapter.Listener
{
    static final int FRAGMENT_LIMIT = 64;
    static final long HOUSEKEEPING_INTERVAL_MS = 1000;
    static final long MACHINE_ACTIVE_MS = 60_000;
    static final int MAX_SESSIONS = 100_000;

    /** A reporting machine. */
    static final class MachineState
    {
        final int index;
        final String name;
        long lastSampleMs = Long.MIN_VALUE;
        long lastReceivedMs = Long.MIN_VALUE;
        int intervalMs = 1000;

        MachineState(final int index, final String name)
        {
            this.index = index;
            this.name = name;
        }
    }

    private final EpochClock clock;
    private final CenterState state;
    private final SeriesStore store;
    private final SegmentStore segments;
    private final WebhookNotifier notifier;
    private final Writer alarmLog;
    private final PrintStream out;
    private final Monitor monitor;
    private final ErrorHandler errorHandler;
    private final Consumer<AlarmEvent> alarmListener;
    private final ReportListener reportListener;
    private final ReportAdapter adapter;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final IdValueReportDecoder reportDecoder = new IdValueReportDecoder();
    private final IdDeclarationDecoder declarationDecoder = new IdDeclarationDecoder();
    private final int[] stagedIds = new int[65_535];
    private final byte[] stagedKinds = new byte[65_535];
    private final long[] stagedValues = new long[65_535];
    private final Long2ObjectHashMap<MachineState> sessions = new Long2ObjectHashMap<>();
    private final List<MachineState> machines = new ArrayList<>();
    private final List<AlarmEvent> pendingEvents = new ArrayList<>();

    private long nowMs;
    private long nextHousekeepingMs;
    private long lastSumEvaluatedMs = Long.MIN_VALUE;
    private long newestSampleMs = Long.MIN_VALUE;
    private long newestFirstSeenMs;
    private int newestIntervalMs = 1000;
    private long reportedStoreBytes;
    private long reportedWebhookFailures;
    private long reportedWebhookDropped;

    CenterAgent(
        final EpochClock clock,
        final CenterState state,
        final SegmentStore segments,
        final Subscription subscription,
        final WebhookNotifier notifier,
        final Writer alarmLog,
        final PrintStream out,
        final Monitor monitor,
        final Consumer<AlarmEvent> alarmListener,
        final ReportListener reportListener)
    {
        this.clock = clock;
        this.state = state;
        this.store = state.store;
        this.segments = segments;
        this.notifier = notifier;
        this.alarmLog = alarmLog;
        this.out = out;
        this.monitor = monitor;
        this.errorHandler = monitor.errorHandler();
        this.alarmListener = alarmListener;
        this.reportListener = reportListener;
        this.adapter = null != subscription ? new ReportAdapter(subscription, this) : null;
    }

    /**
     * Rebuild the series from the segment files; rules are not evaluated for the past.
     *
     * @return messages replayed.
     */
    long replay()
    {
        nowMs = clock.time();
        final long records = segments.replay((buffer, offset, length, receivedMs) ->
        {
            if (MonitorMessageValidator.validate(buffer, offset, length) == MonitorMessageValidator.VALID)
            {
                apply(buffer, offset, length, receivedMs, false);
            }
        }, nowMs);
        monitor.add(MonitorId.CENTER_STORE_TRUNCATED, segments.truncatedBytes());
        lastSumEvaluatedMs = newestSampleMs;
        return records;
    }

    public int doWork()
    {
        nowMs = clock.time();
        int work = null != adapter ? adapter.poll(FRAGMENT_LIMIT) : 0;
        work += evaluateRulesOverAllMachines();
        if (nowMs >= nextHousekeepingMs)
        {
            nextHousekeepingMs = nowMs + HOUSEKEEPING_INTERVAL_MS;
            housekeeping();
            work++;
        }
        publishEvents();
        return work;
    }

    public void onClose()
    {
        segments.close();
    }

    public String roleName()
    {
        return "tern-monitor-center";
    }

    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            segments.append(buffer, offset, length, nowMs);
        }
        catch (final UncheckedIOException | IllegalArgumentException ex)
        {
            errorHandler.onError(ex);
        }
        apply(buffer, offset, length, nowMs, true);
    }

    public void onMalformed(final int reason)
    {
        monitor.add(MonitorId.CENTER_MALFORMED, 1);
    }

    private void apply(final DirectBuffer buffer, final int offset, final int length, final long receivedMs,
        final boolean live)
    {
        headerDecoder.wrap(buffer, offset);
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        synchronized (state)
        {
            if (headerDecoder.templateId() == IdValueReportDecoder.TEMPLATE_ID)
            {
                applyReport(buffer, bodyOffset, blockLength, version, receivedMs, live);
            }
            else
            {
                applyDeclaration(buffer, bodyOffset, blockLength, version);
            }
        }
    }

    private void applyReport(final DirectBuffer buffer, final int offset, final int blockLength, final int version,
        final long receivedMs, final boolean live)
    {
        reportDecoder.wrap(buffer, offset, blockLength, version);
        final long sessionId = reportDecoder.agentSessionId();
        final long sampleTimeMs = reportDecoder.sampleTimeMs();
        final int intervalMs = reportDecoder.intervalMs();
        final int partIndex = reportDecoder.partIndex();
        final int partCount = reportDecoder.partCount();
        int count = 0;
        for (final IdValueReportDecoder.ValuesDecoder values : reportDecoder.values())
        {
            stagedIds[count] = values.monitorId();
            stagedKinds[count] = (byte)values.kindRaw();
            stagedValues[count] = values.value();
            count++;
        }
        MachineState machine = sessions.get(sessionId);
        if (null == machine)
        {
            machine = machine(reportDecoder.machine());
            rememberSession(sessionId, machine);
        }

        long late = 0;
        for (int i = 0; i < count; i++)
        {
            if (!store.put(machine.index, stagedIds[i], MonitorKind.get(stagedKinds[i]), stagedValues[i], sampleTimeMs,
                intervalMs))
            {
                late++;
            }
        }
        if (live)
        {
            monitor.add(MonitorId.CENTER_REPORTS, 1);
            monitor.add(MonitorId.CENTER_VALUES, count - late);
            monitor.add(MonitorId.CENTER_LATE_VALUES, late);
        }
        if (partIndex == partCount - 1)
        {
            onReportComplete(machine, sampleTimeMs, intervalMs, receivedMs, live);
        }
    }

    private void applyDeclaration(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        declarationDecoder.wrap(buffer, offset, blockLength, version);
        final long sessionId = declarationDecoder.agentSessionId();
        for (final IdDeclarationDecoder.IdsDecoder ids : declarationDecoder.ids())
        {
            final int id = ids.monitorId();
            final MonitorKind kind = MonitorKind.get(ids.kindRaw());
            final String name = ids.name();
            final String unit = ids.unit();
            store.declare(id, kind, name, unit);
        }
        final String machineName = declarationDecoder.machine();
        if (null == sessions.get(sessionId))
        {
            rememberSession(sessionId, machine(machineName));
        }
    }

    private void onReportComplete(final MachineState machine, final long sampleTimeMs, final int intervalMs,
        final long receivedMs, final boolean live)
    {
        machine.lastSampleMs = Math.max(machine.lastSampleMs, sampleTimeMs);
        machine.lastReceivedMs = receivedMs;
        machine.intervalMs = intervalMs;
        if (sampleTimeMs > newestSampleMs)
        {
            newestSampleMs = sampleTimeMs;
            newestFirstSeenMs = receivedMs;
            newestIntervalMs = intervalMs;
        }
        if (!live)
        {
            return;
        }
        monitor.set(MonitorId.CENTER_REPORT_DELAY_MS, receivedMs - sampleTimeMs);
        state.evaluator.evaluate(store, machine.name, sampleTimeMs, receivedMs, pendingEvents);
        if (null != reportListener)
        {
            reportListener.onReport(machine.name, sampleTimeMs, receivedMs);
        }
    }

    private int evaluateRulesOverAllMachines()
    {
        if (newestSampleMs <= lastSumEvaluatedMs || !state.evaluator.hasRulesOverAllMachines())
        {
            return 0;
        }
        long oldestOfActive = Long.MAX_VALUE;
        for (int i = 0, size = machines.size(); i < size; i++)
        {
            final MachineState machine = machines.get(i);
            if (machine.lastReceivedMs >= nowMs - 3L * machine.intervalMs)
            {
                oldestOfActive = Math.min(oldestOfActive, machine.lastSampleMs);
            }
        }
        final long evaluateAtMs;
        if (oldestOfActive != Long.MAX_VALUE && oldestOfActive > lastSumEvaluatedMs)
        {
            evaluateAtMs = oldestOfActive;
        }
        else if (nowMs - newestFirstSeenMs >= newestIntervalMs)
        {
            evaluateAtMs = newestSampleMs;
        }
        else
        {
            return 0;
        }
        lastSumEvaluatedMs = evaluateAtMs;
        synchronized (state)
        {
            state.evaluator.evaluate(store, null, evaluateAtMs, nowMs, pendingEvents);
        }
        return 1;
    }

    private void publishEvents()
    {
        if (pendingEvents.isEmpty())
        {
            return;
        }
        for (int i = 0, size = pendingEvents.size(); i < size; i++)
        {
            final AlarmEvent event = pendingEvents.get(i);
            final String json = event.toJson();
            synchronized (state)
            {
                state.remember(event);
            }
            if (event.type() == AlarmEvent.Type.FIRE)
            {
                monitor.add(MonitorId.CENTER_ALARMS_FIRED, 1);
            }
            out.println("tern monitor: alarm " + (event.type() == AlarmEvent.Type.FIRE ? "FIRE " : "CLEAR ") +
                event.rule() + " value=" + event.value() + " " + json);
            try
            {
                alarmLog.write(json);
                alarmLog.write('\n');
                alarmLog.flush();
            }
            catch (final IOException ex)
            {
                errorHandler.onError(ex);
            }
            if (null != notifier)
            {
                notifier.offer(json);
            }
            if (null != alarmListener)
            {
                alarmListener.accept(event);
            }
        }
        pendingEvents.clear();
        updateActiveAlarms();
    }

    private void housekeeping()
    {
        try
        {
            segments.flush();
        }
        catch (final UncheckedIOException ex)
        {
            errorHandler.onError(ex);
        }
        monitor.add(MonitorId.CENTER_STORE_BYTES, segments.appendedBytes() - reportedStoreBytes);
        reportedStoreBytes = segments.appendedBytes();
        if (null != notifier)
        {
            monitor.add(MonitorId.CENTER_WEBHOOK_FAILURES, notifier.failures() - reportedWebhookFailures);
            reportedWebhookFailures = notifier.failures();
            monitor.add(MonitorId.CENTER_WEBHOOK_DROPPED, notifier.dropped() - reportedWebhookDropped);
            reportedWebhookDropped = notifier.dropped();
        }
        int active = 0;
        for (final MachineState machine : machines)
        {
            if (machine.lastReceivedMs >= nowMs - MACHINE_ACTIVE_MS)
            {
                active++;
            }
        }
        monitor.set(MonitorId.CENTER_AGENTS, active);
        updateActiveAlarms();
    }

    private void updateActiveAlarms()
    {
        int active = 0;
        synchronized (state)
        {
            for (final AlarmEvaluator.State alarm : state.evaluator.states())
            {
                active += alarm.active ? 1 : 0;
            }
        }
        monitor.set(MonitorId.CENTER_ALARMS_ACTIVE, active);
    }

    private MachineState machine(final String name)
    {
        final int index = store.machine(name);
        while (machines.size() <= index)
        {
            machines.add(new MachineState(machines.size(), store.machineName(machines.size())));
        }
        return machines.get(index);
    }

    private void rememberSession(final long sessionId, final MachineState machine)
    {
        if (sessions.size() >= MAX_SESSIONS)
        {
            sessions.clear();
        }
        sessions.put(sessionId, machine);
    }
}
