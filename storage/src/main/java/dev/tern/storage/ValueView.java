package dev.tern.storage;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable view of a value read from a {@link StorageNode}: {@link #buffer()} holds exactly the value's bytes from
 * index 0. The bytes live in the node's cache or scratch memory and stay valid only until the node's next call:
 * copy them out before calling the node again. Not thread-safe.
 */
public final class ValueView
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private long version;

    /** @return the value's bytes, from index 0 to {@link #length()}. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the value's length in bytes. */
    public int length()
    {
        return buffer.capacity();
    }

    /** @return the version of the key (for a row: of the table key) that wrote the value. */
    public long version()
    {
        return version;
    }

    /**
     * Copy the value out; allocates, for tests and tools.
     *
     * @return a new array with the value's bytes.
     */
    public byte[] toByteArray()
    {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    void wrap(final long address, final int length, final long version)
    {
        if (0 == length)
        {
            buffer.wrap(EMPTY, 0, 0);
        }
        else
        {
            buffer.wrap(address, length);
        }
        this.version = version;
    }

    private static final byte[] EMPTY = new byte[0];
}
