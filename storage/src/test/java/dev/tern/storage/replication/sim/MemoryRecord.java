package dev.tern.storage.replication.sim;

import dev.tern.storage.replication.RecordView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

/**
 * The record encoding of {@link MemoryReplicaStore}: a plain little-endian layout with a CRC32C.
 * <pre>
 *   0 kind (1)  1 author (1)  2 mutation (1)  3 pad (1)  4 checksum (4, CRC32C of bytes 8..end)
 *   8 authorIndex (8)  16 slot (8)  24 ballot (8)  32 clientId (8)  40 requestSequence (8)
 *   48 keyLength (4)  52 key  then the mutation's payload
 * </pre>
 */
final class MemoryRecord implements RecordView
{
    static final byte VALUE = 1;
    static final byte PROMISE = 2;
    static final byte ACCEPTED = 3;
    static final byte COMMIT = 4;
    static final byte INSTALL = 5;

    static final byte KV_PUT = 1;
    static final byte KV_DELETE = 2;
    static final byte TABLE_OPS = 3;
    static final byte INSTALL_KV = 4;
    static final byte INSTALL_TABLE = 5;
    /** A decided write attempt whose condition failed: its payload is the result code. */
    static final byte NOOP = 6;

    static final int KIND = 0;
    static final int AUTHOR = 1;
    static final int MUTATION = 2;
    static final int CHECKSUM = 4;
    static final int AUTHOR_INDEX = 8;
    static final int SLOT = 16;
    static final int BALLOT = 24;
    static final int CLIENT_ID = 32;
    static final int REQUEST_SEQUENCE = 40;
    static final int KEY_LENGTH = 48;
    static final int KEY = 52;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();

    static int checksumOf(final DirectBuffer buffer, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        final byte[] bytes = new byte[length - 8];
        buffer.getBytes(offset + 8, bytes);
        crc.update(bytes);
        return (int)crc.getValue();
    }

    static void seal(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.putInt(offset + CHECKSUM, checksumOf(buffer, offset, length));
    }

    public boolean wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (length < KEY)
        {
            return false;
        }
        buffer.wrap(src, offset, length);
        final int keyLength = buffer.getInt(KEY_LENGTH);
        if (keyLength < 0 || KEY + keyLength > length)
        {
            return false;
        }
        crc.reset();
        final byte[] bytes = new byte[length - 8];
        buffer.getBytes(8, bytes);
        crc.update(bytes);
        return (int)crc.getValue() == buffer.getInt(CHECKSUM);
    }

    public Kind kind()
    {
        switch (buffer.getByte(KIND))
        {
            case VALUE: return Kind.VALUE;
            case PROMISE: return Kind.PROMISE;
            case ACCEPTED: return Kind.ACCEPTED;
            case COMMIT: return Kind.COMMIT;
            default: return Kind.OTHER;
        }
    }

    byte rawKind()
    {
        return buffer.getByte(KIND);
    }

    byte mutation()
    {
        return buffer.getByte(MUTATION);
    }

    public DirectBuffer keyBuffer()
    {
        return buffer;
    }

    public int keyOffset()
    {
        return KEY;
    }

    public int keyLength()
    {
        return buffer.getInt(KEY_LENGTH);
    }

    int payloadOffset()
    {
        return KEY + keyLength();
    }

    public long slot()
    {
        return buffer.getLong(SLOT);
    }

    public long ballot()
    {
        return buffer.getLong(BALLOT);
    }

    public int author()
    {
        return buffer.getByte(AUTHOR) & 0xFF;
    }

    public long authorIndex()
    {
        return buffer.getLong(AUTHOR_INDEX);
    }

    long clientId()
    {
        return buffer.getLong(CLIENT_ID);
    }

    long requestSequence()
    {
        return buffer.getLong(REQUEST_SEQUENCE);
    }

    public int checksum()
    {
        return buffer.getInt(CHECKSUM);
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return 0;
    }

    public int length()
    {
        return buffer.capacity();
    }

    byte[] copy()
    {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
