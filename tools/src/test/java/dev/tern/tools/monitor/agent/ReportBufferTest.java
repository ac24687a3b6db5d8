package dev.tern.tools.monitor.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class ReportBufferTest
{
    /** Add a batch of messages, each filled with its tag byte. */
    private static boolean addBatch(final ReportBuffer buffer, final int tag, final int... lengths)
    {
        buffer.beginBatch();
        for (final int length : lengths)
        {
            final int offset = buffer.reserve(length);
            if (offset < 0)
            {
                return false;
            }
            buffer.buffer().setMemory(offset, length, (byte)tag);
            buffer.commit(length);
        }
        buffer.endBatch();
        return true;
    }

    private static List<Integer> drainTags(final ReportBuffer buffer)
    {
        final List<Integer> tags = new ArrayList<>();
        while (buffer.hasMessage())
        {
            final int offset = buffer.messageOffset();
            final int length = buffer.messageLength();
            final byte tag = buffer.buffer().getByte(offset);
            for (int i = 0; i < length; i++)
            {
                assertEquals(tag, buffer.buffer().getByte(offset + i), "message bytes intact");
            }
            tags.add((int)tag);
            buffer.pop();
        }
        return tags;
    }

    @Test
    void shouldDropTheOldestBatchesWhenHoldingTheMostBatchesAndCountThem()
    {
        final ReportBuffer buffer = new ReportBuffer(3, 1 << 20);
        for (int tag = 1; tag <= 5; tag++)
        {
            assertTrue(addBatch(buffer, tag, 100, 200));
        }

        assertEquals(2, buffer.droppedBatches());
        assertEquals(3, buffer.batches());
        assertEquals(List.of(3, 3, 4, 4, 5, 5), drainTags(buffer));
    }

    @Test
    void shouldDropTheOldestBatchesWhenOutOfBytes()
    {
        final ReportBuffer buffer = new ReportBuffer(1000, 64 * 1024);
        for (int tag = 1; tag <= 10; tag++)
        {
            assertTrue(addBatch(buffer, tag, 10_000, 10_000));
        }

        assertTrue(buffer.droppedBatches() >= 7, "dropped " + buffer.droppedBatches());
        final List<Integer> tags = drainTags(buffer);
        assertEquals(10, tags.get(tags.size() - 1));
        assertEquals((10 - buffer.droppedBatches()) * 2, tags.size());
    }

    @Test
    void shouldDropAndCountABatchLargerThanTheWholeBuffer()
    {
        final ReportBuffer buffer = new ReportBuffer(10, 64 * 1024);
        assertTrue(addBatch(buffer, 1, 100));

        assertFalse(addBatch(buffer, 2, 30_000, 30_000, 30_000));

        assertEquals(2, buffer.droppedBatches(), "the older batch made room first, then the large one was dropped");
        assertFalse(buffer.hasMessage());
        assertTrue(addBatch(buffer, 3, 100));
        assertEquals(List.of(3), drainTags(buffer));
    }

    @Test
    void shouldKeepMessagesInOrderAcrossWrapsAndGrowth()
    {
        final Random random = new Random(42);
        final ReportBuffer buffer = new ReportBuffer(100_000, 4 << 20);
        final ArrayDeque<Integer> expected = new ArrayDeque<>();
        for (int round = 0; round < 5_000; round++)
        {
            final int tag = 1 + round % 120;
            final int[] lengths = new int[1 + random.nextInt(4)];
            for (int i = 0; i < lengths.length; i++)
            {
                lengths[i] = 1 + random.nextInt(9000);
                expected.add(tag);
            }
            assertTrue(addBatch(buffer, tag, lengths));
            final int pops = round < 300 ? 0 : random.nextInt(7);
            for (int i = 0; i < pops && buffer.hasMessage(); i++)
            {
                assertEquals(expected.poll(), (int)buffer.buffer().getByte(buffer.messageOffset()));
                buffer.pop();
            }
        }

        assertEquals(0, buffer.droppedBatches());
        assertEquals(4 << 20, buffer.capacity(), "grew past its first megabyte while nothing was sent");
        assertEquals(new ArrayList<>(expected), drainTags(buffer));
    }
}
