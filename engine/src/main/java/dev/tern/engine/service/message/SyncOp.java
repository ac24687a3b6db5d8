package dev.tern.engine.service.message;

import dev.tern.engine.service.ServiceOp;

/**
 * A sync: the device's key and how many messages it takes.
 */
final class SyncOp extends ServiceOp
{
    long syncKey;
    int maxMessages;

    SyncOp(final int index)
    {
        super(index);
    }

    protected void reset()
    {
        super.reset();
        syncKey = 0;
        maxMessages = 0;
    }
}
