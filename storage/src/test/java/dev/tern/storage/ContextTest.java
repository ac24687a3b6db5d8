package dev.tern.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class ContextTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    @Test
    void shouldFillDefaultsFromConfiguration()
    {
        final StorageNode.Context ctx = new StorageNode.Context().dir(dir).conclude();
        assertEquals(StorageConfiguration.MAX_VALUE_LENGTH_DEFAULT, ctx.maxValueLength());
        assertEquals(Durability.PROCESS, ctx.durability());
        assertEquals("FAST_HOURLY", ctx.rollCycle());
        assertNotNull(ctx.epochClock());
        assertNotNull(ctx.errorHandler());
    }

    @Test
    void shouldNameTheBadField()
    {
        assertMessage("maxValueLength=0", new StorageNode.Context().dir(dir).maxValueLength(0));
        assertMessage("maxRecordLength=100", new StorageNode.Context().dir(dir).maxRecordLength(100));
        assertMessage("indexCapacity=0", new StorageNode.Context().dir(dir).indexCapacity(0));
        assertMessage("arenaBytes=10", new StorageNode.Context().dir(dir).arenaBytes(10));
        assertMessage("cacheBytes=1000", new StorageNode.Context().dir(dir).cacheBytes(1000));
        assertMessage("rollCycle=HOURLYISH", new StorageNode.Context().dir(dir).rollCycle("HOURLYISH"));
        assertMessage("maxBatchRows=0", new StorageNode.Context().dir(dir).maxBatchRows(0));
        assertMessage("nodeId=-1", new StorageNode.Context().dir(dir).nodeId(-1));
        assertMessage("snapshotIntervalMs=-1", new StorageNode.Context().dir(dir).snapshotIntervalMs(-1));
    }

    @Test
    void shouldReadTheDurabilityProperty()
    {
        System.setProperty(StorageConfiguration.DURABILITY_PROP_NAME, "machine");
        try
        {
            assertEquals(Durability.MACHINE, StorageConfiguration.durability());
            System.setProperty(StorageConfiguration.DURABILITY_PROP_NAME, "disk");
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, StorageConfiguration::durability);
            assertTrue(ex.getMessage().startsWith(StorageConfiguration.DURABILITY_PROP_NAME + "=disk"), ex.getMessage());
        }
        finally
        {
            System.clearProperty(StorageConfiguration.DURABILITY_PROP_NAME);
        }
    }

    private static void assertMessage(final String start, final StorageNode.Context ctx)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertTrue(ex.getMessage().startsWith(start), ex.getMessage());
    }
}
