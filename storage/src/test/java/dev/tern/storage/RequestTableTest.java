package dev.tern.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class RequestTableTest
{
    @Test
    void shouldRememberTheNewestSequenceOfEachClient()
    {
        final RequestTable table = new RequestTable(4);
        table.record(1, 5, ResultCode.OK, 10);
        table.record(1, 3, ResultCode.NOT_FOUND, 2);
        final int slot = table.find(1);
        assertEquals(5, table.sequence(slot));
        assertEquals(ResultCode.OK, table.code(slot));
        assertEquals(10, table.version(slot));
    }

    @Test
    void shouldNeverRememberClientZero()
    {
        final RequestTable table = new RequestTable(4);
        table.record(0, 5, ResultCode.OK, 10);
        assertEquals(-1, table.find(0));
        assertEquals(0, table.size());
    }

    @Test
    void shouldForgetTheClientEnteredLongestAgoWhenFull()
    {
        final Random random = new Random(3);
        final RequestTable table = new RequestTable(100);
        final Map<Long, Long> model = new HashMap<>();
        final ArrayDeque<Long> order = new ArrayDeque<>();
        for (int i = 0; i < 100_000; i++)
        {
            final long client = 1 + random.nextInt(300);
            if (!model.containsKey(client))
            {
                if (model.size() == 100)
                {
                    model.remove(order.removeFirst());
                }
                order.addLast(client);
                model.put(client, (long)i);
            }
            else
            {
                model.put(client, (long)i);
            }
            table.record(client, i, ResultCode.OK, i);
        }
        assertEquals(model.size(), table.size());
        for (long client = 1; client <= 300; client++)
        {
            final int slot = table.find(client);
            assertEquals(model.containsKey(client), slot >= 0, "client " + client);
            if (slot >= 0)
            {
                assertEquals(model.get(client), table.sequence(slot));
            }
        }
    }
}
