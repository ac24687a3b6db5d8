package dev.tern.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static dev.tern.storage.StorageTesting.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class StorageNodeTest
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

    @Test
    void shouldReadBackWhatWasPut()
    {
        node = StorageNode.launch(context(dir));
        assertEquals(ResultCode.OK, put(node, "k", "v1"));
        assertEquals(1, node.lastWriteVersion());
        assertEquals("v1", get(node, "k"));
        assertEquals(ResultCode.OK, put(node, "k", "v2"));
        assertEquals(2, node.lastWriteVersion());
        assertEquals("v2", get(node, "k"));
    }

    @Test
    void shouldRecoverValuesAfterRestart()
    {
        node = StorageNode.launch(context(dir));
        put(node, "a", "1");
        put(node, "b", "2");
        put(node, "a", "3");
        node.close();
        node = StorageNode.launch(context(dir));
        assertEquals("3", get(node, "a"));
        assertEquals("2", get(node, "b"));
        assertEquals(2, node.version(bytes("a"), 0, 1));
    }

    @Test
    void shouldKeepRowsInOrder()
    {
        node = StorageNode.launch(context(dir));
        putRow(node, "t", "b", "2");
        putRow(node, "t", "a", "1");
        appendRow(node, "t", "c", "3");
        assertEquals(List.of("a=1@2", "b=2@1", "c=3@3"), rows(node, "t"));
        node.close();
        node = StorageNode.launch(context(dir));
        assertEquals(List.of("a=1@2", "b=2@1", "c=3@3"), rows(node, "t"));
    }

    @Test
    void shouldRecoverFromSnapshot()
    {
        node = StorageNode.launch(context(dir));
        put(node, "a", "1");
        putRow(node, "t", "r", "x");
        assertTrue(node.startSnapshot());
        while (node.isSnapshotInProgress())
        {
            node.doWork();
        }
        put(node, "b", "2");
        node.close();
        node = StorageNode.launch(context(dir));
        assertNotNull(node.latestSnapshot());
        assertEquals("1", get(node, "a"));
        assertEquals("2", get(node, "b"));
        assertEquals(List.of("r=x@1"), rows(node, "t"));
    }
}
