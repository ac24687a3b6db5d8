package dev.tern.storage;

import dev.tern.storage.binlog.BinlogDamage;
import dev.tern.storage.binlog.BinlogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static dev.tern.storage.StorageTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Flip bytes near the binlog's end, in a record's data or in Chronicle's header of it: recovery must detect the
 * damage, cut the binlog at the last good record, never serve the damaged write, and append after the last good one.
 */
@Timeout(60)
class CorruptedTailTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private StorageNode node;

    @AfterEach
    void after()
    {
        if (null != node)
        {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-4, -3, -1, 0, 3, 40, 60})
    void shouldCutAtTheLastGoodRecord(final int offsetInRecord)
    {
        node = StorageNode.launch(context(dir));
        final long[] indices = new long[20];
        for (int i = 0; i < indices.length; i++)
        {
            put(node, "key-" + i, "value-" + i);
            indices[i] = node.lastWriteIndex();
        }
        node.close();
        final int damaged = 17;
        final BinlogDamage.Location location = BinlogDamage.locate(new File(dir, "binlog"), indices[damaged]);
        BinlogDamage.flip(location.file, location.position + (offsetInRecord >= 0 ?
            Math.min(offsetInRecord, location.length - 1) : offsetInRecord));

        final List<Throwable> errors = new ArrayList<>();
        node = StorageNode.launch(context(dir).errorHandler(errors::add));
        assertEquals(1, errors.size(), "the cut is reported");
        assertTrue(node.recoveryTruncated() >= 1);
        for (int i = 0; i < damaged; i++)
        {
            assertEquals("value-" + i, get(node, "key-" + i));
        }
        for (int i = damaged; i < indices.length; i++)
        {
            assertNull(get(node, "key-" + i), "nothing at or after the damage is served");
        }
        put(node, "after", "cut");
        assertEquals(indices[damaged], node.lastWriteIndex(), "appends continue right after the last good record");
        node.close();
        node = StorageNode.launch(context(dir));
        assertEquals("cut", get(node, "after"));
        assertEquals("value-16", get(node, "key-16"));
        try (BinlogReader reader = node.newBinlogReader())
        {
            reader.toStart();
            while (reader.read((index, record) -> { }, 1000) > 0)
            {
                assertEquals(BinlogReader.NO_DAMAGE, reader.damagedIndex());
            }
            assertEquals(BinlogReader.NO_DAMAGE, reader.damagedIndex());
        }
        assertTrue(new File(dir, "damaged").list().length > 0, "the damaged cycle is kept for inspection");
    }
}
