package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.sbe.MonitorKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates alarm rules against the stored series at a sample time and turns changes of their outcome into
 * {@link AlarmEvent}s: fire when a rule starts to breach, clear when it stops. A rule whose quantity cannot be
 * computed (no samples in its window, no history a day or week back) keeps its state. Time comes only from the
 * arguments, so tests drive it with any clock. Not thread-safe: the center guards it with its lock.
 */
final class AlarmEvaluator
{
    static final long DAY_MS = 86_400_000L;
    static final long WEEK_MS = 7 * DAY_MS;

    /** A rule and whether it fires. */
    static final class State
    {
        final AlarmRule rule;
        boolean active;
        long sinceMs;
        double value = Double.NaN;
        long sampleTimeMs;

        State(final AlarmRule rule)
        {
            this.rule = rule;
        }
    }

    private final List<State> states = new ArrayList<>();

    AlarmEvaluator(final List<AlarmRule> rules)
    {
        for (final AlarmRule rule : rules)
        {
            states.add(new State(rule));
        }
    }

    /** @return every rule's state, in file order. */
    List<State> states()
    {
        return states;
    }

    /** @return true when some rule watches the sum over every machine. */
    boolean hasRulesOverAllMachines()
    {
        for (final State state : states)
        {
            if (null == state.rule.machine())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluate the rules of one scope at a sample time.
     *
     * @param store        the series.
     * @param machineName  the machine whose rules to evaluate, or null for the rules over every machine.
     * @param sampleTimeMs the sample time to evaluate at: windows end there.
     * @param nowMs        the time now, stamped on events.
     * @param events       receives the fire and clear events.
     */
    void evaluate(final SeriesStore store, final String machineName, final long sampleTimeMs, final long nowMs,
        final List<AlarmEvent> events)
    {
        for (final State state : states)
        {
            final String ruleMachine = state.rule.machine();
            if (null == machineName ? null != ruleMachine : !machineName.equals(ruleMachine))
            {
                continue;
            }
            final int machine = null == machineName ? SeriesStore.ALL_MACHINES : store.findMachine(machineName);
            final double value = quantity(state.rule, store, machine, sampleTimeMs);
            if (Double.isNaN(value))
            {
                continue;
            }
            state.value = value;
            state.sampleTimeMs = sampleTimeMs;
            final boolean breached = state.rule.breached(value);
            if (breached != state.active)
            {
                state.active = breached;
                state.sinceMs = nowMs;
                final SeriesStore.IdEntry entry = store.find(state.rule.id());
                events.add(new AlarmEvent(breached ? AlarmEvent.Type.FIRE : AlarmEvent.Type.CLEAR, state.rule,
                    null != entry ? entry.name : "id." + state.rule.id(), value, sampleTimeMs, nowMs));
            }
        }
    }

    /**
     * The quantity a rule compares with its threshold at a sample time; see {@link AlarmRule.Kind}.
     *
     * @param machine a machine index, or {@link SeriesStore#ALL_MACHINES}.
     * @return the quantity, or NaN when it cannot be computed.
     */
    static double quantity(final AlarmRule rule, final SeriesStore store, final int machine, final long timeMs)
    {
        final SeriesStore.IdEntry entry = store.find(rule.id());
        if (null == entry || (machine < 0 && machine != SeriesStore.ALL_MACHINES))
        {
            return Double.NaN;
        }
        final int id = rule.id();
        final long intervalMs = entry.intervalMs();
        final long windowMs = rule.windowMs() > 0 ? rule.windowMs() : intervalMs;
        switch (rule.kind())
        {
            case ABOVE:
            case BELOW:
                return entry.kind == MonitorKind.COUNTER ?
                    store.windowSum(id, machine, timeMs - windowMs, timeMs) :
                    store.windowMean(id, machine, timeMs - windowMs, timeMs);
            case RATE_OF_CHANGE:
            {
                final double now = store.windowMean(id, machine, timeMs - intervalMs, timeMs);
                final long thenMs = timeMs - rule.windowMs();
                final double then = store.windowMean(id, machine, thenMs - intervalMs, thenMs);
                return changePercent(now, then);
            }
            case VS_DAY_AGO:
            case VS_WEEK_AGO:
            {
                final long lookBackMs = rule.kind() == AlarmRule.Kind.VS_DAY_AGO ? DAY_MS : WEEK_MS;
                final double now = store.windowMean(id, machine, timeMs - windowMs, timeMs);
                final long thenMs = timeMs - lookBackMs;
                final double then = store.windowMean(id, machine, thenMs - windowMs, thenMs);
                return ratioPercent(now, then);
            }
            default:
                return Double.NaN;
        }
    }

    /** @return (now - then) / |then| x 100; infinite when then is 0 and now is not; NaN when either is. */
    static double changePercent(final double now, final double then)
    {
        if (Double.isNaN(now) || Double.isNaN(then))
        {
            return Double.NaN;
        }
        if (then == 0)
        {
            return now > 0 ? Double.POSITIVE_INFINITY : now < 0 ? Double.NEGATIVE_INFINITY : 0;
        }
        return (now - then) / Math.abs(then) * 100.0;
    }

    /** @return now / then x 100; 100 when both are 0, infinite when only then is; NaN when either is. */
    static double ratioPercent(final double now, final double then)
    {
        if (Double.isNaN(now) || Double.isNaN(then))
        {
            return Double.NaN;
        }
        if (then == 0)
        {
            return now > 0 ? Double.POSITIVE_INFINITY : now < 0 ? Double.NEGATIVE_INFINITY : 100;
        }
        return now / then * 100.0;
    }
}
