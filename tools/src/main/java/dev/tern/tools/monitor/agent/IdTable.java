package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.sbe.MonitorKind;
import dev.tern.tools.monitor.MonitorProtocol;
import org.agrona.collections.Int2IntHashMap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The machine-wide view of one sample: every monitor ID seen on the machine, with its kind, name and unit, and the
 * value of the current sample (summed over the machine's files: deltas for counters, values for gauges).
 * <p>
 * IDs get a slot when first seen and keep it; a sample touches slots by index without allocating. Only the
 * sampling thread uses it.
 */
final class IdTable
{
    static final int NO_SLOT = -1;
    private static final int INITIAL_SLOTS = 256;

    private final Int2IntHashMap slotById = new Int2IntHashMap(NO_SLOT);
    private int slotCount;
    private int[] ids = new int[INITIAL_SLOTS];
    private byte[] kinds = new byte[INITIAL_SLOTS];
    private long[] values = new long[INITIAL_SLOTS];
    private long[] sampleStamps = new long[INITIAL_SLOTS];
    private byte[][] names = new byte[INITIAL_SLOTS][];
    private byte[][] units = new byte[INITIAL_SLOTS][];

    private int[] sampled = new int[INITIAL_SLOTS];
    private int sampledCount;
    private int[] undeclared = new int[INITIAL_SLOTS];
    private int undeclaredCount;
    private long sampleStamp;

    /**
     * Start a sample: no slot has a value for it yet.
     */
    void beginSample()
    {
        sampleStamp++;
        sampledCount = 0;
    }

    /**
     * @param monitorId a monitor ID.
     * @return its slot, or {@link #NO_SLOT} when never seen.
     */
    int slotOf(final int monitorId)
    {
        return slotById.get(monitorId);
    }

    /**
     * Give a newly seen ID a slot; it will be declared to the center with the next declaration.
     *
     * @return the slot.
     */
    int register(final int monitorId, final MonitorKind kind, final String name, final String unit)
    {
        final int existing = slotById.get(monitorId);
        if (NO_SLOT != existing)
        {
            return existing;
        }
        if (slotCount == ids.length)
        {
            final int capacity = slotCount * 2;
            ids = Arrays.copyOf(ids, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            values = Arrays.copyOf(values, capacity);
            sampleStamps = Arrays.copyOf(sampleStamps, capacity);
            names = Arrays.copyOf(names, capacity);
            units = Arrays.copyOf(units, capacity);
            sampled = Arrays.copyOf(sampled, capacity);
        }
        final int slot = slotCount++;
        ids[slot] = monitorId;
        kinds[slot] = (byte)kind.value();
        names[slot] = printable(null == name || name.isEmpty() ? "id_" + monitorId : name, MonitorProtocol.MAX_NAME_LENGTH);
        units[slot] = printable(unit, MonitorProtocol.MAX_UNIT_LENGTH);
        sampleStamps[slot] = 0;
        slotById.put(monitorId, slot);
        if (undeclaredCount == undeclared.length)
        {
            undeclared = Arrays.copyOf(undeclared, undeclaredCount * 2);
        }
        undeclared[undeclaredCount++] = slot;
        return slot;
    }

    /**
     * Add to a slot's value for the current sample; the first touch of a sample starts from 0.
     */
    void accumulate(final int slot, final long value)
    {
        if (sampleStamps[slot] != sampleStamp)
        {
            sampleStamps[slot] = sampleStamp;
            values[slot] = 0;
            sampled[sampledCount++] = slot;
        }
        values[slot] += value;
    }

    /** @return how many slots the current sample touched. */
    int sampledCount()
    {
        return sampledCount;
    }

    /** @return the slot of the index-th ID of the current sample. */
    int sampledSlot(final int index)
    {
        return sampled[index];
    }

    /** @return how many slots wait to be declared. */
    int undeclaredCount()
    {
        return undeclaredCount;
    }

    /** @return the slot of the index-th ID waiting to be declared. */
    int undeclaredSlot(final int index)
    {
        return undeclared[index];
    }

    /** The IDs waiting for a declaration were declared. */
    void clearUndeclared()
    {
        undeclaredCount = 0;
    }

    /** Queue every known ID for declaration again, so that a restarted center relearns them. */
    void redeclareAll()
    {
        if (undeclared.length < slotCount)
        {
            undeclared = new int[ids.length];
        }
        for (int slot = 0; slot < slotCount; slot++)
        {
            undeclared[slot] = slot;
        }
        undeclaredCount = slotCount;
    }

    int slotCount()
    {
        return slotCount;
    }

    int id(final int slot)
    {
        return ids[slot];
    }

    int kindCode(final int slot)
    {
        return kinds[slot];
    }

    long value(final int slot)
    {
        return values[slot];
    }

    byte[] name(final int slot)
    {
        return names[slot];
    }

    byte[] unit(final int slot)
    {
        return units[slot];
    }

    /** Names travel as printable ASCII: anything else becomes '_', so that the center accepts them. */
    private static byte[] printable(final String text, final int maxLength)
    {
        final byte[] bytes = (null == text ? "" : text).getBytes(StandardCharsets.US_ASCII);
        final byte[] result = Arrays.copyOf(bytes, Math.min(bytes.length, maxLength));
        for (int i = 0; i < result.length; i++)
        {
            if (result[i] < 0x21 || result[i] > 0x7e)
            {
                result[i] = '_';
            }
        }
        return result;
    }
}
