package dev.tern.transport.client;

import dev.tern.codecs.client.sbe.ContactAddDecoder;
import dev.tern.codecs.client.sbe.MessageHeaderDecoder;

/**
 * Facts of the client protocol ({@code codecs/src/main/resources/sbe/client-schema.xml}, schema id 4) that both
 * ends rely on: the versions served, and the common prefix of every request's root block, which the gateway reads
 * before any template-specific decoding.
 * <pre>
 *   frame:  | message header (8) | root block (blockLength) | var data ... |
 *
 *   root block of every request:
 *    0                   8                                 24           28
 *   +-------------------+---------------------------------+------------+----------------
 *   |   correlationId   |  token (hi, lo): session only   | uin: sess. | template fields
 *   |   int64           |  int64, int64                   | uint32     |
 *   +-------------------+---------------------------------+------------+----------------
 * </pre>
 * Requests that need a session ({@code Logout}, contacts, messages) have all of it; {@code ClientHello},
 * {@code Register} and {@code Login} only the correlation id.
 */
public final class ClientProtocol
{
    /** The client schema's id. */
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    /** The version this build speaks. */
    public static final int CURRENT_VERSION = MessageHeaderDecoder.SCHEMA_VERSION;
    /** The oldest version a gateway of this build serves. */
    public static final int MIN_SUPPORTED_VERSION = 1;
    /** The first version with messages (send, sync, notifications) and block lists: older frames of them are refused. */
    public static final int MESSAGES_VERSION = 3;
    /** Length of the message header in front of every root block. */
    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    /** Offset of the correlation id in every request's root block. */
    public static final int CORRELATION_ID_OFFSET = 0;
    /** Offset of the token's high 64 bits in the root block of a request that needs a session. */
    public static final int TOKEN_HI_OFFSET = ContactAddDecoder.tokenEncodingOffset();
    /** Offset of the token's low 64 bits. */
    public static final int TOKEN_LO_OFFSET = TOKEN_HI_OFFSET + 8;
    /** Offset of the uin the request acts as (0 or the session's own). */
    public static final int UIN_OFFSET = ContactAddDecoder.uinEncodingOffset();
    /** Smallest root block of any request. */
    public static final int MIN_BLOCK_LENGTH = 8;
    /** Smallest root block of a request that needs a session. */
    public static final int SESSION_BLOCK_LENGTH = UIN_OFFSET + 4;

    /** Largest UIN: UINs are unsigned 32-bit; 0 is nobody and 0xFFFFFFFF is SBE's null value. */
    public static final long MAX_UIN = 0xFFFF_FFFEL;
    /** Most contacts in one ContactList page. */
    public static final int MAX_CONTACTS_PAGE = 1000;

    private ClientProtocol()
    {
    }
}
