package dev.tern.storage.binlog;

/**
 * Receives binlog records from a {@link BinlogReader}.
 */
@FunctionalInterface
public interface BinlogRecordHandler
{
    /**
     * @param index  the record's binlog index.
     * @param record a checked view of the frame, valid during the call only; ship it verbatim with
     *               {@code record.buffer()}, {@code record.offset()}, {@code record.length()}.
     */
    void onRecord(long index, BinlogRecord record);
}
