package dev.tern.storage.binlog;

import dev.tern.codecs.binlog.sbe.BinlogRecordEncoder;
import dev.tern.codecs.binlog.sbe.MessageHeaderEncoder;
import dev.tern.codecs.binlog.sbe.RowOp;
import dev.tern.storage.TableBatch;
import dev.tern.storage.memory.Crc32cChecksum;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Encodes sealed binlog frames (checksum and one {@code BinlogRecord} message) into a caller's buffer. The store uses
 * it for its own writes; the replication layer uses it to build records at versions and ballots decided by the
 * quorum (then {@code StorageNode.apply}) and records of its own types ({@code StorageNode.appendRecord}).
 * Lengths are not checked here: the caller checks them against its limits and sizes the buffer with
 * {@link #frameLength} / {@link #tableFrameLength}. Not thread-safe.
 */
public final class BinlogRecordWriter
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BinlogRecordEncoder encoder = new BinlogRecordEncoder();
    private final Crc32cChecksum crc = new Crc32cChecksum();
    private BinlogRecordEncoder.RowsEncoder rowsEncoder;

    /**
     * @return bytes of a frame with no rows.
     */
    public static int frameLength(final int keyLength, final int valueLength)
    {
        return BinlogRecord.MIN_FRAME_LENGTH + keyLength + valueLength;
    }

    /**
     * @return bytes of a TABLE_OPS frame carrying the batch.
     */
    public static long tableFrameLength(final int keyLength, final TableBatch batch)
    {
        return BinlogRecord.MIN_FRAME_LENGTH + keyLength + (long)batch.rowCount() * BinlogRecord.ROW_OVERHEAD +
            batch.dataLength();
    }

    /**
     * Encode a record without rows: KV_PUT, KV_DELETE, TABLE_DELETE, SNAPSHOT_MARK, or a replication type (64-255).
     *
     * @return the frame's length.
     */
    public int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final long version,
        final long ballot,
        final int originNodeId,
        final long clientId,
        final long requestSequence,
        final long timestampNs,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        block(buffer, offset, type, version, ballot, originNodeId, clientId, requestSequence, timestampNs);
        encoder.rowsCount(0);
        encoder.putKey(key, keyOffset, keyLength);
        encoder.putValue(value, valueOffset, valueLength);
        return seal(buffer, offset);
    }

    /**
     * Encode a TABLE_OPS record carrying a batch's rows in order.
     *
     * @return the frame's length.
     */
    public int encodeTableOps(
        final MutableDirectBuffer buffer,
        final int offset,
        final long version,
        final long ballot,
        final int originNodeId,
        final long clientId,
        final long requestSequence,
        final long timestampNs,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final TableBatch batch)
    {
        block(buffer, offset, BinlogRecord.TABLE_OPS, version, ballot, originNodeId, clientId, requestSequence, timestampNs);
        final BinlogRecordEncoder.RowsEncoder rows = encoder.rowsCount(batch.rowCount());
        final DirectBuffer rowBuffer = batch.buffer();
        for (int position = batch.firstRow(); position >= 0; position = batch.nextRow(position))
        {
            rows.next().op(RowOp.get((short)batch.op(position))).rowVersion(0);
            rows.putRowKey(rowBuffer, batch.rowKeyOffset(position), batch.rowKeyLength(position));
            rows.putRowValue(rowBuffer, batch.valueOffset(position), batch.valueLength(position));
        }
        encoder.putKey(key, keyOffset, keyLength);
        encoder.putValue(key, keyOffset, 0);
        return seal(buffer, offset);
    }

    private void block(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final long version,
        final long ballot,
        final int originNodeId,
        final long clientId,
        final long requestSequence,
        final long timestampNs)
    {
        encoder.wrapAndApplyHeader(buffer, offset + BinlogRecord.MESSAGE_OFFSET, headerEncoder)
            .version(version)
            .ballot(ballot)
            .clientId(clientId)
            .requestSequence(requestSequence)
            .timestampNs(timestampNs)
            .originNodeId(originNodeId)
            .slot(0)
            .authorIndex(0);
        buffer.putByte(encoder.offset() + BinlogRecordEncoder.recordTypeEncodingOffset(), (byte)type);
    }

    /**
     * Start a frame of row changes written one by one (a table install with each row's own version): exactly
     * {@code rowCount} {@link #row} calls follow, then {@link #endRows}.
     */
    public void beginRows(
        final MutableDirectBuffer buffer, final int offset, final int type, final long version, final int originNodeId,
        final long timestampNs, final int rowCount)
    {
        block(buffer, offset, type, version, 0, originNodeId, 0, 0, timestampNs);
        rowsEncoder = encoder.rowsCount(rowCount);
    }

    /** One row of a frame started by {@link #beginRows}. */
    public void row(
        final int op, final long rowVersion, final DirectBuffer rowKey, final int rowKeyOffset, final int rowKeyLength,
        final DirectBuffer value, final int valueOffset, final int valueLength)
    {
        rowsEncoder.next().op(RowOp.get((short)op)).rowVersion(rowVersion)
            .putRowKey(rowKey, rowKeyOffset, rowKeyLength)
            .putRowValue(value, valueOffset, valueLength);
    }

    /**
     * Finish a frame started by {@link #beginRows}.
     *
     * @return the frame's length.
     */
    public int endRows(final MutableDirectBuffer buffer, final int offset, final DirectBuffer key, final int keyOffset,
        final int keyLength)
    {
        encoder.putKey(key, keyOffset, keyLength);
        encoder.putValue(key, keyOffset, 0);
        return seal(buffer, offset);
    }

    /**
     * Set a frame's replication fields and seal it again.
     *
     * @param buffer      holding the frame.
     * @param offset      where the frame starts.
     * @param frameLength bytes of the frame including its checksum.
     * @param slot        the key's slot the record is about.
     * @param ballot      the ballot of the proposal.
     * @param origin      the replica that authors the record.
     * @param authorIndex the record's index in its author's stream, 0 when not authored.
     */
    public void replicationFields(
        final MutableDirectBuffer buffer, final int offset, final int frameLength, final long slot, final long ballot,
        final int origin, final long authorIndex)
    {
        final int block = offset + BinlogRecord.MESSAGE_OFFSET + BinlogRecord.HEADER_LENGTH;
        buffer.putLong(block + BinlogRecordEncoder.slotEncodingOffset(), slot, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(block + BinlogRecordEncoder.ballotEncodingOffset(), ballot, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(block + BinlogRecordEncoder.originNodeIdEncodingOffset(), origin, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(block + BinlogRecordEncoder.authorIndexEncodingOffset(), authorIndex, ByteOrder.LITTLE_ENDIAN);
        seal(buffer, offset, frameLength);
    }

    /**
     * Compute and store a frame's checksum, for a frame whose message was encoded or changed by other means.
     *
     * @param buffer      holding the frame.
     * @param offset      where the frame starts.
     * @param frameLength bytes of the frame including its checksum.
     */
    public void seal(final MutableDirectBuffer buffer, final int offset, final int frameLength)
    {
        buffer.putInt(offset + BinlogRecord.CHECKSUM_OFFSET,
            crc.compute(buffer, offset + BinlogRecord.MESSAGE_OFFSET, frameLength - BinlogRecord.MESSAGE_OFFSET),
            ByteOrder.LITTLE_ENDIAN);
    }

    private int seal(final MutableDirectBuffer buffer, final int offset)
    {
        final int frameLength = encoder.limit() - offset;
        seal(buffer, offset, frameLength);
        return frameLength;
    }
}
