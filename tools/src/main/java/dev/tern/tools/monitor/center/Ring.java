package dev.tern.tools.monitor.center;

/**
 * Index arithmetic of a ring of time-ordered points that starts small, doubles up to its bound, then overwrites
 * its oldest point. Subclasses hold the columns.
 */
abstract class Ring
{
    private final int maxCapacity;
    int capacity;
    int head;
    int size;

    Ring(final int initialCapacity, final int maxCapacity)
    {
        this.maxCapacity = maxCapacity;
        this.capacity = Math.min(initialCapacity, maxCapacity);
    }

    /** @return points held. */
    final int size()
    {
        return size;
    }

    /** @return the array index of the logical index-th point, 0 being the oldest. */
    final int physical(final int logical)
    {
        final int index = head + logical;
        return index >= capacity ? index - capacity : index;
    }

    /** @return the array index to write a new newest point at, growing or overwriting the oldest as needed. */
    final int appendIndex()
    {
        if (size == capacity)
        {
            if (capacity < maxCapacity)
            {
                final int newCapacity = (int)Math.min(maxCapacity, capacity * 2L);
                resize(newCapacity);
                head = 0;
                capacity = newCapacity;
            }
            else
            {
                head = head + 1 == capacity ? 0 : head + 1;
                size--;
            }
        }
        return physical(size++);
    }

    /** Copy the columns into arrays of a new capacity, oldest point first. */
    abstract void resize(int newCapacity);

    final long[] unwrap(final long[] column, final int newCapacity)
    {
        final long[] result = new long[newCapacity];
        final int firstPart = Math.min(size, capacity - head);
        System.arraycopy(column, head, result, 0, firstPart);
        System.arraycopy(column, 0, result, firstPart, size - firstPart);
        return result;
    }

    final int[] unwrap(final int[] column, final int newCapacity)
    {
        final int[] result = new int[newCapacity];
        final int firstPart = Math.min(size, capacity - head);
        System.arraycopy(column, head, result, 0, firstPart);
        System.arraycopy(column, 0, result, firstPart, size - firstPart);
        return result;
    }
}
