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

    private final Staging prepares = new Staging();
    private final Staging promises = new Staging();
    private final Staging accepts = new Staging();
    private final Staging accepteds = new Staging();
    private final Staging reads = new Staging();
    private final Staging readReplies = new Staging();
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
        return prepares.count == 0 && promises.count == 0 && accepts.count == 0 && accepteds.count == 0 &&
            reads.count == 0 && readReplies.count == 0 && whole.count == 0;
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
        prepares.putLong(ballot);
        prepares.putBytes(key, keyOffset, keyLength);
        prepares.count++;
    }

    void promise(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot, final boolean ok,
        final long promised, final long committedSlot, final long committedBallot, final long pendingBallot,
        final long pendingSlot, final DirectBuffer record, final int recordOffset, final int recordLength)
    {
        promises.putLong(ballot);
        promises.putByte(ok ? (byte)1 : 0);
        promises.putLong(promised);
        promises.putLong(committedSlot);
        promises.putLong(committedBallot);
        promises.putLong(pendingBallot);
        promises.putLong(pendingSlot);
        promises.putBytes(key, keyOffset, keyLength);
        promises.putBytes(record, recordOffset, recordLength);
        promises.count++;
    }

    void accept(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot, final long slot,
        final long previousBallot, final int checksum)
    {
        accepts.putLong(ballot);
        accepts.putLong(slot);
        accepts.putLong(previousBallot);
        accepts.putInt(checksum);
        accepts.putBytes(key, keyOffset, keyLength);
        accepts.count++;
    }

    void accepted(
        final DirectBuffer key, final int keyOffset, final int keyLength, final long ballot, final long slot,
        final AcceptResult result, final long promised, final long committedSlot, final long committedBallot)
    {
        accepteds.putLong(ballot);
        accepteds.putLong(slot);
        accepteds.putByte((byte)result.value());
        accepteds.putLong(promised);
        accepteds.putLong(committedSlot);
        accepteds.putLong(committedBallot);
        accepteds.putBytes(key, keyOffset, keyLength);
        accepteds.count++;
    }

    void read(final long readId, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        reads.putLong(readId);
        reads.putBytes(key, keyOffset, keyLength);
        reads.count++;
    }

    void readReply(final long readId, final long committedSlot, final long committedBallot, final long pendingSlot)
    {
        readReplies.putLong(readId);
        readReplies.putLong(committedSlot);
        readReplies.putLong(committedBallot);
        readReplies.putLong(pendingSlot);
        readReplies.count++;
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
        sent += flushPrepares(transport, peer, sendBuffer);
        sent += flushPromises(transport, peer, sendBuffer);
        sent += flushAccepts(transport, peer, sendBuffer);
        sent += flushAccepteds(transport, peer, sendBuffer);
        sent += flushReads(transport, peer, sendBuffer);
        sent += flushReadReplies(transport, peer, sendBuffer);
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

    private int flushPrepares(final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging s = prepares;
        final ExpandableArrayBuffer b = s.buffer;
        int sent = 0;
        int position = 0;
        int remaining = s.count;
        while (remaining > 0)
        {
            int count = 0;
            int size = HEADER + PrepareBatchEncoder.BLOCK_LENGTH + PrepareBatchEncoder.EntriesEncoder.sbeHeaderSize();
            for (int p = position; count < remaining && count < 65535; count++)
            {
                final int keyLength = b.getInt(p + 8);
                final int entry = PrepareBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + keyLength;
                if (count > 0 && size + entry > maxMessageLength)
                {
                    break;
                }
                size += entry;
                p += 12 + keyLength;
            }
            prepareEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            final PrepareBatchEncoder.EntriesEncoder entries = prepareEncoder.entriesCount(count);
            for (int i = 0; i < count; i++)
            {
                final long ballot = b.getLong(position);
                final int keyLength = b.getInt(position + 8);
                keyView.wrap(b, position + 12, keyLength);
                entries.next().ballot(ballot).putKey(keyView, 0, keyLength);
                position += 12 + keyLength;
            }
            sent += send(transport, peer, out, 0, HEADER + prepareEncoder.encodedLength());
            remaining -= count;
        }
        s.clear();
        return sent;
    }

    private int flushPromises(final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging s = promises;
        final ExpandableArrayBuffer b = s.buffer;
        int sent = 0;
        int position = 0;
        int remaining = s.count;
        while (remaining > 0)
        {
            int count = 0;
            int size = HEADER + PromiseBatchEncoder.BLOCK_LENGTH + PromiseBatchEncoder.EntriesEncoder.sbeHeaderSize();
            for (int p = position; count < remaining && count < 65535; count++)
            {
                final int keyLength = b.getInt(p + 49);
                final int recordLength = b.getInt(p + 53 + keyLength);
                final int entry = PromiseBatchEncoder.EntriesEncoder.sbeBlockLength() + 8 + keyLength + recordLength;
                if (count > 0 && size + entry > maxMessageLength)
                {
                    break;
                }
                size += entry;
                p += 57 + keyLength + recordLength;
            }
            promiseEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            final PromiseBatchEncoder.EntriesEncoder entries = promiseEncoder.entriesCount(count);
            for (int i = 0; i < count; i++)
            {
                final int keyLength = b.getInt(position + 49);
                final int recordLength = b.getInt(position + 53 + keyLength);
                keyView.wrap(b, position + 53, keyLength);
                entries.next()
                    .ballot(b.getLong(position))
                    .ok(b.getByte(position + 8) != 0 ? BooleanType.TRUE : BooleanType.FALSE)
                    .promised(b.getLong(position + 9))
                    .committedSlot(b.getLong(position + 17))
                    .committedBallot(b.getLong(position + 25))
                    .pendingBallot(b.getLong(position + 33))
                    .pendingSlot(b.getLong(position + 41))
                    .putKey(keyView, 0, keyLength);
                if (recordLength > 0)
                {
                    recordView.wrap(b, position + 57 + keyLength, recordLength);
                    entries.putPendingRecord(recordView, 0, recordLength);
                }
                else
                {
                    entries.putPendingRecord(keyView, 0, 0);
                }
                position += 57 + keyLength + recordLength;
            }
            sent += send(transport, peer, out, 0, HEADER + promiseEncoder.encodedLength());
            remaining -= count;
        }
        s.clear();
        return sent;
    }

    private int flushAccepts(final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging s = accepts;
        final ExpandableArrayBuffer b = s.buffer;
        int sent = 0;
        int position = 0;
        int remaining = s.count;
        while (remaining > 0)
        {
            int count = 0;
            int size = HEADER + AcceptBatchEncoder.BLOCK_LENGTH + AcceptBatchEncoder.EntriesEncoder.sbeHeaderSize();
            for (int p = position; count < remaining && count < 65535; count++)
            {
                final int keyLength = b.getInt(p + 28);
                final int entry = AcceptBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + keyLength;
                if (count > 0 && size + entry > maxMessageLength)
                {
                    break;
                }
                size += entry;
                p += 32 + keyLength;
            }
            acceptEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            final AcceptBatchEncoder.EntriesEncoder entries = acceptEncoder.entriesCount(count);
            for (int i = 0; i < count; i++)
            {
                final int keyLength = b.getInt(position + 28);
                keyView.wrap(b, position + 32, keyLength);
                entries.next()
                    .ballot(b.getLong(position))
                    .slot(b.getLong(position + 8))
                    .previousBallot(b.getLong(position + 16))
                    .checksum(b.getInt(position + 24))
                    .putKey(keyView, 0, keyLength);
                position += 32 + keyLength;
            }
            sent += send(transport, peer, out, 0, HEADER + acceptEncoder.encodedLength());
            remaining -= count;
        }
        s.clear();
        return sent;
    }

    private int flushAccepteds(final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging s = accepteds;
        final ExpandableArrayBuffer b = s.buffer;
        int sent = 0;
        int position = 0;
        int remaining = s.count;
        while (remaining > 0)
        {
            int count = 0;
            int size = HEADER + AcceptedBatchEncoder.BLOCK_LENGTH + AcceptedBatchEncoder.EntriesEncoder.sbeHeaderSize();
            for (int p = position; count < remaining && count < 65535; count++)
            {
                final int keyLength = b.getInt(p + 41);
                final int entry = AcceptedBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + keyLength;
                if (count > 0 && size + entry > maxMessageLength)
                {
                    break;
                }
                size += entry;
                p += 45 + keyLength;
            }
            acceptedEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            final AcceptedBatchEncoder.EntriesEncoder entries = acceptedEncoder.entriesCount(count);
            for (int i = 0; i < count; i++)
            {
                final int keyLength = b.getInt(position + 41);
                keyView.wrap(b, position + 45, keyLength);
                entries.next()
                    .ballot(b.getLong(position))
                    .slot(b.getLong(position + 8))
                    .result(AcceptResult.get(b.getByte(position + 16)))
                    .promised(b.getLong(position + 17))
                    .committedSlot(b.getLong(position + 25))
                    .committedBallot(b.getLong(position + 33))
                    .putKey(keyView, 0, keyLength);
                position += 45 + keyLength;
            }
            sent += send(transport, peer, out, 0, HEADER + acceptedEncoder.encodedLength());
            remaining -= count;
        }
        s.clear();
        return sent;
    }

    private int flushReads(final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging s = reads;
        final ExpandableArrayBuffer b = s.buffer;
        int sent = 0;
        int position = 0;
        int remaining = s.count;
        while (remaining > 0)
        {
            int count = 0;
            int size = HEADER + ReadBatchEncoder.BLOCK_LENGTH + ReadBatchEncoder.EntriesEncoder.sbeHeaderSize();
            for (int p = position; count < remaining && count < 65535; count++)
            {
                final int keyLength = b.getInt(p + 8);
                final int entry = ReadBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + keyLength;
                if (count > 0 && size + entry > maxMessageLength)
                {
                    break;
                }
                size += entry;
                p += 12 + keyLength;
            }
            readEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            final ReadBatchEncoder.EntriesEncoder entries = readEncoder.entriesCount(count);
            for (int i = 0; i < count; i++)
            {
                final int keyLength = b.getInt(position + 8);
                keyView.wrap(b, position + 12, keyLength);
                entries.next().readId(b.getLong(position)).putKey(keyView, 0, keyLength);
                position += 12 + keyLength;
            }
            sent += send(transport, peer, out, 0, HEADER + readEncoder.encodedLength());
            remaining -= count;
        }
        s.clear();
        return sent;
    }

    private int flushReadReplies(final PeerTransport transport, final int peer, final MutableDirectBuffer out)
    {
        final Staging s = readReplies;
        final ExpandableArrayBuffer b = s.buffer;
        int sent = 0;
        int position = 0;
        int remaining = s.count;
        final int entrySize = ReadReplyBatchEncoder.EntriesEncoder.sbeBlockLength();
        final int perMessage = Math.max(1, Math.min(65535, (maxMessageLength - HEADER -
            ReadReplyBatchEncoder.BLOCK_LENGTH - ReadReplyBatchEncoder.EntriesEncoder.sbeHeaderSize()) / entrySize));
        while (remaining > 0)
        {
            final int count = Math.min(remaining, perMessage);
            readReplyEncoder.wrapAndApplyHeader(out, 0, header).groupId(groupId).from((short)self);
            final ReadReplyBatchEncoder.EntriesEncoder entries = readReplyEncoder.entriesCount(count);
            for (int i = 0; i < count; i++)
            {
                entries.next()
                    .readId(b.getLong(position))
                    .committedSlot(b.getLong(position + 8))
                    .committedBallot(b.getLong(position + 16))
                    .pendingSlot(b.getLong(position + 24));
                position += 32;
            }
            sent += send(transport, peer, out, 0, HEADER + readReplyEncoder.encodedLength());
            remaining -= count;
        }
        s.clear();
        return sent;
    }
}
