package dev.tern.perf.load;

import dev.tern.codecs.client.sbe.ContactListResponseDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.SyncResponseDecoder;
import dev.tern.transport.client.TernClient;
import dev.tern.transport.client.TernClientListener;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated device of one user: its own {@link TernClient} connection to the gateway and its own session, as a
 * real phone would have. Workloads send on {@link #client()} and {@link #track} the request; every response the
 * client delivers completes the tracked {@link Pending} with its code. Before the load, the set-up steps (register,
 * login, add contacts) run through {@link #setUp}. For the message workloads it keeps the users it may send to (those
 * that added it as a contact), a source of fresh client message ids, and its device's sync key.
 * <p>
 * Used by one thread at a time: the controller during set-up, then its sender.
 */
public final class EngineSession implements TernClientListener, AutoCloseable
{
    private final String name;
    private final String password;
    private final long deviceId;
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    // a random base per device: ids stay unique per account across devices, senders and runs without coordination;
    // below 2^62 so the counter never wraps
    private final long clientMessageIdBase = ThreadLocalRandom.current().nextLong(1L << 62);
    private long clientMessageIds;
    private long[] recipients = new long[0];
    private int nextRecipient;
    private long syncKey;
    private TernClient client;
    private long uin;
    private long setUpCorrelationId;
    private ErrorCode setUpCode;

    /**
     * @param name     the user's account name.
     * @param password the account's password.
     * @param deviceId this device.
     */
    public EngineSession(final String name, final String password, final long deviceId)
    {
        this.name = name;
        this.password = password;
        this.deviceId = deviceId;
    }

    /**
     * @param client the connected client whose listener is this session; owned from now on.
     * @return this.
     */
    public EngineSession client(final TernClient client)
    {
        this.client = client;
        return this;
    }

    /** @return the session's client. */
    public TernClient client()
    {
        return client;
    }

    /** @return the user's account name. */
    public String name()
    {
        return name;
    }

    /** @return the account's password. */
    public String password()
    {
        return password;
    }

    /** @return this device's id. */
    public long deviceId()
    {
        return deviceId;
    }

    /** @return the user's UIN once registered or logged in, else 0. */
    public long uin()
    {
        return uin;
    }

    /**
     * @param recipients the UINs of the users that have this user among their contacts, so accept its messages.
     * @return this.
     */
    public EngineSession recipients(final long[] recipients)
    {
        this.recipients = recipients.clone();
        nextRecipient = 0;
        return this;
    }

    /**
     * @return the next user this session may send to, in turn.
     * @throws IllegalStateException when no user has this one among its contacts.
     */
    public long nextRecipient()
    {
        if (0 == recipients.length)
        {
            throw new IllegalStateException(name + " is in no user's contacts: nobody takes its messages");
        }
        final long recipient = recipients[nextRecipient];
        nextRecipient = nextRecipient + 1 == recipients.length ? 0 : nextRecipient + 1;
        return recipient;
    }

    /** @return a client message id this session has not used: every send is a new message, never a retry. */
    public long nextClientMessageId()
    {
        return clientMessageIdBase + ++clientMessageIds;
    }

    /** @return the sync key of this device: the highest any sync answered so far, 0 before the first. */
    public long syncKey()
    {
        return syncKey;
    }

    /**
     * Remember a request sent on this session's client, so its response completes {@code request}.
     *
     * @param correlationId what the client returned for the request: its correlation id when it was sent, else a
     *                      negative refusal ({@link TernClient#NOT_SENT}, {@link TernClient#TOO_MANY_IN_FLIGHT}).
     * @param request       the load's request.
     * @return true when the request was sent (and is now tracked), false when the client refused it: what
     * {@link Workload#send} returns.
     */
    public boolean track(final long correlationId, final Pending request)
    {
        if (correlationId < 0)
        {
            return false;
        }
        pending.put(correlationId, request);
        return true;
    }

    /**
     * Start a set-up request: its outcome is read with {@link #setUpCode()} after polling.
     *
     * @param correlationId the id the client returned, or a negative refusal (then the step is still to do).
     * @return true when the request was sent.
     */
    boolean setUp(final long correlationId)
    {
        setUpCode = null;
        if (correlationId > 0)
        {
            setUpCorrelationId = correlationId;
            return true;
        }
        return false;
    }

    /** @return the outcome of the last set-up request, or null while it is unanswered. */
    ErrorCode setUpCode()
    {
        return setUpCode;
    }

    private void completed(final long correlationId, final ErrorCode code)
    {
        if (correlationId == setUpCorrelationId)
        {
            setUpCorrelationId = 0;
            setUpCode = code;
            return;
        }
        final Pending request = pending.remove(correlationId);
        if (null != request)
        {
            request.complete(ErrorCode.OK == code ? null : code.name());
        }
    }

    public void onResponse(final long correlationId, final int requestTemplateId, final ErrorCode code)
    {
        completed(correlationId, code);
    }

    public void onRegistered(final long correlationId, final ErrorCode code, final long uin)
    {
        if (ErrorCode.OK == code)
        {
            this.uin = uin;
        }
        completed(correlationId, code);
    }

    public void onLoggedIn(final long correlationId, final ErrorCode code, final long uin, final long expiresInMs)
    {
        if (ErrorCode.OK == code)
        {
            this.uin = uin;
        }
        completed(correlationId, code);
    }

    public void onContacts(final long correlationId, final ErrorCode code, final ContactListResponseDecoder response)
    {
        completed(correlationId, code);
    }

    public void onSent(final long correlationId, final ErrorCode code, final long recipientSeq,
        final long senderSeq)
    {
        completed(correlationId, code);
    }

    public void onSynced(final long correlationId, final ErrorCode code, final SyncResponseDecoder response)
    {
        // syncs of one device may be in flight together: the key only moves forward
        if (ErrorCode.OK == code && null != response)
        {
            syncKey = Math.max(syncKey, response.syncKey());
        }
        completed(correlationId, code);
    }

    public void close()
    {
        if (null != client)
        {
            client.close();
        }
    }
}
