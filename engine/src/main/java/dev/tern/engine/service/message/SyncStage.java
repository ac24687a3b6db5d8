package dev.tern.engine.service.message;

import dev.tern.codecs.client.sbe.BooleanType;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.client.sbe.SyncResponseEncoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.engine.service.KvKeys;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.storage.ResultCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sync logic: one scan of the caller's timeline from its key (inclusive: the key's own row proves the key is one
 * this timeline reached, else BAD_SYNC_KEY), then the rows after it in sequence order under the {@link SyncRule}:
 * a gap stops the batch (the answer says when to sync again) unless it is abandoned; tombstones are skipped; the
 * batch ends at the asked number of messages or the byte budget, with "more" set. The new key is the last sequence
 * returned or skipped, so it never goes backwards and never passes a sequence that may still be stored. The server
 * keeps nothing per device: the key is the device's.
 */
final class SyncStage extends ServiceStage
{
    static final int SCAN = 1;

    private final Monitor monitor;
    private final EpochClock clock;
    private final long gapTimeoutMs;
    private final int maxMessages;
    private final int maxBytes;
    private final int[] selected = new int[SyncDecodeStage.MAX_MESSAGES];
    private final SyncRule.Cursor cursor = new SyncRule.Cursor();
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(KvKeys.MAX_KEY_LENGTH);
    private final ExpandableArrayBuffer row = new ExpandableArrayBuffer(KvKeys.SEQ_LENGTH);
    private final UnsafeBuffer rowKey = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer rowValue = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SyncResponseEncoder syncResponse = new SyncResponseEncoder();

