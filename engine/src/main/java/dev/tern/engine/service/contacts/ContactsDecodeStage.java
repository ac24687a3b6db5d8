package dev.tern.engine.service.contacts;

import dev.tern.codecs.client.sbe.ContactAddDecoder;
import dev.tern.codecs.client.sbe.ContactBlockDecoder;
import dev.tern.codecs.client.sbe.ContactListDecoder;
import dev.tern.codecs.client.sbe.ContactRemoveDecoder;
import dev.tern.codecs.client.sbe.ContactUnblockDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes ContactAdd, ContactRemove, ContactList, ContactBlock and ContactUnblock on a view of exactly the request
 * frame and checks their fields.
 * The owner of the contacts is always the session's UIN, never a UIN of the payload.
 */
final class ContactsDecodeStage extends ServiceStage
{
    private final ContactAddDecoder addDecoder = new ContactAddDecoder();
    private final ContactRemoveDecoder removeDecoder = new ContactRemoveDecoder();
    private final ContactListDecoder listDecoder = new ContactListDecoder();
    private final ContactBlockDecoder blockDecoder = new ContactBlockDecoder();
    private final ContactUnblockDecoder unblockDecoder = new ContactUnblockDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    ContactsDecodeStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
    {
        super(handOff, false);
    }

    protected void onOp(final ServiceOp op)
    {
        if (ServiceOp.REQUEST == op.eventType)
        {
            op.code = decode((ContactsOp)op).value();
        }
    }

    /**
     * @param op an op holding a request frame.
     * @return OK with the op's fields set, or why the request is refused. Never throws.
     */
    ErrorCode decode(final ContactsOp op)
    {
        if (op.uin < 1 || op.uin > ClientProtocol.MAX_UIN)
        {
            return ErrorCode.UNAUTHENTICATED;
        }
        try
        {
            switch (op.templateId)
            {
                case ContactAddDecoder.TEMPLATE_ID:
                    if (!blockFits(op, ContactAddDecoder.BLOCK_LENGTH))
                    {
                        return ErrorCode.BAD_REQUEST;
                    }
                    addDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
                    op.contactUin = addDecoder.contactUin();
                    return checkContact(op, addDecoder.limit());

                case ContactRemoveDecoder.TEMPLATE_ID:
                    if (!blockFits(op, ContactRemoveDecoder.BLOCK_LENGTH))
                    {
                        return ErrorCode.BAD_REQUEST;
                    }
                    removeDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength,
                        op.version);
                    op.contactUin = removeDecoder.contactUin();
                    return checkContact(op, removeDecoder.limit());

                case ContactListDecoder.TEMPLATE_ID:
                    if (!blockFits(op, ContactListDecoder.BLOCK_LENGTH))
                    {
                        return ErrorCode.BAD_REQUEST;
                    }
                    listDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
                    op.fromUin = listDecoder.fromUin();
                    op.maxContacts = listDecoder.maxContacts();
                    return op.fromUin <= ClientProtocol.MAX_UIN && op.maxContacts >= 1 &&
                        op.maxContacts <= ClientProtocol.MAX_CONTACTS_PAGE && listDecoder.limit() == op.requestLength ?
                        ErrorCode.OK : ErrorCode.BAD_REQUEST;

                case ContactBlockDecoder.TEMPLATE_ID:
                    if (op.version < ClientProtocol.MESSAGES_VERSION ||
                        !blockFits(op, ContactBlockDecoder.BLOCK_LENGTH))
                    {
                        return ErrorCode.BAD_REQUEST;
                    }
                    blockDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
                    op.contactUin = blockDecoder.contactUin();
                    return checkContact(op, blockDecoder.limit());

                case ContactUnblockDecoder.TEMPLATE_ID:
                    if (op.version < ClientProtocol.MESSAGES_VERSION ||
                        !blockFits(op, ContactUnblockDecoder.BLOCK_LENGTH))
                    {
                        return ErrorCode.BAD_REQUEST;
                    }
                    unblockDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength,
                        op.version);
                    op.contactUin = unblockDecoder.contactUin();
                    return checkContact(op, unblockDecoder.limit());

                default:
                    return ErrorCode.UNKNOWN_REQUEST;
            }
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            return ErrorCode.BAD_REQUEST;
        }
    }

    private static ErrorCode checkContact(final ContactsOp op, final int limit)
    {
        return op.contactUin >= 1 && op.contactUin <= ClientProtocol.MAX_UIN && op.contactUin != op.uin &&
            limit == op.requestLength ? ErrorCode.OK : ErrorCode.BAD_REQUEST;
    }
}
