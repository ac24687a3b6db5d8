package dev.tern.storage;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers shared by the storage tests: small node settings, string keys, reading values as strings.
 */
public final class StorageTesting
{
    private StorageTesting()
    {
    }

    /**
     * @return settings for a small node in {@code dir}: a few MiB of memory, no automatic snapshots, errors thrown
     * into the test as assertion failures unless the test sets its own handler.
     */
    public static StorageNode.Context context(final File dir)
    {
        return new StorageNode.Context()
            .dir(dir)
            .nodeId(1)
            .indexCapacity(10_000)
            .arenaBytes(8L * 1024 * 1024)
            .cacheBytes(2L * 1024 * 1024)
            .maxValueLength(4096)
            .maxRecordLength(256 * 1024)
            .snapshotIntervalMs(0)
            .requestTableCapacity(1024)
            .errorHandler(ex ->
            {
                throw new AssertionError("unexpected error in the storage node", ex);
            });
    }

    public static DirectBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    public static int length(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    public static String string(final ValueView view)
    {
        return new String(view.toByteArray(), StandardCharsets.UTF_8);
    }

    public static int put(final StorageNode node, final String key, final String value)
    {
        return node.put(0, 0, bytes(key), 0, length(key), bytes(value), 0, length(value));
    }

    /** @return the value, or null when the get did not return OK. */
    public static String get(final StorageNode node, final String key)
    {
        final ValueView view = new ValueView();
        return ResultCode.OK == node.get(bytes(key), 0, length(key), view) ? string(view) : null;
    }

    public static int putRow(final StorageNode node, final String key, final String rowKey, final String value)
    {
        return node.putRow(0, 0, bytes(key), 0, length(key), bytes(rowKey), 0, length(rowKey), bytes(value), 0,
            length(value));
    }

    public static int appendRow(final StorageNode node, final String key, final String rowKey, final String value)
    {
        return node.appendRow(0, 0, bytes(key), 0, length(key), bytes(rowKey), 0, length(rowKey), bytes(value), 0,
            length(value));
    }

    /** @return "rowKey=value@version" for every row of the table, in order. */
    public static List<String> rows(final StorageNode node, final String key)
    {
        final List<String> rows = new ArrayList<>();
        final int result = node.scan(bytes(key), 0, length(key), bytes(""), 0, 0, bytes(""), 0, 0, Integer.MAX_VALUE,
            (rowKey, rowKeyOffset, rowKeyLength, value, valueOffset, valueLength, rowVersion) ->
            {
                rows.add(rowKey.getStringWithoutLengthUtf8(rowKeyOffset, rowKeyLength) + "=" +
                    value.getStringWithoutLengthUtf8(valueOffset, valueLength) + "@" + rowVersion);
                return true;
            });
        if (ResultCode.OK != result)
        {
            rows.add("error " + ResultCode.describe(result));
        }
        return rows;
    }
}
