package dev.tern.engine.seq;

import dev.tern.storage.ResultCode;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayDeque;

/**
 * A {@link CeilingStore} in memory for allocator tests, shared by several allocators like one KVSvr cluster:
 * compare-and-set on versions, answers delivered on the next poll of the asking allocator's view, and faults on
 * demand: a write that is applied but answered TIMEOUT, a write that is lost, a store that is down.
 */
final class MemoryCeilingStore
{
    /** What the next writes do. */
    enum Fault
    {
        NONE,
        /** Applied, answered TIMEOUT: the writer cannot tell. */
        APPLY_THEN_TIMEOUT,
        /** Not applied, answered TIMEOUT. */
        LOSE_THEN_TIMEOUT,
        /** Nothing applied, every read and write answered UNAVAILABLE. */
        DOWN
    }

    private record Record(long version, long ceiling, long owner, long leaseUntilMs)
    {
    }

    private final Int2ObjectHashMap<Record> records = new Int2ObjectHashMap<>();
    private Fault fault = Fault.NONE;
    private int writes;

    void fault(final Fault fault)
    {
        this.fault = fault;
    }

    int writes()
    {
        return writes;
    }

    long ceiling(final int section)
    {
        final Record record = records.get(section);
        return null == record ? 0 : record.ceiling;
    }

    long leaseUntilMs(final int section)
    {
        final Record record = records.get(section);
        return null == record ? 0 : record.leaseUntilMs;
    }

    /**
     * @return a view for one allocator: its own queue of answers.
     */
    CeilingStore view()
    {
        return new View();
    }

    private final class View implements CeilingStore
    {
        private final ArrayDeque<Runnable> answers = new ArrayDeque<>();

        public boolean read(final int section, final Listener listener)
        {
            final Record record = records.get(section);
            final Fault now = fault;
            answers.addLast(() ->
            {
                if (Fault.DOWN == now)
                {
                    listener.onRead(section, ResultCode.UNAVAILABLE, 0, 0, 0, 0);
                }
                else if (null == record)
                {
                    listener.onRead(section, ResultCode.NOT_FOUND, 0, 0, 0, 0);
                }
                else
                {
                    listener.onRead(section, ResultCode.OK, record.version, record.ceiling, record.owner,
                        record.leaseUntilMs);
                }
            });
            return true;
        }

        public boolean write(final int section, final long expectedVersion, final long ceiling, final long owner,
            final long leaseUntilMs, final Listener listener)
        {
            final Record record = records.get(section);
            final long version = null == record ? 0 : record.version;
            final int result;
            long newVersion = 0;
            if (Fault.DOWN == fault)
            {
                result = ResultCode.UNAVAILABLE;
            }
            else if (version != expectedVersion)
            {
                result = 0 == expectedVersion ? ResultCode.ALREADY_EXISTS : ResultCode.VERSION_MISMATCH;
            }
            else if (Fault.LOSE_THEN_TIMEOUT == fault)
            {
                result = ResultCode.TIMEOUT;
            }
            else
            {
                newVersion = version + 1;
                records.put(section, new Record(newVersion, ceiling, owner, leaseUntilMs));
                writes++;
                result = Fault.APPLY_THEN_TIMEOUT == fault ? ResultCode.TIMEOUT : ResultCode.OK;
            }
            final long answeredVersion = newVersion;
            answers.addLast(() -> listener.onWritten(section, result, answeredVersion));
            return true;
        }

        public int poll()
        {
            int work = 0;
            Runnable answer;
            while (null != (answer = answers.pollFirst()))
            {
                answer.run();
                work++;
            }
            return work;
        }
    }
}
