package dev.tern.storage.replication;

import dev.tern.storage.ResultCode;
import dev.tern.storage.binlog.BinlogRecord;
import org.agrona.DirectBuffer;

/**
 * {@link RecordView} over the storage node's binlog frames: replication VALUE, PROMISE, ACCEPTED and COMMIT records
 * are {@code BinlogRecord}s of types 64 and up, with the slot and author index in their own fields.
 */
final class StorageRecordView implements RecordView
{
    private final BinlogRecord record = new BinlogRecord();

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        return ResultCode.OK == record.wrap(buffer, offset, length);
    }

    /** Point at a record already checked by the binlog reader. */
    void wrap(final BinlogRecord checked)
    {
        record.wrap(checked.buffer(), checked.offset(), checked.length());
    }

    BinlogRecord record()
    {
        return record;
    }

    public Kind kind()
    {
        return kindOf(record.type());
    }

    static Kind kindOf(final int type)
    {
        if (type == BinlogRecord.VALUE_NOOP || type == BinlogRecord.VALUE_KV_PUT ||
            type == BinlogRecord.VALUE_KV_DELETE || type == BinlogRecord.VALUE_TABLE_OPS)
        {
            return Kind.VALUE;
        }
        if (type == BinlogRecord.PROMISE)
        {
            return Kind.PROMISE;
        }
        if (type == BinlogRecord.ACCEPTED)
        {
            return Kind.ACCEPTED;
        }
        if (type == BinlogRecord.COMMIT)
        {
            return Kind.COMMIT;
        }
        return Kind.OTHER;
    }

    public DirectBuffer keyBuffer()
    {
        return record.buffer();
    }

    public int keyOffset()
    {
        return record.keyOffset();
    }

    public int keyLength()
    {
        return record.keyLength();
    }

    public long slot()
    {
        return record.slot();
    }

    public long ballot()
    {
        return record.ballot();
    }

    public int author()
    {
        return record.originNodeId();
    }

    public long authorIndex()
    {
        return record.authorIndex();
    }

    public int checksum()
    {
        return record.buffer().getInt(record.offset() + BinlogRecord.CHECKSUM_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    public DirectBuffer buffer()
    {
        return record.buffer();
    }

    public int offset()
    {
        return record.offset();
    }

    public int length()
    {
        return record.length();
    }
}
