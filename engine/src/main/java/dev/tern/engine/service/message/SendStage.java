package dev.tern.engine.service.message;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.client.sbe.NewMessageNotificationEncoder;
import dev.tern.codecs.client.sbe.SendResponseEncoder;
import dev.tern.codecs.engine.sbe.ServicePushEncoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.engine.service.KvKeys;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.storage.ResultCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The send logic of both send services, a state machine per message driven by KV and sequence completions:
 * <ol>
 *   <li>check: the sender is in the recipient's contacts (unless strangers are allowed: then the recipient exists)
 *   and not in its block list (two reads at once);</li>
 *   <li>allocate the recipient's and the sender's next sequences (the engine's allocator);</li>
 *   <li>bind the send's record ({@code m/<sender><clientMessageId>}: the sequences, when they were allocated, the
 *   store window's end, the content's CRC) with put-if-absent;</li>
 *   <li>store the message in both timelines at once (row puts, not appends: two services write one timeline, so
 *   rows arrive out of order), no later than the store window's end;</li>
 *   <li>reply with both sequences, then notify every session of the recipient and the sender's other sessions.</li>
 * </ol>
 * A retry (same client message id) finds the record: within the store window it stores the same rows again (the
 * first attempt may still be storing: row puts of equal rows are harmless) and answers the record's sequences; after
 * it, it reads both rows: present ones are kept, missing ones (the first attempt failed, and no write of them can
 * land any more) get new sequences, recorded by compare-and-set before they are stored. The sequences a losing
 * attempt allocated are filled with tombstones so that sync does not wait for them. Another message under a used id
 * is ID_REUSED.
 * <p>
 * Test hooks (settings, off by default): a media type {@code x-test/poison} makes the stage throw; a media type
 * {@code x-test/stall} blocks the stage after allocation while the stall file exists.
 */
final class SendStage extends ServiceStage
{
    static final int CHECK = 1;
    static final int ALLOCATE = 2;
    static final int RECORD = 3;
    static final int LOST_RACE = 4;
    static final int READ_RECORD = 5;
    static final int VERIFY = 6;
    static final int REALLOCATE = 7;
    static final int UPDATE_RECORD = 8;
    static final int STORE = 9;

    static final byte[] POISON_TYPE = MessagesConfiguration.TEST_POISON_MEDIA_TYPE.getBytes(StandardCharsets.US_ASCII);
    static final byte[] STALL_TYPE = MessagesConfiguration.TEST_STALL_MEDIA_TYPE.getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RECORD_ATTEMPTS = 4;
    private static final long MAX_STALL_NS = TimeUnit.MINUTES.toNanos(5);
    private static final int ROW_MISSING = 0;
    private static final int ROW_PRESENT = 1;
    private static final int ROW_UNKNOWN = -1;
    private static final int ROW_FOREIGN = -2;

    private final Monitor monitor;
    private final int sentId;
    private final int retriesId;
    private final int seqFailuresId;
    private final EpochClock clock;
    private final boolean allowStrangers;
    private final long storeWindowMs;
    private final boolean testHooks;
    private final File stallFile;
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(KvKeys.MAX_KEY_LENGTH);
    private final ExpandableArrayBuffer row = new ExpandableArrayBuffer(KvKeys.SEQ_LENGTH);
    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(MessageRow.HEADER_LENGTH + SendOp.MAX_BODY +
        SendOp.MAX_REF + SendOp.MAX_TYPE);
    private final ExpandableArrayBuffer notification = new ExpandableArrayBuffer(64);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SendResponseEncoder sendResponse = new SendResponseEncoder();
    private final NewMessageNotificationEncoder notificationEncoder = new NewMessageNotificationEncoder();

