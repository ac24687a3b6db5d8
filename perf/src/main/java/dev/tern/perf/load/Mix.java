package dev.tern.perf.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The share of each workload in the load, e.g. {@code kv-get=80,kv-put=20}, and the order requests take: a smooth
 * weighted round robin, so every window of requests holds the workloads in their exact proportions, evenly
 * interleaved (no random runs of one kind), and the sequence is the same on every run.
 * <p>
 * {@link #next()} is used by one thread; the parsed names and weights are immutable.
 */
public final class Mix
{
    private final List<String> names;
    private final int[] weights;
    private final int totalWeight;
    private final int[] current;

    private Mix(final List<String> names, final int[] weights)
    {
        this.names = names;
        this.weights = weights;
        int total = 0;
        for (final int weight : weights)
        {
            total += weight;
        }
        this.totalWeight = total;
        this.current = new int[weights.length];
    }

    /**
     * @param spec workload names with optional integer weights, comma-separated: {@code kv-get=80,kv-put=20};
     *             a name without a weight weighs 1.
     * @return the mix.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static Mix parse(final String spec)
    {
        final List<String> names = new ArrayList<>();
        final List<Integer> weights = new ArrayList<>();
        for (final String part : spec.split(","))
        {
            final String item = part.trim();
            if (item.isEmpty())
            {
                continue;
            }
            final int equals = item.indexOf('=');
            final String name = (equals < 0 ? item : item.substring(0, equals)).trim();
            final int weight;
            try
            {
                weight = equals < 0 ? 1 : Integer.parseInt(item.substring(equals + 1).trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("mix '" + spec + "': weight of " + name + " is not a number", ex);
            }
            if (weight < 1 || weight > 1_000_000)
            {
                throw new IllegalArgumentException("mix '" + spec + "': weight of " + name + " must be 1-1000000");
            }
            if (names.contains(name))
            {
                throw new IllegalArgumentException("mix '" + spec + "': " + name + " is named twice");
            }
            names.add(name);
            weights.add(weight);
        }
        if (names.isEmpty())
        {
            throw new IllegalArgumentException("mix '" + spec + "' names no workload");
        }
        return new Mix(Collections.unmodifiableList(names), weights.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return a mix of the same workloads and weights with its own position, for another sender. */
    public Mix copy()
    {
        return new Mix(names, weights);
    }

    /** @return the workloads' names, in the order given. */
    public List<String> names()
    {
        return names;
    }

    /** @return the number of workloads. */
    public int size()
    {
        return names.size();
    }

    /**
     * @param index a workload's index.
     * @return its share of the requests, in (0, 1].
     */
    public double share(final int index)
    {
        return weights[index] / (double)totalWeight;
    }

    /**
     * @return the index of the workload of the next request.
     */
    public int next()
    {
        int best = 0;
        for (int i = 0; i < current.length; i++)
        {
            current[i] += weights[i];
            if (current[i] > current[best])
            {
                best = i;
            }
        }
        current[best] -= totalWeight;
        return best;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < names.size(); i++)
        {
            text.append(i == 0 ? "" : ",").append(names.get(i)).append('=').append(weights[i]);
        }
        return text.toString();
    }
}
