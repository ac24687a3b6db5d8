package dev.tern.engine.service;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Where the services keep their data in KVSvr: every key layout in one place. Keys start with a short ASCII prefix
 * naming the kind of data; UINs are 4 bytes big-endian, so table rows keyed by UIN sort in UIN order.
 * <pre>
 *   a/n/&lt;name, lower case&gt;   -&gt; the account's UIN (uint32 big-endian)        account name, bound once
 *   a/u/&lt;uin&gt;                 -&gt; the account's profile (see account.Profile)
 *   a/next-uin                -&gt; the next UIN no account service has taken (int64 big-endian)
 *   c/&lt;uin&gt;                   -&gt; Key-Table of the user's contacts: row key = contact UIN, value = added at (ms)
 *   b/&lt;uin&gt;                   -&gt; Key-Table of the users the user blocked: row key = UIN, value = blocked at (ms)
 *   i/&lt;uin&gt;                   -&gt; Key-Table: the user's timeline (inbox), received and sent messages:
 *                                row key = sequence (int64 big-endian), value = message.MessageRow
 *   m/&lt;uin&gt;&lt;client msg id&gt;    -&gt; a send's record, bound once (put-if-absent): message.SendRecord
 *   q/&lt;section&gt;               -&gt; a sequence section's ceiling, owner and lease (seq.KvCeilingStore)
 * </pre>
 */
public final class KvKeys
{
    /** Longest key any method here writes. */
    public static final int MAX_KEY_LENGTH = 64;

    private static final byte[] ACCOUNT_NAME = { 'a', '/', 'n', '/' };
    private static final byte[] PROFILE = { 'a', '/', 'u', '/' };
    private static final byte[] UIN_COUNTER = { 'a', '/', 'n', 'e', 'x', 't', '-', 'u', 'i', 'n' };
    private static final byte[] CONTACTS = { 'c', '/' };
    private static final byte[] BLOCKED = { 'b', '/' };
    private static final byte[] INBOX = { 'i', '/' };
    private static final byte[] SEND_RECORD = { 'm', '/' };
    private static final byte[] SEQ_SECTION = { 'q', '/' };
    /** Length of a timeline row key: a sequence, 8 bytes big-endian, so rows sort in sequence order. */
    public static final int SEQ_LENGTH = 8;

    private KvKeys()
    {
    }

    /**
     * @param dst    where the key is written, from offset 0.
     * @param name   the account name, already lower case.
     * @param offset of the name.
     * @param length of the name, at most 32.
     * @return the key's length.
     */
    public static int accountName(final MutableDirectBuffer dst, final DirectBuffer name, final int offset,
        final int length)
    {
        dst.putBytes(0, ACCOUNT_NAME);
        dst.putBytes(ACCOUNT_NAME.length, name, offset, length);
        return ACCOUNT_NAME.length + length;
    }

    /**
     * @return the length of the key of a UIN's profile, written in {@code dst} from offset 0.
     */
    public static int profile(final MutableDirectBuffer dst, final long uin)
    {
        dst.putBytes(0, PROFILE);
        return PROFILE.length + uin(dst, PROFILE.length, uin);
    }

    /**
     * @return the length of the key of the shared UIN counter, written in {@code dst} from offset 0.
     */
    public static int uinCounter(final MutableDirectBuffer dst)
    {
        dst.putBytes(0, UIN_COUNTER);
        return UIN_COUNTER.length;
    }

    /**
     * @return the length of the key of a user's contacts table, written in {@code dst} from offset 0.
     */
    public static int contacts(final MutableDirectBuffer dst, final long uin)
    {
        dst.putBytes(0, CONTACTS);
        return CONTACTS.length + uin(dst, CONTACTS.length, uin);
    }

    /**
     * @return the length of the key of the table of users a user blocked, written in {@code dst} from offset 0.
     */
    public static int blocked(final MutableDirectBuffer dst, final long uin)
    {
        dst.putBytes(0, BLOCKED);
        return BLOCKED.length + uin(dst, BLOCKED.length, uin);
    }

    /**
     * @return the length of the key of a user's timeline table, written in {@code dst} from offset 0.
     */
    public static int inbox(final MutableDirectBuffer dst, final long uin)
    {
        dst.putBytes(0, INBOX);
        return INBOX.length + uin(dst, INBOX.length, uin);
    }

    /**
     * @return the length of the key of a send's record (sender, client message id), written in {@code dst}.
     */
    public static int sendRecord(final MutableDirectBuffer dst, final long senderUin, final long clientMessageId)
    {
        dst.putBytes(0, SEND_RECORD);
        final int offset = SEND_RECORD.length + uin(dst, SEND_RECORD.length, senderUin);
        dst.putLong(offset, clientMessageId, ByteOrder.BIG_ENDIAN);
        return offset + 8;
    }

    /**
     * @return the length of the key of a sequence section's record, written in {@code dst} from offset 0.
     */
    public static int seqSection(final MutableDirectBuffer dst, final int section)
    {
        dst.putBytes(0, SEQ_SECTION);
        dst.putInt(SEQ_SECTION.length, section, ByteOrder.BIG_ENDIAN);
        return SEQ_SECTION.length + 4;
    }

    /**
     * Write a sequence as a timeline row key: 8 bytes big-endian.
     *
     * @return {@link #SEQ_LENGTH}.
     */
    public static int seq(final MutableDirectBuffer dst, final int offset, final long seq)
    {
        dst.putLong(offset, seq, ByteOrder.BIG_ENDIAN);
        return SEQ_LENGTH;
    }

    /**
     * @return the sequence written by {@link #seq(MutableDirectBuffer, int, long)}.
     */
    public static long readSeq(final DirectBuffer src, final int offset)
    {
        return src.getLong(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write a UIN as 4 bytes big-endian: a row key, or a value naming a user.
     *
     * @return 4.
     */
    public static int uin(final MutableDirectBuffer dst, final int offset, final long uin)
    {
        dst.putInt(offset, (int)uin, ByteOrder.BIG_ENDIAN);
        return 4;
    }

    /**
     * @return the UIN written by {@link #uin(MutableDirectBuffer, int, long)}.
     */
    public static long readUin(final DirectBuffer src, final int offset)
    {
        return src.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }
}
