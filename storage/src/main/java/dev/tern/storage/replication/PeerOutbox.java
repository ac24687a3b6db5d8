package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.AcceptBatchEncoder;
import dev.tern.codecs.replication.sbe.AcceptResult;
import dev.tern.codecs.replication.sbe.AcceptedBatchEncoder;
import dev.tern.codecs.replication.sbe.BooleanType;
import dev.tern.codecs.replication.sbe.MessageHeaderEncoder;
import dev.tern.codecs.replication.sbe.PrepareBatchEncoder;
import dev.tern.codecs.replication.sbe.PromiseBatchEncoder;
import dev.tern.codecs.replication.sbe.ReadBatchEncoder;
import dev.tern.codecs.replication.sbe.ReadReplyBatchEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Entries for one peer gathered during a duty cycle, sent at its end as one message per kind (split when a message
 * would exceed the maximum length): the group commit of the protocol's small messages. Also carries whole messages
 * (fetches, heartbeats) queued for the same flush. Single-threaded, reused, allocation-free once warm.
 */
final class PeerOutbox
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    private final int groupId;
    private final int self;
    private final int maxMessageLength;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PrepareBatchEncoder prepareEncoder = new PrepareBatchEncoder();
    private final PromiseBatchEncoder promiseEncoder = new PromiseBatchEncoder();
    private final AcceptBatchEncoder acceptEncoder = new AcceptBatchEncoder();
    private final AcceptedBatchEncoder acceptedEncoder = new AcceptedBatchEncoder();
    private final ReadBatchEncoder readEncoder = new ReadBatchEncoder();
    private final ReadReplyBatchEncoder readReplyEncoder = new ReadReplyBatchEncoder();

    private final Staging whole = new Staging();
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer recordView = new UnsafeBuffer(0, 0);

    private long messagesSent;
    private long messagesDropped;

    PeerOutbox(final int groupId, final int self, final int maxMessageLength)
    {
        this.groupId = groupId;
        this.self = self;
        this.maxMessageLength = maxMessageLength;
    }

    private static final class Staging
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        int position;
        int count;

        void clear()
        {
            position = 0;
            count = 0;
        }

        int putLong(final long value)
        {
            buffer.putLong(position, value);
            position += 8;
            return position;
        }

        void putInt(final int value)
        {
            buffer.putInt(position, value);
            position += 4;
        }

        void putByte(final byte value)
        {
            buffer.putByte(position, value);
            position += 1;
        }

        void putBytes(final DirectBuffer src, final int offset, final int length)
        {
            buffer.putInt(position, length);
            if (length > 0)
            {
                buffer.putBytes(position + 4, src, offset, length);
            }
            position += 4 + length;
        }
    }

    boolean isEmpty()
    {
        for (final Batch batch : batches)
        {
            if (batch.staging.count != 0)
            {
                return false;
            }
        }
        return whole.count == 0;
    }

    long messagesSent()
    {
        return messagesSent;
    }

    long messagesDropped()
    {
        return messagesDropped;
    }

    void prepare(final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot)
    {
        prepares.staging.putLong(ballot);
        prepares.staging.putBytes(key, keyOffset, keyLength);
        prepares.staging.count++;
    }

    void promise(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot, final boolean ok,
        final long promised, final long committedSlot, final long committedBallot, final long pendingBallot,
        final long pendingSlot, final DirectBuffer record, final int recordOffset, final int recordLength)
    {
        promises.staging.putLong(ballot);
        promises.staging.putByte(ok ? (byte)1 : 0);
        promises.staging.putLong(promised);
        promises.staging.putLong(committedSlot);
        promises.staging.putLong(committedBallot);
        promises.staging.putLong(pendingBallot);
        promises.staging.putLong(pendingSlot);
        promises.staging.putBytes(key, keyOffset, keyLength);
        promises.staging.putBytes(record, recordOffset, recordLength);
        promises.staging.count++;
    }

    void accept(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot, final long slot,
        final long previousBallot, final int checksum)
    {
        accepts.staging.putLong(ballot);
        accepts.staging.putLong(slot);
        accepts.staging.putLong(previousBallot);
        accepts.staging.putInt(checksum);
        accepts.staging.putBytes(key, keyOffset, keyLength);
        accepts.staging.count++;
    }

    void accepted(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot, final long slot,
        final AcceptResult result, final long promised, final long committedSlot, final long committedBallot)
    {
        accepteds.staging.putLong(ballot);
        accepteds.staging.putLong(slot);
        accepteds.staging.putByte((byte)result.value());
        accepteds.staging.putLong(promised);
        accepteds.staging.putLong(committedSlot);
        accepteds.staging.putLong(committedBallot);
        accepteds.staging.putBytes(key, keyOffset, keyLength);
        accepteds.staging.count++;
    }

    void read(final long readId, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        reads.staging.putLong(readId);
        reads.staging.putBytes(key, keyOffset, keyLength);
        reads.staging.count++;
    }

    void readReply(final long readId, final long committedSlot, final long committedBallot, final long pendingSlot)
    {
        readReplies.staging.putLong(readId);
        readReplies.staging.putLong(committedSlot);
        readReplies.staging.putLong(committedBallot);
        readReplies.staging.putLong(pendingSlot);
        readReplies.staging.count++;
    }

    /**
     * Queue a whole encoded message for this flush.
     */
    void message(final DirectBuffer buffer, final int offset, final int length)
    {
        whole.putBytes(buffer, offset, length);
        whole.count++;
    }

    /**
     * Encode and send everything gathered, then clear.
     *
     * @return the number of messages sent.
     */
    int flush(final PeerTransport transport, final int peer, final MutableDirectBuffer sendBuffer)
    {
        int sent = 0;
        for (final Batch batch : batches)
        {
            sent += flush(batch, transport, peer, sendBuffer);
        }
        for (int position = 0, i = 0; i < whole.count; i++)
        {
            final int length = whole.buffer.getInt(position);
            sent += send(transport, peer, whole.buffer, position + 4, length);
            position += 4 + length;
        }
        whole.clear();
        return sent;
    }

    private int send(final PeerTransport transport, final int peer, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (transport.send(peer, buffer, offset, length))
        {
            messagesSent++;
            return 1;
        }
        messagesDropped++;
        return 0;
    }

    /** One message per batch of entries, as many as fit the maximum message length. */
    private int flush(final Batch batch, final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging staging = batch.staging;
        final ExpandableArrayBuffer b = staging.buffer;
        int sent = 0;
        int position = 0;
        int remaining = staging.count;
        while (remaining > 0)
        {
            int count = 0;
            int size = HEADER + batch.overhead();
            for (int p = position; count < remaining && count < 65535; count++)
            {
                final int entry = batch.encodedSize(b, p);
                if (count > 0 && size + entry > maxMessageLength)
                {
                    break;
                }
                size += entry;
                p += batch.stagedLength(b, p);
            }
            batch.begin(out, count);
            for (int i = 0; i < count; i++)
            {
                batch.encode(b, position);
                position += batch.stagedLength(b, position);
            }
            sent += send(transport, peer, out, 0, HEADER + batch.encodedLength());
            remaining -= count;
        }
        staging.clear();
        return sent;
    }

    /**
     * One kind of batched message: how its staged entries are laid out and encoded.
     */
    private abstract static class Batch
    {
        final Staging staging = new Staging();

        /** @return bytes of the message besides its entries: block and group header. */
        abstract int overhead();

        /** @return bytes the staged entry at {@code p} takes in the staging buffer. */
        abstract int stagedLength(DirectBuffer b, int p);

        /** @return bytes the staged entry at {@code p} takes once encoded. */
        abstract int encodedSize(DirectBuffer b, int p);

        /** Wrap the encoder over {@code out} for {@code count} entries. */
        abstract void begin(MutableDirectBuffer out, int count);

        /** Encode the staged entry at {@code p} as the next entry. */
        abstract void encode(DirectBuffer b, int p);

        /** @return the encoded length of the message, header excluded. */
        abstract int encodedLength();
    }

    // prepare: ballot (8) | key length (4) | key
    private final Batch prepares = new Batch()
    {
        private PrepareBatchEncoder.EntriesEncoder entries;

        int overhead()
        {
            return PrepareBatchEncoder.BLOCK_LENGTH + PrepareBatchEncoder.EntriesEncoder.sbeHeaderSize();
        }

        int stagedLength(final DirectBuffer b, final int p)
        {
            return 12 + b.getInt(p + 8);
        }

        int encodedSize(final DirectBuffer b, final int p)
        {
            return PrepareBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + b.getInt(p + 8);
        }

        void begin(final MutableDirectBuffer out, final int count)
        {
            prepareEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            entries = prepareEncoder.entriesCount(count);
        }

        void encode(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 8);
            keyView.wrap(b, p + 12, keyLength);
            entries.next().ballot(b.getLong(p)).putKey(keyView, 0, keyLength);
        }

        int encodedLength()
        {
            return prepareEncoder.encodedLength();
        }
    };

    // promise: ballot (8) | ok (1) | promised | committed slot | committed ballot | pending ballot | pending slot
    //          (8 each) | key length (4) | key | record length (4) | record
    private final Batch promises = new Batch()
    {
        private PromiseBatchEncoder.EntriesEncoder entries;

        int overhead()
        {
            return PromiseBatchEncoder.BLOCK_LENGTH + PromiseBatchEncoder.EntriesEncoder.sbeHeaderSize();
        }

        int stagedLength(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 49);
            return 57 + keyLength + b.getInt(p + 53 + keyLength);
        }

        int encodedSize(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 49);
            return PromiseBatchEncoder.EntriesEncoder.sbeBlockLength() + 8 + keyLength + b.getInt(p + 53 + keyLength);
        }

        void begin(final MutableDirectBuffer out, final int count)
        {
            promiseEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            entries = promiseEncoder.entriesCount(count);
        }

        void encode(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 49);
            final int recordLength = b.getInt(p + 53 + keyLength);
            keyView.wrap(b, p + 53, keyLength);
            entries.next()
                .ballot(b.getLong(p))
                .ok(b.getByte(p + 8) != 0 ? BooleanType.TRUE : BooleanType.FALSE)
                .promised(b.getLong(p + 9))
                .committedSlot(b.getLong(p + 17))
                .committedBallot(b.getLong(p + 25))
                .pendingBallot(b.getLong(p + 33))
                .pendingSlot(b.getLong(p + 41))
                .putKey(keyView, 0, keyLength);
            recordView.wrap(b, p + 57 + keyLength, recordLength);
            entries.putPendingRecord(recordView, 0, recordLength);
        }

        int encodedLength()
        {
            return promiseEncoder.encodedLength();
        }
    };

    // accept: ballot | slot | previous ballot (8 each) | checksum (4) | key length (4) | key
    private final Batch accepts = new Batch()
    {
        private AcceptBatchEncoder.EntriesEncoder entries;

        int overhead()
        {
            return AcceptBatchEncoder.BLOCK_LENGTH + AcceptBatchEncoder.EntriesEncoder.sbeHeaderSize();
        }

        int stagedLength(final DirectBuffer b, final int p)
        {
            return 32 + b.getInt(p + 28);
        }

        int encodedSize(final DirectBuffer b, final int p)
        {
            return AcceptBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + b.getInt(p + 28);
        }

        void begin(final MutableDirectBuffer out, final int count)
        {
            acceptEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            entries = acceptEncoder.entriesCount(count);
        }

        void encode(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 28);
            keyView.wrap(b, p + 32, keyLength);
            entries.next()
                .ballot(b.getLong(p))
                .slot(b.getLong(p + 8))
                .previousBallot(b.getLong(p + 16))
                .checksum(b.getInt(p + 24))
                .putKey(keyView, 0, keyLength);
        }

        int encodedLength()
        {
            return acceptEncoder.encodedLength();
        }
    };

    // accepted: ballot | slot (8 each) | result (1) | promised | committed slot | committed ballot (8 each) |
    //           key length (4) | key
    private final Batch accepteds = new Batch()
    {
        private AcceptedBatchEncoder.EntriesEncoder entries;

        int overhead()
        {
            return AcceptedBatchEncoder.BLOCK_LENGTH + AcceptedBatchEncoder.EntriesEncoder.sbeHeaderSize();
        }

        int stagedLength(final DirectBuffer b, final int p)
        {
            return 45 + b.getInt(p + 41);
        }

        int encodedSize(final DirectBuffer b, final int p)
        {
            return AcceptedBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + b.getInt(p + 41);
        }

        void begin(final MutableDirectBuffer out, final int count)
        {
            acceptedEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            entries = acceptedEncoder.entriesCount(count);
        }

        void encode(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 41);
            keyView.wrap(b, p + 45, keyLength);
            entries.next()
                .ballot(b.getLong(p))
                .slot(b.getLong(p + 8))
                .result(AcceptResult.get(b.getByte(p + 16)))
                .promised(b.getLong(p + 17))
                .committedSlot(b.getLong(p + 25))
                .committedBallot(b.getLong(p + 33))
                .putKey(keyView, 0, keyLength);
        }

        int encodedLength()
        {
            return acceptedEncoder.encodedLength();
        }
    };

    // read: read id (8) | key length (4) | key
    private final Batch reads = new Batch()
    {
        private ReadBatchEncoder.EntriesEncoder entries;

        int overhead()
        {
            return ReadBatchEncoder.BLOCK_LENGTH + ReadBatchEncoder.EntriesEncoder.sbeHeaderSize();
        }

        int stagedLength(final DirectBuffer b, final int p)
        {
            return 12 + b.getInt(p + 8);
        }

        int encodedSize(final DirectBuffer b, final int p)
        {
            return ReadBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + b.getInt(p + 8);
        }

        void begin(final MutableDirectBuffer out, final int count)
        {
            readEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            entries = readEncoder.entriesCount(count);
        }

        void encode(final DirectBuffer b, final int p)
        {
            final int keyLength = b.getInt(p + 8);
            keyView.wrap(b, p + 12, keyLength);
            entries.next().readId(b.getLong(p)).putKey(keyView, 0, keyLength);
        }

        int encodedLength()
        {
            return readEncoder.encodedLength();
        }
    };

    // read reply: read id | committed slot | committed ballot | pending slot (8 each)
    private final Batch readReplies = new Batch()
    {
        private ReadReplyBatchEncoder.EntriesEncoder entries;

        int overhead()
        {
            return ReadReplyBatchEncoder.BLOCK_LENGTH + ReadReplyBatchEncoder.EntriesEncoder.sbeHeaderSize();
        }

        int stagedLength(final DirectBuffer b, final int p)
        {
            return 32;
        }

        int encodedSize(final DirectBuffer b, final int p)
        {
            return ReadReplyBatchEncoder.EntriesEncoder.sbeBlockLength();
        }

        void begin(final MutableDirectBuffer out, final int count)
        {
            readReplyEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            entries = readReplyEncoder.entriesCount(count);
        }

        void encode(final DirectBuffer b, final int p)
        {
            entries.next()
                .readId(b.getLong(p))
                .committedSlot(b.getLong(p + 8))
                .committedBallot(b.getLong(p + 16))
                .pendingSlot(b.getLong(p + 24));
        }

        int encodedLength()
        {
            return readReplyEncoder.encodedLength();
        }
    };

    private final Batch[] batches = { prepares, promises, accepts, accepteds, reads, readReplies };
}
