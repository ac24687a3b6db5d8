package dev.tern.storage.replication;

import org.agrona.DirectBuffer;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Open-addressing map from key bytes to the {@link KeyState} of keys with activity, with a pool of states.
 * Linear probing, backward-shift deletion; grows when 3/4 full.
 */
final class ActiveKeys
{
    private KeyState[] table = new KeyState[1024];
    private int mask = table.length - 1;
    private int size;
    private final ArrayDeque<KeyState> pool = new ArrayDeque<>();

    int size()
    {
        return size;
    }

    KeyState get(final DirectBuffer buffer, final int offset, final int length, final long hash)
    {
        for (int i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            final KeyState state = table[i];
            if (null == state)
            {
                return null;
            }
            if (state.hash == hash && state.keyEquals(buffer, offset, length))
            {
                return state;
            }
        }
    }

    KeyState getOrCreate(final DirectBuffer buffer, final int offset, final int length, final long hash)
    {
        int i = (int)hash & mask;
        for (; ; i = (i + 1) & mask)
        {
            final KeyState state = table[i];
            if (null == state)
            {
                break;
            }
            if (state.hash == hash && state.keyEquals(buffer, offset, length))
            {
                return state;
            }
        }
        final KeyState state = pool.isEmpty() ? new KeyState() : pool.pollFirst();
        state.init(buffer, offset, length, hash);
        table[i] = state;
        if (++size > table.length * 3 / 4)
        {
            grow();
        }
        return state;
    }

    /** Remove the state when it has no activity left, returning it to the pool. */
    void releaseIfIdle(final KeyState state)
    {
        if (!state.isIdle())
        {
            return;
        }
        int i = (int)state.hash & mask;
        while (table[i] != state)
        {
            if (null == table[i])
            {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = null;
        size--;
        for (int j = (i + 1) & mask; null != table[j]; j = (j + 1) & mask)
        {
            final KeyState moved = table[j];
            final int home = (int)moved.hash & mask;
            final boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between)
            {
                table[i] = moved;
                table[j] = null;
                i = j;
            }
        }
        state.reset();
        pool.addLast(state);
    }

    void forEach(final Consumer<KeyState> action, final KeyState[] scratch)
    {
        // iterate a snapshot: the action may release states
        int n = 0;
        final KeyState[] copy = scratch.length >= size ? scratch : new KeyState[size];
        for (final KeyState state : table)
        {
            if (null != state)
            {
                copy[n++] = state;
            }
        }
        for (int i = 0; i < n; i++)
        {
            final KeyState state = copy[i];
            copy[i] = null;
            action.accept(state);
        }
    }

    private void grow()
    {
        final KeyState[] old = table;
        table = new KeyState[old.length * 2];
        mask = table.length - 1;
        for (final KeyState state : old)
        {
            if (null != state)
            {
                int i = (int)state.hash & mask;
                while (null != table[i])
                {
                    i = (i + 1) & mask;
                }
                table[i] = state;
            }
        }
    }
}
