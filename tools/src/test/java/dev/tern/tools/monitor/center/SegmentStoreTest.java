package dev.tern.tools.monitor.center;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class SegmentStoreTest
{
    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private static void append(final SegmentStore store, final String text, final long receivedMs)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        store.append(new UnsafeBuffer(bytes), 0, bytes.length, receivedMs);
    }

    private List<String> replay(final SegmentStore store, final long nowMs)
    {
        final List<String> records = new ArrayList<>();
        store.replay((buffer, offset, length, receivedMs) ->
            records.add(buffer.getStringWithoutLengthAscii(offset, length) + "@" + (receivedMs - T0)), nowMs);
        return records;
    }

    @Test
    void shouldReplayEveryRecordInOrderAcrossHourFiles()
    {
        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            append(store, "one", T0);
            append(store, "two", T0 + 1);
            append(store, "three", T0 + HOUR);
        }

        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            assertEquals(List.of("one@0", "two@1", "three@" + HOUR), replay(store, T0 + HOUR));
            assertEquals(2, dir.list().length);
        }
    }

    @Test
    void shouldCutATornRecordAtTheEndAndAppendAfterTheLastGoodOne() throws Exception
    {
        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            append(store, "kept", T0);
            append(store, "torn-by-a-crash", T0 + 1);
        }
        final File file = dir.listFiles()[0];
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.setLength(raf.length() - 3);
        }

        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            assertEquals(List.of("kept@0"), replay(store, T0));
            assertEquals(SegmentStore.RECORD_HEADER_LENGTH + "torn-by-a-crash".length() - 3, store.truncatedBytes());
            append(store, "after", T0 + 2);
        }
        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            assertEquals(List.of("kept@0", "after@2"), replay(store, T0));
        }
    }

    @Test
    void shouldStopAtARecordWhoseChecksumFails() throws Exception
    {
        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            append(store, "good", T0);
            append(store, "flipped", T0);
            append(store, "lost-after-corruption", T0);
        }
        final File file = dir.listFiles()[0];
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            final long at = SegmentStore.RECORD_HEADER_LENGTH * 2L + "good".length() + 2;
            raf.seek(at);
            raf.write(raf.read() ^ 0x20);
        }

        try (SegmentStore store = new SegmentStore(dir, 24 * HOUR))
        {
            assertEquals(List.of("good@0"), replay(store, T0));
            assertTrue(store.truncatedBytes() > 0);
        }
    }

    @Test
    void shouldDeleteFilesOlderThanTheRetention()
    {
        try (SegmentStore store = new SegmentStore(dir, 2 * HOUR))
        {
            append(store, "old", T0);
            append(store, "new", T0 + 5 * HOUR);
        }

        try (SegmentStore store = new SegmentStore(dir, 2 * HOUR))
        {
            assertEquals(List.of("new@" + 5 * HOUR), replay(store, T0 + 5 * HOUR));
            assertEquals(1, dir.list().length);
        }
    }
}
