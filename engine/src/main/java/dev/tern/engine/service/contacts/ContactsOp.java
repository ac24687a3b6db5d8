package dev.tern.engine.service.contacts;

import dev.tern.engine.service.ServiceOp;

/**
 * A contacts request: the contact it names, or the page it asks for.
 */
final class ContactsOp extends ServiceOp
{
    long contactUin;
    long fromUin;
    int maxContacts;

    ContactsOp(final int index)
    {
        super(index);
    }

    protected void reset()
    {
        super.reset();
        contactUin = 0;
        fromUin = 0;
        maxContacts = 0;
    }
}
