package dev.tern.storage.memory;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class NativeMemoryTest
{
    private final NativeMemory memory = NativeMemory.allocate(4096, true);

    @AfterEach
    void after()
    {
        memory.close();
    }

    @Test
    void shouldCompareBytesUnsignedLexicographically()
    {
        assertTrue(compare("a", "b") < 0);
        assertTrue(compare("ab", "a") > 0);
        assertTrue(compare("abcdefghij", "abcdefghik") < 0);
        assertEquals(0, compare("abcdefghij", "abcdefghij"));
        assertTrue(NativeMemory.compare(new byte[]{(byte)0xFF}, BufferUtil.ARRAY_BASE_OFFSET, 1,
            new byte[]{1}, BufferUtil.ARRAY_BASE_OFFSET, 1) > 0);
        assertTrue(NativeMemory.compare(new byte[]{0, 0, 0, 0, 0, 0, 0, (byte)0x80}, BufferUtil.ARRAY_BASE_OFFSET, 8,
            new byte[]{0, 0, 0, 0, 0, 0, 0, 1}, BufferUtil.ARRAY_BASE_OFFSET, 8) > 0);
    }

    @Test
    void shouldHashTheSameBytesTheSameInHeapAndNativeMemory()
    {
        final byte[] key = "a key of some length".getBytes(StandardCharsets.US_ASCII);
        memory.copyFrom(100, new UnsafeBuffer(key), 0, key.length);
        assertEquals(NativeMemory.hash(new UnsafeBuffer(key), 0, key.length), memory.hash(100, key.length));
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        direct.putBytes(3, key);
        assertEquals(NativeMemory.hash(new UnsafeBuffer(key), 0, key.length), NativeMemory.hash(direct, 3, key.length));
    }

    @Test
    void shouldComputeTheStandardCrc32cOnHeapAndOffHeap()
    {
        final byte[] bytes = new byte[20_000];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }
        final CRC32C expected = new CRC32C();
        expected.update(bytes, 5, 19_000);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        direct.putBytes(0, bytes);
        final Crc32cChecksum crc = new Crc32cChecksum();
        assertEquals((int)expected.getValue(), crc.compute(new UnsafeBuffer(bytes), 5, 19_000));
        assertEquals((int)expected.getValue(), crc.compute(direct, 5, 19_000));
    }

    private int compare(final String a, final String b)
    {
        final byte[] bytesA = a.getBytes(StandardCharsets.US_ASCII);
        memory.copyFrom(0, new UnsafeBuffer(bytesA), 0, bytesA.length);
        final byte[] bytesB = b.getBytes(StandardCharsets.US_ASCII);
        return memory.compare(0, bytesA.length, new UnsafeBuffer(bytesB), 0, bytesB.length);
    }
}
