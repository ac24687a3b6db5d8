package dev.tern.storage.binlog;

import dev.tern.storage.Durability;
import dev.tern.storage.ResultCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class BinlogTest
{
    private static final long CYCLE_MS = TimeUnit.MINUTES.toMillis(5);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final BinlogRecordWriter writer = new BinlogRecordWriter();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private Binlog binlog;

    @BeforeEach
    void before()
    {
        clock.update(TimeUnit.DAYS.toMillis(20_000));
        binlog = open();
    }

    @AfterEach
    void after()
    {
        binlog.close();
    }

    @Test
    void shouldReadRecordsFromAnyIndex()
    {
        final long[] indices = appendAll(10);
        try (BinlogReader reader = binlog.newReader())
        {
            assertTrue(reader.moveTo(indices[4]));
            assertEquals(List.of("v4", "v5", "v6", "v7", "v8", "v9"), values(reader, 100));
        }
    }

    @Test
    void shouldResumeAfterTheIndexAPeerAlreadyHas()
    {
        final long[] indices = appendAll(5);
        try (BinlogReader reader = binlog.newReader())
        {
            assertTrue(reader.moveAfter(indices[2]));
            assertEquals(List.of("v3", "v4"), values(reader, 100));
        }
    }

    @Test
    void shouldSeeRecordsAppendedAfterItReachedTheEnd()
    {
        appendAll(2);
        try (BinlogReader reader = binlog.newReader())
        {
            reader.toStart();
            assertEquals(2, values(reader, 100).size());
            append("later");
            assertEquals(List.of("later"), values(reader, 100));
        }
    }

    @Test
    void shouldReadRecordsAcrossCycles()
    {
        final long[] indices = new long[6];
        for (int i = 0; i < indices.length; i++)
        {
            indices[i] = append("v" + i);
            clock.advance(CYCLE_MS);
        }
        try (BinlogReader reader = binlog.newReader())
        {
            assertTrue(reader.moveTo(indices[1]));
            assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), values(reader, 100));
        }
    }

    @Test
    void shouldReadBackARecordByItsLocation()
    {
        append("v0");
        append("v1");
        final long location = binlog.lastAppendedLocation();
        append("v2");
        final BinlogRecord record = new BinlogRecord();
        assertEquals(ResultCode.OK, binlog.readAt(location, record));
        assertEquals("v1", record.buffer().getStringWithoutLengthAscii(record.valueOffset(), record.valueLength()));
        assertEquals(ResultCode.DATA_UNAVAILABLE, binlog.readAt(location + (100L << 40), record), "a cycle never written");
    }

    @Test
    void shouldGiveTheReadersRecordLocationsThatReadBack()
    {
        appendAll(3);
        final List<Long> locations = new ArrayList<>();
        try (BinlogReader reader = binlog.newReader())
        {
            reader.toStart();
            reader.read((index, record) -> locations.add(reader.location()), 10);
        }
        final BinlogRecord record = new BinlogRecord();
        assertEquals(ResultCode.OK, binlog.readAt(locations.get(2), record));
        assertEquals("v2", record.buffer().getStringWithoutLengthAscii(record.valueOffset(), record.valueLength()));
    }

    @Test
    void shouldDeleteOnlyWholeCyclesOlderThanTheFloor()
    {
        final long[] indices = new long[4];
        for (int i = 0; i < indices.length; i++)
        {
            indices[i] = append("v" + i);
            clock.advance(CYCLE_MS);
        }
        assertEquals(2, binlog.deleteCyclesBefore(indices[2]));
        assertEquals(indices[2], binlog.firstIndex());
        try (BinlogReader reader = binlog.newReader())
        {
            assertFalse(reader.moveTo(indices[1]));
            reader.toStart();
            assertEquals(List.of("v2", "v3"), values(reader, 100));
        }
    }

    @Test
    void shouldContinueRightAfterTheLastGoodRecordWhenCut()
    {
        final long[] indices = new long[6];
        for (int i = 0; i < indices.length; i++)
        {
            indices[i] = append("v" + i);
            if (i == 2)
            {
                clock.advance(CYCLE_MS);
            }
        }
        binlog.close();
        binlog = open();
        assertEquals(2, binlog.truncateFrom(indices[4]));
        final long next = append("after");
        assertEquals(indices[4], next);
        try (BinlogReader reader = binlog.newReader())
        {
            reader.toStart();
            assertEquals(List.of("v0", "v1", "v2", "v3", "after"), values(reader, 100));
        }
    }

    @Test
    void shouldCutWholeLaterCyclesWhenTheDamageStartsACycle()
    {
        final long[] indices = new long[4];
        for (int i = 0; i < indices.length; i++)
        {
            indices[i] = append("v" + i);
            clock.advance(CYCLE_MS);
        }
        binlog.close();
        binlog = open();
        binlog.truncateFrom(indices[2]);
        try (BinlogReader reader = binlog.newReader())
        {
            reader.toStart();
            assertEquals(List.of("v0", "v1"), values(reader, 100));
        }
        append("after");
        try (BinlogReader reader = binlog.newReader())
        {
            reader.toStart();
            assertEquals(List.of("v0", "v1", "after"), values(reader, 100));
        }
    }

    @Test
    void shouldMakeAppendsDurableUpToTheLastOneOnSync()
    {
        binlog.close();
        binlog = new Binlog(new File(dir, "machine"), new File(dir, "damaged"), RollCycles.FIVE_MINUTELY,
            Durability.MACHINE, clock, 4096);
        final long index = append("x");
        assertEquals(-1, binlog.durableIndex());
        assertEquals(index, binlog.sync());
        assertEquals(index, binlog.durableIndex());
    }

    private Binlog open()
    {
        return new Binlog(new File(dir, "binlog"), new File(dir, "damaged"), RollCycles.FIVE_MINUTELY,
            Durability.PROCESS, clock, 4096);
    }

    private long[] appendAll(final int count)
    {
        final long[] indices = new long[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = append("v" + i);
        }
        return indices;
    }

    private long append(final String value)
    {
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0, 0, bytes("k"), 0, 1,
            bytes(value), 0, value.length());
        return binlog.append(frame, 0, length);
    }

    private static List<String> values(final BinlogReader reader, final int limit)
    {
        final List<String> values = new ArrayList<>();
        reader.read((index, record) -> values.add(
            record.buffer().getStringWithoutLengthAscii(record.valueOffset(), record.valueLength())), limit);
        return values;
    }

    private static DirectBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
