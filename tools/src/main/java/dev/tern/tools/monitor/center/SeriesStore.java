package dev.tern.tools.monitor.center;

import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Everything the center holds in memory: per monitor ID its name, kind and unit, and one {@link Series} per machine
 * that reports it. Rebuilt from the segment files on start. Not thread-safe: the center guards it with its lock.
 */
final class SeriesStore
{
    /** Marks a sum over every machine in queries and rules. */
    static final int ALL_MACHINES = -1;

    /** One monitor ID. */
    static final class IdEntry
    {
        final int id;
        String name;
        MonitorKind kind;
        String unit;
        boolean declared;
        Series[] byMachine = new Series[0];

        IdEntry(final int id, final MonitorKind kind)
        {
            this.id = id;
            this.kind = kind;
            final MonitorId registered = MonitorId.find(id);
            this.name = null != registered ? registered.metricName() : "id." + id;
            this.unit = null != registered ? registered.unit() : "";
        }

        /** @return the series of a machine, or null. */
        Series series(final int machine)
        {
            return machine >= 0 && machine < byMachine.length ? byMachine[machine] : null;
        }

        /** @return the largest sampling interval among the machines, ms; 1000 when none reported. */
        int intervalMs()
        {
            int interval = 0;
            for (final Series series : byMachine)
            {
                if (null != series)
                {
                    interval = Math.max(interval, series.intervalMs());
                }
            }
            return interval > 0 ? interval : 1000;
        }
    }

    private final int finePoints;
    private final int minuteBuckets;
    private final Int2ObjectHashMap<IdEntry> entries = new Int2ObjectHashMap<>();
    private final List<String> machines = new ArrayList<>();
    private final Object2IntHashMap<String> machineIndex = new Object2IntHashMap<>(-1);
    private final Series.Window window = new Series.Window();

    /**
     * @param finePoints    points kept per series at full resolution.
     * @param minuteBuckets minutes kept per series.
     */
    SeriesStore(final int finePoints, final int minuteBuckets)
    {
        this.finePoints = finePoints;
        this.minuteBuckets = minuteBuckets;
    }

    /**
     * @param name a machine's name.
     * @return its index, created on first sight.
     */
    int machine(final String name)
    {
        int index = machineIndex.getValue(name);
        if (index < 0)
        {
            index = machines.size();
            machines.add(name);
            machineIndex.put(name, index);
        }
        return index;
    }

    /** @return the index of a machine, or -1 when it never reported. */
    int findMachine(final String name)
    {
        return machineIndex.getValue(name);
    }

    /** @return the name of a machine by index. */
    String machineName(final int index)
    {
        return machines.get(index);
    }

    /** @return how many machines ever reported. */
    int machineCount()
    {
        return machines.size();
    }

    /**
     * Record an ID's registry entry from a declaration.
     */
    void declare(final int id, final MonitorKind kind, final String name, final String unit)
    {
        final IdEntry entry = entry(id, kind);
        entry.name = name;
        entry.unit = unit;
        entry.declared = true;
    }

    /**
     * Store one reported value.
     *
     * @return false when it was older than its series' newest point and dropped.
     */
    boolean put(final int machine, final int id, final MonitorKind kind, final long value, final long timeMs,
        final int intervalMs)
    {
        final IdEntry entry = entry(id, kind);
        if (machine >= entry.byMachine.length)
        {
            entry.byMachine = Arrays.copyOf(entry.byMachine, Math.max(machine + 1, machines.size()));
        }
        Series series = entry.byMachine[machine];
        if (null == series)
        {
            series = new Series(machine, entry.kind == MonitorKind.COUNTER, finePoints, minuteBuckets);
            entry.byMachine[machine] = series;
        }
        return series.add(timeMs, value, intervalMs);
    }

    /** @return an ID's entry, or null when it was never reported nor declared. */
    IdEntry find(final int id)
    {
        return entries.get(id);
    }

    /** @return every ID's entry, in no order. */
    Collection<IdEntry> entries()
    {
        return entries.values();
    }

    /**
     * The sum of an ID's values in (fromMs, toMs], over one machine or all.
     *
     * @return the sum, or NaN when no sample falls in the window.
     */
    double windowSum(final int id, final int machine, final long fromMs, final long toMs)
    {
        return window(id, machine, fromMs, toMs, false);
    }

    /**
     * The mean value per sample of an ID in (fromMs, toMs], summed over one machine or all: for gauges the level,
     * for counters the mean delta per interval.
     *
     * @return the mean, or NaN when no sample falls in the window.
     */
    double windowMean(final int id, final int machine, final long fromMs, final long toMs)
    {
        return window(id, machine, fromMs, toMs, true);
    }

    private double window(final int id, final int machine, final long fromMs, final long toMs, final boolean mean)
    {
        final IdEntry entry = entries.get(id);
        if (null == entry)
        {
            return Double.NaN;
        }
        boolean any = false;
        double total = 0;
        for (final Series series : entry.byMachine)
        {
            if (null != series && (machine == ALL_MACHINES || series.machine == machine) &&
                series.window(fromMs, toMs, window.reset()))
            {
                any = true;
                total += mean ? window.sum / window.count : window.sum;
            }
        }
        return any ? total : Double.NaN;
    }

    private IdEntry entry(final int id, final MonitorKind kind)
    {
        IdEntry entry = entries.get(id);
        if (null == entry)
        {
            entry = new IdEntry(id, kind);
            entries.put(id, entry);
        }
        return entry;
    }
}