    /**
     * @param handOff      the queue to the service's I/O agent.
     * @param monitor      the service's monitor.
     * @param clock        the wall clock the rule compares rows' times with.
     * @param gapTimeoutMs after how long a gap is abandoned.
     * @param maxMessages  most messages in one answer, at most {@link SyncDecodeStage#MAX_MESSAGES}.
     * @param maxBytes     most bytes of messages in one answer (one message always fits).
     */
    SyncStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff, final Monitor monitor, final EpochClock clock,
        final long gapTimeoutMs, final int maxMessages, final int maxBytes)
    {
        super(handOff, true);
        this.monitor = monitor;
        this.clock = clock;
        this.gapTimeoutMs = gapTimeoutMs;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    protected void onOp(final ServiceOp serviceOp)
    {
        final SyncOp op = (SyncOp)serviceOp;
        if (ServiceOp.REQUEST == op.eventType)
        {
            if (ErrorCode.OK.value() != op.code)
            {
                replyCode(op, ErrorCode.get((short)op.code));
                return;
            }
            op.state = SCAN;
            KvKeys.seq(row, 0, op.syncKey);
            op.kv.scan(key, 0, KvKeys.inbox(key, op.uin), row, 0, KvKeys.SEQ_LENGTH,
                Math.min(op.maxMessages, maxMessages) + 1);
            kv(op);
            return;
        }
        if (SCAN != op.state)
        {
            throw new IllegalStateException("sync op in unknown state " + op.state);
        }
        onScanned(op);
    }

    private void onScanned(final SyncOp op)
    {
        final KvResponseDecoder response = ResultCode.OK == op.kvResult ? kvResponse(op) : null;
        if (null == response)
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        final boolean scanHasMore = response.more() == dev.tern.codecs.replication.sbe.BooleanType.TRUE;
        final int max = Math.min(op.maxMessages, maxMessages);
        final long now = clock.time();
        final KvResponseDecoder.RowsDecoder rows = response.rows();
        boolean keyFound = 0 == op.syncKey;
        cursor.reset(op.syncKey, now, gapTimeoutMs);
        long holdBackMs = 0;
        boolean cut = false;
        int count = 0;
        int bytes = 0;
        int index = -1;
        while (rows.hasNext())
        {
            rows.next().wrapRowKey(rowKey);
            rows.wrapRowValue(rowValue);
            index++;
            if (KvKeys.SEQ_LENGTH != rowKey.capacity() || !MessageRow.isValid(rowValue, rowValue.capacity()))
            {
                monitor.errorHandler().onError(new IllegalStateException("timeline of UIN " + op.uin +
                    " holds an unreadable row (" + rowKey.capacity() + "-byte key, " + rowValue.capacity() +
                    "-byte value)"));
                replyCode(op, ErrorCode.INTERNAL);
                return;
            }
            final long seq = KvKeys.readSeq(rowKey, 0);
            if (!keyFound)
            {
                if (seq != op.syncKey)
                {
                    break;
                }
                keyFound = true;
                continue;
            }
            final long hold = cursor.holdBackMs(seq, MessageRow.storedAtMs(rowValue), MessageRow.floorMs(rowValue));
            if (hold > 0)
            {
                holdBackMs = hold;
                break;
            }
            if (MessageRow.TOMBSTONE != MessageRow.kind(rowValue))
            {
                final int size = SyncResponseEncoder.MessagesEncoder.sbeBlockLength() + 6 +
                    rowValue.capacity() - MessageRow.HEADER_LENGTH;
                if (count == max || (count > 0 && bytes + size > maxBytes))
                {
                    cut = true;
                    break;
                }
                selected[count++] = index;
                bytes += size;
            }
            cursor.advance(seq);
        }
        if (!keyFound)
        {
            replyCode(op, ErrorCode.BAD_SYNC_KEY);
            return;
        }
        if (holdBackMs > 0)
        {
            monitor.add(MonitorId.SYNC_HELD_BACK, 1);
        }
        monitor.add(MonitorId.SYNC_GAPS_SKIPPED, cursor.skipped());
        monitor.add(MonitorId.SYNC_MESSAGES, count);
        encode(op, cursor.key(), cut || (0 == holdBackMs && scanHasMore), holdBackMs, count);
    }

    private void encode(final SyncOp op, final long syncKey, final boolean more, final long retryAfterMs,
        final int count)
    {
        syncResponse.wrapAndApplyHeader(op.reply, 0, headerEncoder)
            .correlationId(op.correlationId)
            .code(ErrorCode.OK)
            .syncKey(syncKey)
            .more(more ? BooleanType.TRUE : BooleanType.FALSE)
            .retryAfterMs(retryAfterMs);
        final SyncResponseEncoder.MessagesEncoder messages = syncResponse.messagesCount(count);
        final KvResponseDecoder.RowsDecoder rows = kvResponse(op).rows();
        int index = -1;
        int next = 0;
        while (next < count && rows.hasNext())
        {
            rows.next().wrapRowKey(rowKey);
            rows.wrapRowValue(rowValue);
            if (++index != selected[next])
            {
                continue;
            }
            next++;
            messages.next()
                .seq(KvKeys.readSeq(rowKey, 0))
                .kind(MessageKind.get((short)MessageRow.kind(rowValue)))
                .fromUin(MessageRow.fromUin(rowValue))
                .toUin(MessageRow.toUin(rowValue))
                .clientMessageId(MessageRow.clientMessageId(rowValue))
                .sentAtMs(MessageRow.storedAtMs(rowValue))
                .sizeBytes(MessageRow.sizeBytes(rowValue))
                .durationMs(MessageRow.durationMs(rowValue))
                .putBody(rowValue, MessageRow.bodyOffset(), MessageRow.bodyLength(rowValue))
                .putMediaRef(rowValue, MessageRow.refOffset(rowValue), MessageRow.refLength(rowValue))
                .putMediaType(rowValue, MessageRow.typeOffset(rowValue), MessageRow.typeLength(rowValue));
        }
        op.code = ErrorCode.OK.value();
        op.replyLength = MessageHeaderEncoder.ENCODED_LENGTH + syncResponse.encodedLength();
        reply(op);
    }
}