    /**
     * @param handOff        the queue to the service's I/O agent.
     * @param monitor        the service's monitor.
     * @param sentId         counts messages stored.
     * @param retriesId      counts sends answered from an earlier attempt's record.
     * @param seqFailuresId  counts failed allocations.
     * @param clock          the wall clock: store windows, row times.
     * @param allowStrangers true: anyone may message anyone (not blocked); false: only the recipient's contacts.
     * @param storeWindowMs  how long after its allocation a sequence's rows may still be written.
     * @param testHooks      true: the poison and stall media types act (tests only).
     * @param stallFile      the stall hook blocks while this file exists; null: no stall.
     */
    SendStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff, final Monitor monitor, final int sentId,
        final int retriesId, final int seqFailuresId, final EpochClock clock, final boolean allowStrangers,
        final long storeWindowMs, final boolean testHooks, final File stallFile)
    {
        super(handOff, true);
        this.monitor = monitor;
        this.sentId = sentId;
        this.retriesId = retriesId;
        this.seqFailuresId = seqFailuresId;
        this.clock = clock;
        this.allowStrangers = allowStrangers;
        this.storeWindowMs = storeWindowMs;
        this.testHooks = testHooks;
        this.stallFile = stallFile;
    }

    protected void onOp(final ServiceOp serviceOp)
    {
        final SendOp op = (SendOp)serviceOp;
        if (ServiceOp.REQUEST == op.eventType)
        {
            if (ErrorCode.OK.value() != op.code)
            {
                replyCode(op, ErrorCode.get((short)op.code));
                return;
            }
            if (testHooks && typeIs(op, POISON_TYPE))
            {
                throw new IllegalStateException("test hook: poison request " + op.correlationId);
            }
            check(op);
            return;
        }

        switch (op.state)
        {
            case CHECK:
                onChecked(op);
                break;
            case ALLOCATE:
                onAllocated(op);
                break;
            case RECORD:
                onRecordBound(op);
                break;
            case LOST_RACE:
            case READ_RECORD:
                onRecordRead(op);
                break;
            case VERIFY:
                onVerified(op);
                break;
            case REALLOCATE:
                onReallocated(op);
                break;
            case UPDATE_RECORD:
                onRecordUpdated(op);
                break;
            case STORE:
                onStored(op);
                break;
            default:
                throw new IllegalStateException("send op in unknown state " + op.state);
        }
    }

    // ---- check, allocate, record

    private void check(final SendOp op)
    {
        op.state = CHECK;
        if (allowStrangers)
        {
            op.kv(0).get(key, 0, KvKeys.profile(key, op.toUin));
        }
        else
        {
            KvKeys.uin(row, 0, op.uin);
            op.kv(0).rowGet(key, 0, KvKeys.contacts(key, op.toUin), row, 0, 4);
        }
        KvKeys.uin(row, 0, op.uin);
        op.kv(1).rowGet(key, 0, KvKeys.blocked(key, op.toUin), row, 0, 4);
        kvAll(op, 2);
    }

    private void onChecked(final SendOp op)
    {
        final int allowed = op.kvResults[0];
        final int blocked = op.kvResults[1];
        if ((ResultCode.OK != allowed && ResultCode.NOT_FOUND != allowed) ||
            (ResultCode.OK != blocked && ResultCode.NOT_FOUND != blocked))
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
        }
        else if (ResultCode.OK == blocked)
        {
            replyCode(op, ErrorCode.BLOCKED);
        }
        else if (ResultCode.NOT_FOUND == allowed)
        {
            replyCode(op, allowStrangers ? ErrorCode.NOT_FOUND : ErrorCode.NOT_CONTACT);
        }
        else
        {
            op.state = ALLOCATE;
            op.seq.users(op.toUin, op.uin);
            allocateSeq(op);
        }
    }

    private void onAllocated(final SendOp op)
    {
        if (!op.seq.isOk())
        {
            monitor.add(seqFailuresId, 1);
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        op.recipientSeq = op.seq.firstSeq;
        op.recipientFloorMs = op.seq.firstFloorMs;
        op.senderSeq = op.seq.secondSeq;
        op.senderFloorMs = op.seq.secondFloorMs;
        stamp(op);
        if (testHooks && null != stallFile && typeIs(op, STALL_TYPE))
        {
            stall();
        }
        op.state = RECORD;
        final int length = SendRecord.encode(value, op);
        op.kv.putIfAbsent(key, 0, KvKeys.sendRecord(key, op.uin, op.clientMessageId), value, 0, length);
        kv(op);
    }

    /**
     * The times of freshly allocated sequences: the rows' stored time is when the allocation answered (no earlier
     * than the allocation), the store window runs from when it was asked (no later than the allocation).
     */
    private void stamp(final SendOp op)
    {
        op.storedAtMs = op.seq.answeredAtMs;
        op.deadlineMs = op.seq.requestedAtMs + storeWindowMs;
    }

    private void onRecordBound(final SendOp op)
    {
        if (ResultCode.OK == op.kvResult)
        {
            store(op, true, true);
        }
        else if (ResultCode.ALREADY_EXISTS == op.kvResult)
        {
            loseRace(op);
        }
        else
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
        }
    }

    /**
     * An earlier attempt bound the record: read it, and fill the sequences this attempt allocated with tombstones.
     */
    private void loseRace(final SendOp op)
    {
        op.state = LOST_RACE;
        op.kv(0).get(key, 0, KvKeys.sendRecord(key, op.uin, op.clientMessageId));
        final long now = clock.time();
        KvKeys.seq(row, 0, op.recipientSeq);
        int length = MessageRow.encodeTombstone(value, now, op.recipientFloorMs);
        op.kv(1).rowPut(key, 0, KvKeys.inbox(key, op.toUin), row, 0, KvKeys.SEQ_LENGTH, value, 0, length);
        KvKeys.seq(row, 0, op.senderSeq);
        length = MessageRow.encodeTombstone(value, now, op.senderFloorMs);
        op.kv(2).rowPut(key, 0, KvKeys.inbox(key, op.uin), row, 0, KvKeys.SEQ_LENGTH, value, 0, length);
        kvAll(op, 3);
    }

    private void readRecord(final SendOp op)
    {
        op.state = READ_RECORD;
        op.kv.get(key, 0, KvKeys.sendRecord(key, op.uin, op.clientMessageId));
        kv(op);
    }

    private void onRecordRead(final SendOp op)
    {
        if (ResultCode.OK != op.kvResults[0])
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        final int length = kvValue(op, 0, valueView);
        if (!SendRecord.isValid(valueView, length))
        {
            monitor.errorHandler().onError(new IllegalStateException("send record of UIN " + op.uin +
                ", client message id " + op.clientMessageId + " is unreadable (" + length + " bytes)"));
            replyCode(op, ErrorCode.INTERNAL);
            return;
        }
        if (!SendRecord.isFor(valueView, op))
        {
            replyCode(op, ErrorCode.ID_REUSED);
            return;
        }
        op.retry = true;
        op.recordVersion = op.kvVersions[0];
        SendRecord.load(valueView, op);
        if (clock.time() < op.deadlineMs)
        {
            store(op, true, true);
        }
        else
        {
            verify(op);
        }
    }

    // ---- a retry after the store window: which rows exist?

    private void verify(final SendOp op)
    {
        op.state = VERIFY;
        KvKeys.seq(row, 0, op.recipientSeq);
        op.kv(0).rowGet(key, 0, KvKeys.inbox(key, op.toUin), row, 0, KvKeys.SEQ_LENGTH);
        KvKeys.seq(row, 0, op.senderSeq);
        op.kv(1).rowGet(key, 0, KvKeys.inbox(key, op.uin), row, 0, KvKeys.SEQ_LENGTH);
        kvAll(op, 2);
    }

    private void onVerified(final SendOp op)
    {
        final int recipientRow = rowState(op, 0);
        final int senderRow = rowState(op, 1);
        if (ROW_FOREIGN == recipientRow || ROW_FOREIGN == senderRow)
        {
            monitor.errorHandler().onError(new IllegalStateException("the record of UIN " + op.uin +
                ", client message id " + op.clientMessageId + " names a sequence holding another message"));
            replyCode(op, ErrorCode.INTERNAL);
        }
        else if (ROW_UNKNOWN == recipientRow || ROW_UNKNOWN == senderRow)
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
        }
        else if (ROW_PRESENT == recipientRow && ROW_PRESENT == senderRow)
        {
            monitor.add(retriesId, 1);
            replySent(op);
        }
        else
        {
            op.storeRecipient = ROW_MISSING == recipientRow;
            op.storeSender = ROW_MISSING == senderRow;
            op.state = REALLOCATE;
            op.seq.users(op.storeRecipient ? op.toUin : op.uin, op.storeRecipient && op.storeSender ? op.uin : 0);
            allocateSeq(op);
        }
    }

    private int rowState(final SendOp op, final int index)
    {
        final int result = op.kvResults[index];
        if (ResultCode.NOT_FOUND == result)
        {
            return ROW_MISSING;
        }
        final KvResponseDecoder response = ResultCode.OK == result ? kvResponse(op, index) : null;
        if (null == response)
        {
            return ROW_UNKNOWN;
        }
        final KvResponseDecoder.RowsDecoder rows = response.rows();
        if (!rows.hasNext())
        {
            return ROW_MISSING;
        }
        rows.next().skipRowKey();
        rows.wrapRowValue(valueView);
        final int length = valueView.capacity();
        return MessageRow.isValid(valueView, length) && MessageRow.TOMBSTONE != MessageRow.kind(valueView) &&
            MessageRow.fromUin(valueView) == op.uin && MessageRow.clientMessageId(valueView) == op.clientMessageId ?
            ROW_PRESENT : ROW_FOREIGN;
    }

    private void onReallocated(final SendOp op)
    {
        if (!op.seq.isOk())
        {
            monitor.add(seqFailuresId, 1);
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        if (op.storeRecipient)
        {
            op.recipientSeq = op.seq.firstSeq;
            op.recipientFloorMs = op.seq.firstFloorMs;
            if (op.storeSender)
            {
                op.senderSeq = op.seq.secondSeq;
                op.senderFloorMs = op.seq.secondFloorMs;
            }
        }
        else
        {
            op.senderSeq = op.seq.firstSeq;
            op.senderFloorMs = op.seq.firstFloorMs;
        }
        stamp(op);
        op.state = UPDATE_RECORD;
        final int length = SendRecord.encode(value, op);
        op.kv.putIfVersion(key, 0, KvKeys.sendRecord(key, op.uin, op.clientMessageId), op.recordVersion, value, 0,
            length);
        kv(op);
    }

    private void onRecordUpdated(final SendOp op)
    {
        if (ResultCode.OK == op.kvResult)
        {
            store(op, op.storeRecipient, op.storeSender);
        }
        else if (ResultCode.VERSION_MISMATCH == op.kvResult && ++op.attempts < MAX_RECORD_ATTEMPTS)
        {
            // another retry of the same message got there first: follow its record
            readRecord(op);
        }
        else
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
        }
    }

    // ---- store, reply, notify

    private void store(final SendOp op, final boolean recipient, final boolean sender)
    {
        if (clock.time() >= op.deadlineMs)
        {
            // too late to write these sequences: sync may skip them now; a retry allocates new ones
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        op.state = STORE;
        int count = 0;
        if (recipient)
        {
            KvKeys.seq(row, 0, op.recipientSeq);
            final int length = MessageRow.encode(value, op, op.uin, op.storedAtMs, op.recipientFloorMs);
            op.kv(count).rowPut(key, 0, KvKeys.inbox(key, op.toUin), row, 0, KvKeys.SEQ_LENGTH, value, 0, length);
            op.kv(count++).notAfter(op.deadlineMs);
        }
        if (sender)
        {
            KvKeys.seq(row, 0, op.senderSeq);
            final int length = MessageRow.encode(value, op, op.uin, op.storedAtMs, op.senderFloorMs);
            op.kv(count).rowPut(key, 0, KvKeys.inbox(key, op.uin), row, 0, KvKeys.SEQ_LENGTH, value, 0, length);
            op.kv(count++).notAfter(op.deadlineMs);
        }
        kvAll(op, count);
    }

    private void onStored(final SendOp op)
    {
        for (int i = 0; i < op.kvCount(); i++)
        {
            if (ResultCode.OK != op.kvResults[i])
            {
                replyCode(op, ErrorCode.UNAVAILABLE);
                return;
            }
        }
        monitor.add(op.retry ? retriesId : sentId, 1);
        replySent(op);
    }

    private void replySent(final SendOp op)
    {
        op.code = ErrorCode.OK.value();
        sendResponse.wrapAndApplyHeader(op.reply, 0, headerEncoder)
            .correlationId(op.correlationId)
            .code(ErrorCode.OK)
            .requestTemplateId(op.templateId)
            .recipientSeq(op.recipientSeq)
            .senderSeq(op.senderSeq);
        op.replyLength = MessageHeaderEncoder.ENCODED_LENGTH + sendResponse.encodedLength();
        push(op, op.toUin, ServicePushEncoder.excludeConnectionIdNullValue(), notification,
            notify(op.recipientSeq, op));
        push(op, op.uin, op.connectionId, notification, notify(op.senderSeq, op));
        reply(op);
    }

    private int notify(final long seq, final SendOp op)
    {
        notificationEncoder.wrapAndApplyHeader(notification, 0, headerEncoder)
            .seq(seq)
            .fromUin(op.uin)
            .kind(MessageKind.get((short)op.kind));
        return MessageHeaderEncoder.ENCODED_LENGTH + notificationEncoder.encodedLength();
    }

    // ---- test hooks

    private static boolean typeIs(final SendOp op, final byte[] type)
    {
        if (op.typeLength != type.length)
        {
            return false;
        }
        for (int i = 0; i < type.length; i++)
        {
            if (op.type[i] != type[i])
            {
                return false;
            }
        }
        return true;
    }

    private void stall()
    {
        final long deadline = System.nanoTime() + MAX_STALL_NS;
        while (stallFile.exists() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
