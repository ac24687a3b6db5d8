package dev.tern.tools.monitor.center;

import java.util.ArrayDeque;

/**
 * What the center's duty cycle writes and its HTTP threads read: the series, the alarm states and the recent alarm
 * events. It is the lock: hold it (synchronized on this object) for any access.
 */
final class CenterState
{
    static final int MAX_RECENT_EVENTS = 200;

    final SeriesStore store;
    final AlarmEvaluator evaluator;
    final ArrayDeque<AlarmEvent> recentEvents = new ArrayDeque<>();

    CenterState(final SeriesStore store, final AlarmEvaluator evaluator)
    {
        this.store = store;
        this.evaluator = evaluator;
    }

    /** Keep an event for the page, forgetting the oldest beyond {@link #MAX_RECENT_EVENTS}. */
    void remember(final AlarmEvent event)
    {
        recentEvents.addFirst(event);
        while (recentEvents.size() > MAX_RECENT_EVENTS)
        {
            recentEvents.removeLast();
        }
    }
}
