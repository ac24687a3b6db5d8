package dev.tern.storage;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The writer JVM of {@link CrashRecoveryTest}: a write storm of puts, deletes and inbox appends in group commits;
 * after each flush it prints one line acknowledging the group: {@code ACK key=version ... inbox/row=version ...}.
 * Every value is a function of its key and version ({@link #value}), so a reader can tell a whole value from a torn
 * one without knowing what was acknowledged. Runs until killed.
 */
public final class CrashWriter
{
    static final int KEYS = 300;
    static final int INBOXES = 10;

    private CrashWriter()
    {
    }

    /**
     * @param args directory, seed, durability (PROCESS or MACHINE).
     */
    public static void main(final String[] args)
    {
        final File dir = new File(args[0]);
        final Random random = new Random(Long.parseLong(args[1]));
        final StorageNode node = StorageNode.launch(context(dir).durability(Durability.valueOf(args[2])));
        final StringBuilder ack = new StringBuilder();
        final UnsafeBuffer key = new UnsafeBuffer(0, 0);
        final UnsafeBuffer rowKey = new UnsafeBuffer(0, 0);
        final UnsafeBuffer value = new UnsafeBuffer(0, 0);
        System.out.println("STARTED");
        while (true)
        {
            ack.setLength(0);
            ack.append("ACK");
            final int group = 1 + random.nextInt(20);
            for (int i = 0; i < group; i++)
            {
                final int dice = random.nextInt(10);
                if (dice < 7)
                {
                    final String k = "key-" + random.nextInt(KEYS);
                    wrap(key, k);
                    final long next = node.version(key, 0, key.capacity()) + 1;
                    wrap(value, value(k, next));
                    check(node.put(0, 0, key, 0, key.capacity(), value, 0, value.capacity()), node, next);
                    ack.append(' ').append(k).append('=').append(next);
                }
                else if (dice < 8)
                {
                    final String k = "key-" + random.nextInt(KEYS);
                    wrap(key, k);
                    final long next = node.version(key, 0, key.capacity()) + 1;
                    final int result = node.delete(0, 0, key, 0, key.capacity());
                    if (ResultCode.OK == result)
                    {
                        check(result, node, next);
                        ack.append(' ').append(k).append('=').append(next);
                    }
                }
                else
                {
                    final String inbox = "inbox-" + random.nextInt(INBOXES);
                    wrap(key, inbox);
                    final long next = node.version(key, 0, key.capacity()) + 1;
                    final String row = rowKey(node.rowCount(key, 0, key.capacity()) + 1);
                    wrap(rowKey, row);
                    wrap(value, value(inbox + "/" + row, next));
                    check(node.appendRow(0, 0, key, 0, key.capacity(), rowKey, 0, rowKey.capacity(), value, 0,
                        value.capacity()), node, next);
                    ack.append(' ').append(inbox).append('/').append(row).append('=').append(next);
                }
            }
            node.flush();
            node.doWork();
            System.out.println(ack);
        }
    }

    static StorageNode.Context context(final File dir)
    {
        return new StorageNode.Context()
            .dir(dir)
            .nodeId(1)
            .indexCapacity(10_000)
            .arenaBytes(32L * 1024 * 1024)
            .cacheBytes(4L * 1024 * 1024)
            .maxValueLength(4096)
            .maxRecordLength(256 * 1024)
            .snapshotIntervalMs(300)
            .snapshotBytesPerCycle(4096);
    }

    /** @return the one value ever written for this key (or row) at this version. */
    static String value(final String key, final long version)
    {
        final int length = (int)((key.hashCode() * 31L + version) & 0xFF);
        final StringBuilder text = new StringBuilder(key).append('@').append(version).append(':');
        for (int i = 0; i < length; i++)
        {
            text.append((char)('a' + (i + version) % 26));
        }
        return text.toString();
    }

    static String rowKey(final long sequence)
    {
        return String.format("%010d", sequence);
    }

    private static void wrap(final UnsafeBuffer buffer, final String text)
    {
        buffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(final int result, final StorageNode node, final long expectedVersion)
    {
        if (ResultCode.OK != result || node.lastWriteVersion() != expectedVersion)
        {
            System.out.println("FAILED " + ResultCode.describe(result) + " version " + node.lastWriteVersion());
            System.exit(3);
        }
    }
}
