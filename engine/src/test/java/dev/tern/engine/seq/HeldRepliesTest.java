package dev.tern.engine.seq;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldRepliesTest
{
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[HeldReplies.MAX_REPLY_LENGTH + 1]);

    @Test
    void shouldKeepEachReplyWithItsSessionAndDeadlineWhenAnotherIsRemoved()
    {
        final HeldReplies held = new HeldReplies(3);
        for (int i = 0; i < 3; i++)
        {
            reply.putLong(0, 100 + i);
            assertTrue(held.add(i, reply, 0, 8 + i, 1000 + i));
        }
        assertFalse(held.add(9, reply, 0, 8, 0), "full");

        held.remove(0);

        assertEquals(2, held.size());
        assertEquals(2, held.session(0), "the last entry took the removed one's place");
        assertEquals(102, held.buffer().getLong(held.offset(0)));
        assertEquals(10, held.length(0));
        assertEquals(1002, held.deadlineNs(0));
        assertEquals(1, held.session(1));
        assertEquals(101, held.buffer().getLong(held.offset(1)));
        held.remove(1);
        held.remove(0);
        assertTrue(held.isEmpty());
    }

    @Test
    void shouldRefuseAReplyLongerThanASlot()
    {
        final HeldReplies held = new HeldReplies(1);
        assertFalse(held.add(1, reply, 0, HeldReplies.MAX_REPLY_LENGTH + 1, 0));
        assertTrue(held.isEmpty());
    }
}
