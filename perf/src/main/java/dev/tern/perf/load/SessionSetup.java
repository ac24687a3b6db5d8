package dev.tern.perf.load;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.client.TernClient;
import io.aeron.Aeron;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntToLongFunction;

/**
 * Creates the simulated users and devices of an engine load: one {@link TernClient} connection per device, fresh
 * accounts registered for this run, every device logged in with its own device id, each user given contacts (user u
 * adds users u+1..u+k), and each session told the users it may send to (u-1..u-k: those that added it).
 * Runs on the controller thread before the senders start; every step is pipelined over all sessions.
 */
public final class SessionSetup
{
    private static final String PASSWORD = "tern-load-password";

    private SessionSetup()
    {
    }

    /**
     * @param aeron        the load's Aeron client.
     * @param gateway      the gateway's host:port.
     * @param users        simulated users.
     * @param devices      devices (sessions) per user.
     * @param contacts     contacts per user (the next users in turn).
     * @param maxInFlight  each client's cap on requests in flight.
     * @param timeoutNs    each request's timeout.
     * @param out          where progress goes.
     * @return every session, logged in; user u's device d at index {@code u * devices + d}.
     * @throws IllegalStateException when the gateway refuses a step or does not answer.
     */
    public static List<EngineSession> connect(final Aeron aeron, final String gateway, final int users,
        final int devices, final int contacts, final int maxInFlight, final long timeoutNs, final PrintStream out)
    {
        final long startNs = System.nanoTime();
        final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT);
        final List<EngineSession> sessions = new ArrayList<>();
        try
        {
            for (int u = 0; u < users; u++)
            {
                for (int d = 0; d < devices; d++)
                {
                    final EngineSession session = new EngineSession("ld" + run + "u" + u, PASSWORD, d);
                    sessions.add(session);
                    session.client(TernClient.connect(new TernClient.Context()
                        .aeron(aeron)
                        .gatewayEndpoint(gateway)
                        .maxInFlight(maxInFlight)
                        .requestTimeoutNs(timeoutNs)
                        .listener(session)));
                }
            }
            awaitConnected(sessions, timeoutNs);
            final List<EngineSession> firstDevices = new ArrayList<>();
            for (int u = 0; u < users; u++)
            {
                firstDevices.add(sessions.get(u * devices));
            }
            round(firstDevices, u -> firstDevices.get(u).client().register(firstDevices.get(u).name(), PASSWORD),
                "register", timeoutNs);
            round(sessions, i -> sessions.get(i).client().login(sessions.get(i).name(), PASSWORD,
                sessions.get(i).deviceId()), "login", timeoutNs);
            final int added = contactsEach(users, contacts);
            for (int c = 1; c <= added; c++)
            {
                final int offset = c;
                round(firstDevices, u -> firstDevices.get(u).client().addContact(
                    firstDevices.get(contact(u, offset, users)).uin()), "add contact", timeoutNs);
            }
            for (int i = 0; i < sessions.size(); i++)
            {
                final int[] accepting = recipients(i / devices, users, contacts);
                final long[] uins = new long[accepting.length];
                for (int r = 0; r < accepting.length; r++)
                {
                    uins[r] = firstDevices.get(accepting[r]).uin();
                }
                sessions.get(i).recipients(uins);
            }
        }
        catch (final RuntimeException ex)
        {
            sessions.forEach(EngineSession::close);
            throw ex;
        }
        out.printf("%d users x %d devices registered and logged in at %s (accounts ld%su0..), %d contacts each, " +
            "in %.1f s%n", users, devices, gateway, run, contactsEach(users, contacts),
            (System.nanoTime() - startNs) / 1e9);
        return sessions;
    }

    /**
     * @param users    simulated users.
     * @param contacts contacts per user asked for.
     * @return the contacts each user gets: no more than the other users.
     */
    static int contactsEach(final int users, final int contacts)
    {
        return Math.max(0, Math.min(contacts, users - 1));
    }

    /**
     * @param user  a user's index.
     * @param c     which of its contacts, 1 to {@link #contactsEach}.
     * @param users simulated users.
     * @return the index of the user that {@code user} adds as its {@code c}-th contact: the next users in turn.
     */
    static int contact(final int user, final int c, final int users)
    {
        return (user + c) % users;
    }

    /**
     * The users a user may send to: a recipient must have the sender among its contacts (the send services answer
     * NOT_CONTACT otherwise), and user u is the c-th contact of user u - c.
     *
     * @param user     the sender's index.
     * @param users    simulated users.
     * @param contacts contacts per user asked for.
     * @return the indexes of the users that added {@code user}, nearest first; empty when users have no contacts.
     */
    static int[] recipients(final int user, final int users, final int contacts)
    {
        final int[] recipients = new int[contactsEach(users, contacts)];
        for (int c = 1; c <= recipients.length; c++)
        {
            recipients[c - 1] = Math.floorMod(user - c, users);
        }
        return recipients;
    }

    private static void awaitConnected(final List<EngineSession> sessions, final long timeoutNs)
    {
        final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
        final long deadlineNs = System.nanoTime() + timeoutNs;
        int connected = 0;
        while (connected < sessions.size())
        {
            connected = 0;
            int work = 0;
            for (final EngineSession session : sessions)
            {
                work += session.client().poll();
                connected += session.client().isConnected() ? 1 : 0;
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the gateway answered " + connected + " of " + sessions.size() +
                    " connections in time: is `tern run` serving at that address?");
            }
            idle.idle(work);
        }
    }

    private static void round(final List<EngineSession> sessions, final IntToLongFunction request,
        final String what, final long timeoutNs)
    {
        final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
        final boolean[] sent = new boolean[sessions.size()];
        final long deadlineNs = System.nanoTime() + timeoutNs * 2;
        int answered = 0;
        while (answered < sessions.size())
        {
            answered = 0;
            int work = 0;
            for (int i = 0; i < sessions.size(); i++)
            {
                final EngineSession session = sessions.get(i);
                if (!sent[i])
                {
                    sent[i] = session.setUp(request.applyAsLong(i));
                }
                work += session.client().poll();
                final ErrorCode code = sent[i] ? session.setUpCode() : null;
                if (null != code)
                {
                    if (ErrorCode.OK != code)
                    {
                        throw new IllegalStateException(what + " of " + session.name() + " device " +
                            session.deviceId() + " failed: " + code);
                    }
                    answered++;
                }
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(what + ": " + answered + " of " + sessions.size() +
                    " answered in time");
            }
            idle.idle(work);
        }
    }
}
