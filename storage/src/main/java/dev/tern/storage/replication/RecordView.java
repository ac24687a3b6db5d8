package dev.tern.storage.replication;

import org.agrona.DirectBuffer;

/**
 * Read access to one replication-relevant binlog record, whatever the store's encoding: a flyweight the store wraps
 * over a record's bytes. Valid until the next call that moves it.
 */
public interface RecordView
{
    /** Kinds of records the replication protocol reads. */
    enum Kind
    {
        /** A proposed mutation with its value: decided only by a COMMIT. */
        VALUE,
        /** A replica raised its promise for a key. */
        PROMISE,
        /** A replica voted for a version at a ballot. */
        ACCEPTED,
        /** A version was decided at a ballot. */
        COMMIT,
        /** Any other record (local housekeeping, installs); replication ignores it. */
        OTHER
    }

    /**
     * Point the view at a record.
     *
     * @return false when the bytes are not a valid record (bad checksum, truncated).
     */
    boolean wrap(DirectBuffer buffer, int offset, int length);

    Kind kind();

    DirectBuffer keyBuffer();

    int keyOffset();

    int keyLength();

    /** @return the slot of the key the record is about. */
    long slot();

    long ballot();

    /** @return the replica index that authored the record. */
    int author();

    /** @return the record's index in its author's binlog. */
    long authorIndex();

    /** @return the checksum of the record (CRC32C of its bytes). */
    int checksum();

    DirectBuffer buffer();

    int offset();

    int length();
}
