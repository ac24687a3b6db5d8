package dev.tern.transport.client;

import dev.tern.codecs.client.sbe.ContactListResponseDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageKind;
import dev.tern.codecs.client.sbe.SyncResponseDecoder;

/**
 * Receives the gateway's responses on the thread that polls the {@link TernClient}. Every request the client sent
 * gets exactly one callback: its response, or {@link ErrorCode#TIMEOUT} when none came in time. Default methods do
 * nothing, so a listener implements what it uses.
 */
public interface TernClientListener
{
    /**
     * The gateway bound this connection (ClientHello), or refused it; also the answer to a keep-alive.
     *
     * @param correlationId the hello's correlation id.
     * @param code          OK, or why not.
     */
    default void onHello(final long correlationId, final ErrorCode code)
    {
    }

    /**
     * A request that returns nothing but its outcome (Logout, ContactAdd, ContactRemove, ContactBlock, ContactUnblock),
     * or any request the
     * gateway refused before it reached a service.
     *
     * @param correlationId     the request's correlation id.
     * @param requestTemplateId the template of the request answered.
     * @param code              the outcome.
     */
    default void onResponse(final long correlationId, final int requestTemplateId, final ErrorCode code)
    {
    }

    /**
     * @param correlationId the request's correlation id.
     * @param code          OK, NAME_TAKEN, BAD_REQUEST, ...
     * @param uin           OK: the new account's UIN.
     */
    default void onRegistered(final long correlationId, final ErrorCode code, final long uin)
    {
    }

    /**
     * @param correlationId the request's correlation id.
     * @param code          OK (the client now carries the session token), BAD_CREDENTIALS, ...
     * @param uin           OK: the account's UIN.
     * @param expiresInMs   OK: how long the session lasts.
     */
    default void onLoggedIn(final long correlationId, final ErrorCode code, final long uin, final long expiresInMs)
    {
    }

    /**
     * @param correlationId the request's correlation id.
     * @param code          the outcome.
     * @param response      OK: the page of contacts, valid only during the call; null on TIMEOUT.
     */
    default void onContacts(final long correlationId, final ErrorCode code, final ContactListResponseDecoder response)
    {
    }

    /**
     * The outcome of a send (text, voice, image, video). Every retry of one client message id gets the same
     * sequences.
     *
     * @param correlationId the request's correlation id.
     * @param code          OK, NOT_CONTACT, BLOCKED, ID_REUSED, UNAVAILABLE (retry with the same id), ...
     * @param recipientSeq  OK: the message's sequence in the recipient's timeline.
     * @param senderSeq     OK: its sequence in the sender's own timeline.
     */
    default void onSent(final long correlationId, final ErrorCode code, final long recipientSeq,
        final long senderSeq)
    {
    }

    /**
     * A batch of this account's timeline.
     *
     * @param correlationId the request's correlation id.
     * @param code          OK, BAD_SYNC_KEY, ...
     * @param response      OK: the messages (in sequence order), the new sync key, whether more can be had now and
     *                      when to sync again; valid only during the call; null unless OK.
     */
    default void onSynced(final long correlationId, final ErrorCode code, final SyncResponseDecoder response)
    {
    }

    /**
     * Pushed by the gateway: a message entered this account's timeline (sent to it, or sent by another of its
     * devices). Best effort: sync to get it, and sync now and then anyway.
     *
     * @param seq     the message's sequence in this account's timeline.
     * @param fromUin its sender.
     * @param kind    what it carries.
     */
    default void onNewMessage(final long seq, final long fromUin, final MessageKind kind)
    {
    }
}
