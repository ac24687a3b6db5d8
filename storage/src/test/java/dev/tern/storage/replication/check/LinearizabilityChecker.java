package dev.tern.storage.replication.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wing-Gong-Lowe linearizability checking (Lowe's memoised variant, as in Porcupine), partitioned by key: a history
 * is linearizable when each key's sub-history is (linearizability is compositional). Operations with an unknown
 * outcome return at the end of time, so they may be linearized anywhere after their call, including after every
 * other operation, where they affect nothing: "may or may not have happened".
 */
public final class LinearizabilityChecker
{
    /** The verdict on a history. */
    public record Result(boolean linearizable, String failedKey, List<Operation> failedHistory, long statesExplored)
    {
        public String describe()
        {
            if (linearizable)
            {
                return "linearizable (" + statesExplored + " states explored)";
            }
            final StringBuilder text = new StringBuilder("NOT linearizable on key ").append(failedKey).append(":\n");
            for (final Operation op : failedHistory)
            {
                text.append("  ").append(op).append('\n');
            }
            return text.toString();
        }
    }

    private LinearizabilityChecker()
    {
    }

    /**
     * @param history  every operation, any order.
     * @param model    the sequential specification of one key.
     * @param maxStates give up (and report linearizable=false with a note) after exploring this many states per key.
     * @return the verdict.
     */
    public static <S> Result check(final List<Operation> history, final Model<S> model, final long maxStates)
    {
        final Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (final Operation op : history)
        {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }

        long explored = 0;
        for (final Map.Entry<String, List<Operation>> entry : byKey.entrySet())
        {
            final long[] states = new long[1];
            final boolean ok = checkOne(entry.getValue(), model, maxStates, states);
            explored += states[0];
            if (!ok)
            {
                final List<Operation> sorted = new ArrayList<>(entry.getValue());
                sorted.sort(Comparator.comparingLong(Operation::callNs));
                return new Result(false, entry.getKey(), sorted, explored);
            }
        }
        return new Result(true, null, List.of(), explored);
    }

    private static final class Entry
    {
        final boolean isCall;
        final int id;
        final long time;
        final Operation op;
        Entry match;
        Entry prev;
        Entry next;

        Entry(final boolean isCall, final int id, final long time, final Operation op)
        {
            this.isCall = isCall;
            this.id = id;
            this.time = time;
            this.op = op;
        }
    }

    private record Memo(BitSet linearized, Object state)
    {
    }

    private record Frame(Entry call, Object stateBefore)
    {
    }

    private static <S> boolean checkOne(
        final List<Operation> ops, final Model<S> model, final long maxStates, final long[] explored)
    {
        // Doubly linked list of call and return entries ordered by time; at equal times calls before returns, so
        // operations that touch at an instant are treated as concurrent.
        final List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++)
        {
            final Operation op = ops.get(i);
            final Entry call = new Entry(true, i, op.callNs(), op);
            final Entry ret = new Entry(false, i, op.effectiveReturnNs(), op);
            call.match = ret;
            entries.add(call);
            entries.add(ret);
        }
        entries.sort((a, b) ->
        {
            final int byTime = Long.compare(a.time, b.time);
            if (byTime != 0)
            {
                return byTime;
            }
            return a.isCall == b.isCall ? Integer.compare(a.id, b.id) : (a.isCall ? -1 : 1);
        });

        final Entry head = new Entry(false, -1, Long.MIN_VALUE, null);
        Entry tail = head;
        for (final Entry entry : entries)
        {
            tail.next = entry;
            entry.prev = tail;
            tail = entry;
        }

        final Set<Memo> cache = new HashSet<>();
        final List<Frame> stack = new ArrayList<>();
        final BitSet linearized = new BitSet(ops.size());
        S state = model.initial();
        Entry entry = head.next;

        while (head.next != null)
        {
            if (++explored[0] > maxStates)
            {
                return false;
            }
            if (entry.isCall)
            {
                final S next = model.step(state, entry.op.input(), entry.op.output());
                boolean advanced = false;
                if (null != next)
                {
                    final BitSet candidate = (BitSet)linearized.clone();
                    candidate.set(entry.id);
                    if (cache.add(new Memo(candidate, next)))
                    {
                        stack.add(new Frame(entry, state));
                        state = next;
                        linearized.set(entry.id);
                        lift(entry);
                        entry = head.next;
                        advanced = true;
                    }
                }
                if (!advanced)
                {
                    entry = entry.next;
                }
            }
            else
            {
                // a return reached before its call was linearized: backtrack
                if (stack.isEmpty())
                {
                    return false;
                }
                final Frame frame = stack.remove(stack.size() - 1);
                @SuppressWarnings("unchecked") final S before = (S)frame.stateBefore;
                state = before;
                linearized.clear(frame.call.id);
                unlift(frame.call);
                entry = frame.call.next;
            }
        }
        return true;
    }

    private static void lift(final Entry call)
    {
        call.prev.next = call.next;
        if (null != call.next)
        {
            call.next.prev = call.prev;
        }
        final Entry ret = call.match;
        ret.prev.next = ret.next;
        if (null != ret.next)
        {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(final Entry call)
    {
        final Entry ret = call.match;
        ret.prev.next = ret;
        if (null != ret.next)
        {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        if (null != call.next)
        {
            call.next.prev = call;
        }
    }
}
