package dev.tern.storage.binlog;

import dev.tern.storage.ResultCode;
import dev.tern.storage.TableBatch;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(30)
class BinlogRecordTest
{
    private final BinlogRecordWriter writer = new BinlogRecordWriter();
    private final BinlogRecord record = new BinlogRecord();
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));

    @Test
    void shouldDecodeEveryFieldOfAnEncodedRecord()
    {
        final int length = writer.encode(frame, 16, BinlogRecord.KV_PUT, 7, 3, 2, 99, 5, 123456789L,
            bytes("key"), 0, 3, bytes("value"), 0, 5);
        assertEquals(BinlogRecordWriter.frameLength(3, 5), length);
        assertEquals(ResultCode.OK, record.wrap(frame, 16, length));
        assertEquals(BinlogRecord.KV_PUT, record.type());
        assertEquals(7, record.version());
        assertEquals(3, record.ballot());
        assertEquals(2, record.originNodeId());
        assertEquals(99, record.clientId());
        assertEquals(5, record.requestSequence());
        assertEquals(123456789L, record.timestampNs());
        assertEquals("key", text(record.keyOffset(), record.keyLength()));
        assertEquals("value", text(record.valueOffset(), record.valueLength()));
        assertEquals(0, record.rowCount());
        assertEquals(length, record.length());
    }

    @Test
    void shouldIterateTheRowsOfATableRecord()
    {
        final TableBatch batch = new TableBatch()
            .put(bytes("a"), 0, 1, bytes("1"), 0, 1)
            .delete(bytes("b"), 0, 1)
            .append(bytes("c"), 0, 1, bytes("33"), 0, 2)
            .put(bytes("a"), 0, 1, bytes("4"), 0, 1);
        final int length = writer.encodeTableOps(frame, 0, 9, 0, 1, 0, 0, 1, bytes("t"), 0, 1, batch);
        assertEquals(BinlogRecordWriter.tableFrameLength(1, batch), length);
        assertEquals(ResultCode.OK, record.wrap(frame, 0, length));
        assertEquals(4, record.rowCount());
        final StringBuilder rows = new StringBuilder();
        while (record.nextRow())
        {
            rows.append(record.rowOp()).append(text(record.rowKeyOffset(), record.rowKeyLength()))
                .append(text(record.rowValueOffset(), record.rowValueLength())).append(';');
        }
        assertEquals("1a1;2b;3c33;1a4;", rows.toString());
        assertTrue(record.findLastRow(bytes("a"), 0, 1));
        assertEquals("4", text(record.rowValueOffset(), record.rowValueLength()));
        assertFalse(record.findLastRow(bytes("z"), 0, 1));
    }

    @Test
    void shouldCarryReplicationRecordTypes()
    {
        final int length = writer.encode(frame, 0, 200, 1, 42, 3, 0, 0, 0, bytes("k"), 0, 1, bytes("p"), 0, 1);
        assertEquals(ResultCode.OK, record.wrap(frame, 0, length));
        assertEquals(200, record.type());
        assertEquals(42, record.ballot());
    }

    @Test
    void shouldRefuseAFlippedByte()
    {
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0, 0, bytes("k"), 0, 1, bytes("v"), 0, 1);
        frame.putByte(length - 1, (byte)(frame.getByte(length - 1) ^ 1));
        assertEquals(ResultCode.CHECKSUM_MISMATCH, record.wrap(frame, 0, length));
    }

    @Test
    void shouldRefuseAKeyLengthThatRunsPastTheFrame()
    {
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0, 0, bytes("k"), 0, 1, bytes("v"), 0, 1);
        final int keyLengthOffset = length - 1 - 4 - 1 - 2;
        frame.putShort(keyLengthOffset, (short)1000, ByteOrder.LITTLE_ENDIAN);
        writer.seal(frame, 0, length);
        assertEquals(ResultCode.INVALID_RECORD, record.wrap(frame, 0, length));
    }

    @Test
    void shouldRefuseAValueLengthThatRunsPastTheFrame()
    {
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0, 0, bytes("k"), 0, 1, bytes("v"), 0, 1);
        frame.putInt(length - 1 - 4, Integer.MAX_VALUE, ByteOrder.LITTLE_ENDIAN);
        writer.seal(frame, 0, length);
        assertEquals(ResultCode.INVALID_RECORD, record.wrap(frame, 0, length));
    }

    @Test
    void shouldRefuseAnotherSchema()
    {
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0, 0, bytes("k"), 0, 1, bytes("v"), 0, 1);
        frame.putShort(BinlogRecord.MESSAGE_OFFSET + 4, (short)1, ByteOrder.LITTLE_ENDIAN);
        writer.seal(frame, 0, length);
        assertEquals(ResultCode.INVALID_RECORD, record.wrap(frame, 0, length));
    }

    @Test
    void shouldRefuseAShortFrame()
    {
        assertEquals(ResultCode.INVALID_RECORD, record.wrap(frame, 0, BinlogRecord.MIN_FRAME_LENGTH - 1));
        assertEquals(ResultCode.INVALID_RECORD, record.wrap(frame, 4090, 100));
    }

    @Test
    void shouldRefuseTrailingBytesBeyondPadding()
    {
        final int length = writer.encode(frame, 0, BinlogRecord.KV_PUT, 1, 0, 1, 0, 0, 0, bytes("k"), 0, 1, bytes("v"), 0, 1);
        assertEquals(ResultCode.OK, record.wrap(frame, 0, length + 3));
        assertEquals(length, record.length());
        assertEquals(ResultCode.INVALID_RECORD, record.wrap(frame, 0, length + 8));
    }

    private String text(final int offset, final int length)
    {
        return record.buffer().getStringWithoutLengthAscii(offset, length);
    }

    private static DirectBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
