package dev.tern.engine.service.contacts;

import dev.tern.codecs.client.sbe.BooleanType;
import dev.tern.codecs.client.sbe.ContactAddDecoder;
import dev.tern.codecs.client.sbe.ContactBlockDecoder;
import dev.tern.codecs.client.sbe.ContactListDecoder;
import dev.tern.codecs.client.sbe.ContactListResponseEncoder;
import dev.tern.codecs.client.sbe.ContactRemoveDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
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

import java.nio.ByteOrder;

/**
 * The contacts logic: each user's contacts are one Key-Table ({@code c/<uin>}), a row per contact keyed by the
 * contact's UIN big-endian, so a scan lists them in UIN order. Add checks that the contact exists; add and remove
 * are idempotent on the table (adding twice keeps one row); remove of a non-contact answers NOT_FOUND. The users a
 * user blocked are another Key-Table ({@code b/<uin>}), read by the send services; unblocking a user who is not
 * blocked answers NOT_FOUND.
 */
final class ContactsStage extends ServiceStage
{
    static final int ADD_CHECK_USER = 1;
    static final int ADD_PUT_ROW = 2;
    static final int REMOVE_ROW = 3;
    static final int LIST_SCAN = 4;
    static final int BLOCK_PUT_ROW = 5;
    static final int UNBLOCK_ROW = 6;

    private final Monitor monitor;
    private final EpochClock clock;
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(KvKeys.MAX_KEY_LENGTH);
    private final ExpandableArrayBuffer row = new ExpandableArrayBuffer(8);
    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(8);
    private final UnsafeBuffer rowKey = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ContactListResponseEncoder listResponse = new ContactListResponseEncoder();

    ContactsStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff, final Monitor monitor,
        final EpochClock clock)
    {
        super(handOff, true);
        this.monitor = monitor;
        this.clock = clock;
    }

    protected void onOp(final ServiceOp serviceOp)
    {
        final ContactsOp op = (ContactsOp)serviceOp;
        if (ServiceOp.REQUEST == op.eventType)
        {
            if (ErrorCode.OK.value() != op.code)
            {
                replyCode(op, ErrorCode.get((short)op.code));
            }
            else
            {
                start(op);
            }
            return;
        }

        switch (op.state)
        {
            case ADD_CHECK_USER:
                onUserChecked(op);
                break;
            case ADD_PUT_ROW:
            case BLOCK_PUT_ROW:
                replyCode(op, ResultCode.OK == op.kvResult ? ErrorCode.OK : ErrorCode.UNAVAILABLE);
                break;
            case REMOVE_ROW:
            case UNBLOCK_ROW:
                replyCode(op, ResultCode.OK == op.kvResult ? ErrorCode.OK :
                    ResultCode.NOT_FOUND == op.kvResult ? ErrorCode.NOT_FOUND : ErrorCode.UNAVAILABLE);
                break;
            case LIST_SCAN:
                onScanned(op);
                break;
            default:
                throw new IllegalStateException("contacts op in unknown state " + op.state);
        }
    }

    private void start(final ContactsOp op)
    {
        switch (op.templateId)
        {
            case ContactAddDecoder.TEMPLATE_ID:
                op.state = ADD_CHECK_USER;
                op.kv.get(key, 0, KvKeys.profile(key, op.contactUin));
                break;

            case ContactListDecoder.TEMPLATE_ID:
                op.state = LIST_SCAN;
                KvKeys.uin(row, 0, op.fromUin);
                op.kv.scan(key, 0, KvKeys.contacts(key, op.uin), row, 0, 4, op.maxContacts);
                break;

            case ContactRemoveDecoder.TEMPLATE_ID:
                op.state = REMOVE_ROW;
                KvKeys.uin(row, 0, op.contactUin);
                op.kv.rowDelete(key, 0, KvKeys.contacts(key, op.uin), row, 0, 4);
                break;

            case ContactBlockDecoder.TEMPLATE_ID:
                op.state = BLOCK_PUT_ROW;
                KvKeys.uin(row, 0, op.contactUin);
                value.putLong(0, clock.time(), ByteOrder.BIG_ENDIAN);
                op.kv.rowPut(key, 0, KvKeys.blocked(key, op.uin), row, 0, 4, value, 0, 8);
                break;

            default:
                op.state = UNBLOCK_ROW;
                KvKeys.uin(row, 0, op.contactUin);
                op.kv.rowDelete(key, 0, KvKeys.blocked(key, op.uin), row, 0, 4);
                break;
        }
        kv(op);
    }

    private void onUserChecked(final ContactsOp op)
    {
        if (ResultCode.NOT_FOUND == op.kvResult)
        {
            replyCode(op, ErrorCode.NOT_FOUND);
            return;
        }
        if (ResultCode.OK != op.kvResult)
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        op.state = ADD_PUT_ROW;
        KvKeys.uin(row, 0, op.contactUin);
        value.putLong(0, clock.time(), ByteOrder.BIG_ENDIAN);
        op.kv.rowPut(key, 0, KvKeys.contacts(key, op.uin), row, 0, 4, value, 0, 8);
        kv(op);
    }

    private void onScanned(final ContactsOp op)
    {
        final KvResponseDecoder response = ResultCode.OK == op.kvResult ? kvResponse(op) : null;
        if (null == response)
        {
            replyCode(op, ErrorCode.UNAVAILABLE);
            return;
        }
        final boolean more = response.more() == dev.tern.codecs.replication.sbe.BooleanType.TRUE;
        final KvResponseDecoder.RowsDecoder rows = response.rows();
        listResponse.wrapAndApplyHeader(op.reply, 0, headerEncoder)
            .correlationId(op.correlationId)
            .code(ErrorCode.OK)
            .more(more ? BooleanType.TRUE : BooleanType.FALSE)
            .nextFromUin(0);
        final ContactListResponseEncoder.ContactsEncoder contacts = listResponse.contactsCount(rows.count());
        long last = 0;
        while (rows.hasNext())
        {
            rows.next().wrapRowKey(rowKey);
            rows.skipRowValue();
            if (rowKey.capacity() != 4)
            {
                monitor.errorHandler().onError(new IllegalStateException("contacts table of UIN " + op.uin +
                    " holds a row key of " + rowKey.capacity() + " bytes"));
                replyCode(op, ErrorCode.INTERNAL);
                return;
            }
            last = KvKeys.readUin(rowKey, 0);
            contacts.next().contactUin(last);
        }
        if (more)
        {
            // known only after the rows, which follow the root block: patched in place
            op.reply.putInt(MessageHeaderEncoder.ENCODED_LENGTH + ContactListResponseEncoder.nextFromUinEncodingOffset(),
                (int)(last + 1), ByteOrder.LITTLE_ENDIAN);
        }
        op.code = ErrorCode.OK.value();
        op.replyLength = MessageHeaderEncoder.ENCODED_LENGTH + listResponse.encodedLength();
        reply(op);
    }
}
