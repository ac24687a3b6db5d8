package dev.tern.storage;

import org.agrona.DirectBuffer;

/**
 * Receives the rows of a {@link StorageNode#scan}, in row-key order. The buffers are valid during the call only, and
 * the handler must not call the node.
 */
@FunctionalInterface
public interface RowHandler
{
    /**
     * @return true to receive the next row, false to stop the scan.
     */
    boolean onRow(
        DirectBuffer rowKey, int rowKeyOffset, int rowKeyLength,
        DirectBuffer value, int valueOffset, int valueLength,
        long rowVersion);
}
