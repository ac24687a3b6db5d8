package dev.tern.transport.client;

import dev.tern.codecs.client.sbe.BooleanType;
import dev.tern.codecs.client.sbe.ContactListResponseDecoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.IdleStrategies;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple blocking facade over {@link TernClient} for scripts, tools and tests: each call sends one request and
 * polls until its response (or the client's request timeout). Allocates; not for hot paths. Not thread-safe.
 */
public final class TernBlockingClient implements AutoCloseable
{
    /**
     * The outcome of a request that returns nothing else.
     *
     * @param code the outcome.
     */
    public record Result(ErrorCode code)
    {
        public boolean isOk()
        {
            return ErrorCode.OK == code;
        }
    }

    /**
     * @param code OK, NAME_TAKEN, ...
     * @param uin  OK: the new account's UIN.
     */
    public record Registered(ErrorCode code, long uin)
    {
    }

    /**
     * @param code        OK, BAD_CREDENTIALS, ...
     * @param uin         OK: the account's UIN.
     * @param expiresInMs OK: how long the session lasts.
     */
    public record LoggedIn(ErrorCode code, long uin, long expiresInMs)
    {
    }

    /**
     * @param code        the outcome.
     * @param uins        the page of contacts, in UIN order.
     * @param more        contacts remain after this page.
     * @param nextFromUin more: where the next page starts.
     */
    public record Contacts(ErrorCode code, List<Long> uins, boolean more, long nextFromUin)
    {
    }

    private final TernClient client;
    private final IdleStrategy idle = IdleStrategies.of("backoff");
    private long awaited;
    private Object outcome;

    private final TernClientListener listener = new TernClientListener()
    {
        public void onResponse(final long correlationId, final int requestTemplateId, final ErrorCode code)
        {
            complete(correlationId, new Result(code));
        }

        public void onRegistered(final long correlationId, final ErrorCode code, final long uin)
        {
            complete(correlationId, new Registered(code, uin));
        }

        public void onLoggedIn(final long correlationId, final ErrorCode code, final long uin, final long expiresInMs)
        {
            complete(correlationId, new LoggedIn(code, uin, expiresInMs));
        }

        public void onContacts(final long correlationId, final ErrorCode code,
            final ContactListResponseDecoder response)
        {
            final List<Long> uins = new ArrayList<>();
            boolean more = false;
            long next = 0;
            if (null != response)
            {
                more = response.more() == BooleanType.TRUE;
                next = response.nextFromUin();
                for (final ContactListResponseDecoder.ContactsDecoder contact : response.contacts())
                {
                    uins.add(contact.contactUin());
                }
            }
            complete(correlationId, new Contacts(code, List.copyOf(uins), more, next));
        }
    };

    private TernBlockingClient(final TernClient.Context ctx)
    {
        client = TernClient.connect(ctx.listener(listener));
    }

    /**
     * Connect and wait until the gateway acknowledges this connection.
     *
     * @param ctx     the client's settings; its listener is replaced by this facade's.
     * @param timeout how long to wait for the gateway.
     * @return the connected client.
     * @throws IllegalStateException when the gateway did not answer in time.
     */
    public static TernBlockingClient connect(final TernClient.Context ctx, final Duration timeout)
    {
        final TernBlockingClient blocking = new TernBlockingClient(ctx);
        try
        {
            blocking.awaitConnected(timeout);
            return blocking;
        }
        catch (final RuntimeException ex)
        {
            blocking.close();
            throw ex;
        }
    }

    /** @return the asynchronous client underneath, e.g. for {@link TernClient#uin()}. */
    public TernClient client()
    {
        return client;
    }

    /**
     * Poll until the gateway acknowledges this connection.
     *
     * @param timeout how long to wait.
     * @throws IllegalStateException when it did not in time.
     */
    public void awaitConnected(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!client.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the gateway did not answer ClientHello within " + timeout);
            }
            idle.idle(client.poll());
        }
        idle.reset();
    }

    /**
     * Create an account.
     *
     * @param name     3-32 letters and digits.
     * @param password 8-128 bytes of UTF-8.
     * @return OK with the new UIN, or NAME_TAKEN, BAD_REQUEST, ...
     */
    public Registered register(final String name, final String password)
    {
        return await(client.register(name, password), Registered.class);
    }

    /**
     * Log in as device 0; on OK this client carries the session token in every later request.
     *
     * @return OK with the UIN and the session's lifetime, or BAD_CREDENTIALS, ...
     */
    public LoggedIn login(final String name, final String password)
    {
        return login(name, password, 0);
    }

    /**
     * Log in as a device; on OK this client carries the session token in every later request.
     *
     * @return OK with the UIN and the session's lifetime, or BAD_CREDENTIALS, ...
     */
    public LoggedIn login(final String name, final String password, final long deviceId)
    {
        return await(client.login(name, password, deviceId), LoggedIn.class);
    }

    /** @return OK when the session ended. */
    public Result logout()
    {
        return await(client.logout(), Result.class);
    }

    /** @return OK, NOT_FOUND when no such user, BAD_REQUEST for yourself, ... */
    public Result addContact(final long contactUin)
    {
        return await(client.addContact(contactUin), Result.class);
    }

    /** @return OK, or NOT_FOUND when the user was not a contact. */
    public Result removeContact(final long contactUin)
    {
        return await(client.removeContact(contactUin), Result.class);
    }

    /**
     * @param fromUin     the first UIN of the page (inclusive).
     * @param maxContacts most contacts in the page, 1-1000.
     * @return a page of contacts in UIN order.
     */
    public Contacts listContacts(final long fromUin, final int maxContacts)
    {
        return await(client.listContacts(fromUin, maxContacts), Contacts.class);
    }

    /**
     * Every contact, page by page.
     *
     * @return the contacts, or the first page's failure.
     */
    public Contacts listAllContacts()
    {
        final List<Long> all = new ArrayList<>();
        long from = 0;
        while (true)
        {
            final Contacts page = listContacts(from, ClientProtocol.MAX_CONTACTS_PAGE);
            if (ErrorCode.OK != page.code())
            {
                return page;
            }
            all.addAll(page.uins());
            if (!page.more())
            {
                return new Contacts(ErrorCode.OK, List.copyOf(all), false, 0);
            }
            from = page.nextFromUin();
        }
    }

    /**
     * Send a frame built by the caller and wait for its response (see {@link TernClient#sendRaw}).
     *
     * @return the response: a {@link Result}, {@link Registered}, {@link LoggedIn} or {@link Contacts} by the
     * frame's template.
     */
    public Object sendRaw(final DirectBuffer buffer, final int offset, final int length, final long correlationId)
    {
        return await(client.sendRaw(buffer, offset, length, correlationId), Object.class);
    }

    private <T> T await(final long correlationId, final Class<T> type)
    {
        if (correlationId < 0)
        {
            throw new IllegalStateException(correlationId == TernClient.TOO_MANY_IN_FLIGHT ?
                "too many requests in flight" : "the gateway is not reachable (request not sent)");
        }
        awaited = correlationId;
        outcome = null;
        while (null == outcome)
        {
            idle.idle(client.poll());
        }
        idle.reset();
        return type.cast(outcome);
    }

    private void complete(final long correlationId, final Object result)
    {
        if (correlationId == awaited)
        {
            outcome = result;
        }
    }

    public void close()
    {
        client.close();
    }
}
