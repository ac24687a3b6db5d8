package dev.tern.storage.memory;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.util.zip.CRC32C;

/**
 * CRC32C of a buffer range, with the JDK's intrinsic (the CPU's crc32 instruction). Off-heap bytes are copied
 * through a small heap array first: the JDK offers no way to checksum an arbitrary address without opening
 * {@code java.util.zip} to reflection, and the copy costs far less than the checksum saves. One instance per thread.
 */
public final class Crc32cChecksum
{
    private static final int CHUNK = 8192;

    private final CRC32C crc = new CRC32C();
    private final byte[] chunk = new byte[CHUNK];

    /**
     * @return the CRC32C (as a signed int) of {@code length} bytes of {@code buffer} from {@code index}.
     */
    public int compute(final DirectBuffer buffer, final int index, final int length)
    {
        buffer.boundsCheck(index, length);
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            crc.update(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + index, length);
        }
        else
        {
            final long address = buffer.addressOffset() + index;
            for (int done = 0; done < length; done += CHUNK)
            {
                final int bytes = Math.min(CHUNK, length - done);
                UnsafeApi.copyMemory(null, address + done, chunk, BufferUtil.ARRAY_BASE_OFFSET, bytes);
                crc.update(chunk, 0, bytes);
            }
        }
        return (int)crc.getValue();
    }
}
