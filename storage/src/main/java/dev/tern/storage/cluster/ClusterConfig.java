package dev.tern.storage.cluster;

import org.agrona.DirectBuffer;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The static membership of a KVSvr cluster: its groups, each group's replicas (UDP endpoints), and the slot table
 * that maps every key to one group. Read from a cluster file:
 * <pre>
 *   # 16384 slots; every slot belongs to exactly one group
 *   group.0.replicas=127.0.0.1:21001,127.0.0.1:21002,127.0.0.1:21003
 *   group.0.slots=0-8191
 *   group.1.replicas=127.0.0.1:21011,127.0.0.1:21012,127.0.0.1:21013
 *   group.1.slots=8192-16383
 * </pre>
 * Slots may be listed as ranges and single numbers separated by commas. Immutable and thread-safe.
 */
public final class ClusterConfig
{
    /** Number of slots the key space is cut into. */
    public static final int SLOT_COUNT = 16384;

    private final List<List<String>> groups;
    private final int[] slotToGroup;

    private ClusterConfig(final List<List<String>> groups, final int[] slotToGroup)
    {
        this.groups = groups;
        this.slotToGroup = slotToGroup;
    }

    /**
     * @param file a cluster file.
     * @return the cluster.
     * @throws IllegalArgumentException naming what is wrong with the file.
     */
    public static ClusterConfig load(final File file)
    {
        try (Reader reader = Files.newBufferedReader(file.toPath(), StandardCharsets.UTF_8))
        {
            final Properties properties = new Properties();
            properties.load(reader);
            return parse(properties, file.toString());
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read cluster file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param properties the file's content.
     * @param source     named in errors.
     * @return the cluster.
     */
    public static ClusterConfig parse(final Properties properties, final String source)
    {
        final TreeSet<Integer> groupIds = new TreeSet<>();
        for (final String name : properties.stringPropertyNames())
        {
            final String[] parts = name.split("\\.");
            if (parts.length != 3 || !parts[0].equals("group") ||
                !(parts[2].equals("replicas") || parts[2].equals("slots")))
            {
                throw new IllegalArgumentException(source + ": unknown setting '" + name +
                    "' (expected group.<n>.replicas or group.<n>.slots)");
            }
            try
            {
                groupIds.add(Integer.parseInt(parts[1]));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(source + ": group id in '" + name + "' is not a number", ex);
            }
        }
        if (groupIds.isEmpty())
        {
            throw new IllegalArgumentException(source + ": no groups defined");
        }
        if (groupIds.first() != 0 || groupIds.last() != groupIds.size() - 1)
        {
            throw new IllegalArgumentException(source + ": group ids must be 0.." + (groupIds.size() - 1) +
                ", found " + groupIds);
        }

        final List<List<String>> groups = new ArrayList<>();
        final int[] slotToGroup = new int[SLOT_COUNT];
        Arrays.fill(slotToGroup, -1);
        for (final int groupId : groupIds)
        {
            final String replicas = properties.getProperty("group." + groupId + ".replicas");
            if (null == replicas || replicas.isBlank())
            {
                throw new IllegalArgumentException(source + ": group." + groupId + ".replicas is missing");
            }
            final List<String> endpoints = new ArrayList<>();
            for (final String endpoint : replicas.split(","))
            {
                final String trimmed = endpoint.trim();
                if (!trimmed.matches("[^:\\s]+:\\d{1,5}"))
                {
                    throw new IllegalArgumentException(source + ": group." + groupId + " replica '" + trimmed +
                        "' is not host:port");
                }
                endpoints.add(trimmed);
            }
            if (endpoints.size() % 2 == 0 || endpoints.size() > 31)
            {
                throw new IllegalArgumentException(source + ": group." + groupId + " has " + endpoints.size() +
                    " replicas; a group needs an odd number (3 or 5), at most 31");
            }
            groups.add(List.copyOf(endpoints));

            final String slots = properties.getProperty("group." + groupId + ".slots");
            if (null == slots || slots.isBlank())
            {
                throw new IllegalArgumentException(source + ": group." + groupId + ".slots is missing");
            }
            for (final String range : slots.split(","))
            {
                final String[] bounds = range.trim().split("-");
                final int from;
                final int to;
                try
                {
                    from = Integer.parseInt(bounds[0].trim());
                    to = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : from;
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException(source + ": group." + groupId + ".slots '" + range +
                        "' is not a slot or a range", ex);
                }
                if (bounds.length > 2 || from < 0 || to >= SLOT_COUNT || from > to)
                {
                    throw new IllegalArgumentException(source + ": group." + groupId + ".slots '" + range +
                        "' must be within 0-" + (SLOT_COUNT - 1));
                }
                for (int slot = from; slot <= to; slot++)
                {
                    if (slotToGroup[slot] != -1)
                    {
                        throw new IllegalArgumentException(source + ": slot " + slot + " belongs to groups " +
                            slotToGroup[slot] + " and " + groupId);
                    }
                    slotToGroup[slot] = groupId;
                }
            }
        }
        for (int slot = 0; slot < SLOT_COUNT; slot++)
        {
            if (slotToGroup[slot] == -1)
            {
                throw new IllegalArgumentException(source + ": slot " + slot + " belongs to no group");
            }
        }
        return new ClusterConfig(List.copyOf(groups), slotToGroup);
    }

    /**
     * A cluster of one group owning every slot.
     *
     * @param endpoints the replicas' host:port.
     * @return the cluster.
     */
    public static ClusterConfig singleGroup(final List<String> endpoints)
    {
        final Properties properties = new Properties();
        properties.setProperty("group.0.replicas", String.join(",", endpoints));
        properties.setProperty("group.0.slots", "0-" + (SLOT_COUNT - 1));
        return parse(properties, "single group");
    }

    /**
     * @return the cluster file text of this cluster.
     */
    public String toFileText()
    {
        final StringBuilder text = new StringBuilder("# Tern KVSvr cluster file\n");
        for (int group = 0; group < groups.size(); group++)
        {
            text.append("group.").append(group).append(".replicas=").append(String.join(",", groups.get(group)))
                .append('\n');
            text.append("group.").append(group).append(".slots=");
            boolean first = true;
            for (int slot = 0; slot < SLOT_COUNT; slot++)
            {
                if (slotToGroup[slot] == group && (slot == 0 || slotToGroup[slot - 1] != group))
                {
                    int end = slot;
                    while (end + 1 < SLOT_COUNT && slotToGroup[end + 1] == group)
                    {
                        end++;
                    }
                    text.append(first ? "" : ",").append(slot).append('-').append(end);
                    first = false;
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    public int groupCount()
    {
        return groups.size();
    }

    /** @return the replicas' endpoints of a group, in replica index order. */
    public List<String> replicas(final int groupId)
    {
        return groups.get(groupId);
    }

    /** @return the slot of a key. */
    public static int slotOf(final long keyHash)
    {
        return (int)(keyHash >>> 50);
    }

    /** @return the group owning a slot. */
    public int groupOfSlot(final int slot)
    {
        return slotToGroup[slot];
    }

    /** @return the group owning a key. Allocation-free. */
    public int groupOf(final DirectBuffer key, final int offset, final int length)
    {
        return slotToGroup[slotOf(KeyHash.hash(key, offset, length))];
    }

    /** @return the replica a client asks first for a key: writes by one coordinator take one round trip. */
    public static int homeReplica(final long keyHash, final int replicaCount)
    {
        return (int)((keyHash & 0x7FFF_FFFFL) % replicaCount);
    }
}
