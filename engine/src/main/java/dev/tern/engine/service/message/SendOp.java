package dev.tern.engine.service.message;

import dev.tern.engine.service.ServiceOp;

/**
 * A send in a send service: the decoded message, then the sequences it gets and the rows it still has to store.
 */
final class SendOp extends ServiceOp
{
    /** Longest text or voice clip, bytes. */
    static final int MAX_BODY = 4000;
    /** Longest thumbnail, bytes. */
    static final int MAX_THUMBNAIL = 2000;
    /** Longest media reference, bytes. */
    static final int MAX_REF = 512;
    /** Longest media type, bytes. */
    static final int MAX_TYPE = 64;

    int kind;
    long toUin;
    long clientMessageId;
    long durationMs;
    long sizeBytes;
    final byte[] body = new byte[MAX_BODY];
    int bodyLength;
    final byte[] ref = new byte[MAX_REF];
    int refLength;
    final byte[] type = new byte[MAX_TYPE];
    int typeLength;
    int contentCrc;

    long recipientSeq;
    long senderSeq;
    long recipientFloorMs;
    long senderFloorMs;
    long storedAtMs;
    long deadlineMs;
    long recordVersion;
    boolean storeRecipient;
    boolean storeSender;
    boolean retry;
    int attempts;

    SendOp(final int index)
    {
        super(index);
    }

    protected void reset()
    {
        super.reset();
        kind = 0;
        toUin = 0;
        clientMessageId = 0;
        durationMs = 0;
        sizeBytes = 0;
        bodyLength = 0;
        refLength = 0;
        typeLength = 0;
        contentCrc = 0;
        recipientSeq = 0;
        senderSeq = 0;
        recipientFloorMs = 0;
        senderFloorMs = 0;
        storedAtMs = 0;
        deadlineMs = 0;
        recordVersion = 0;
        storeRecipient = false;
        storeSender = false;
        retry = false;
        attempts = 0;
    }
}
