package dev.tern.engine.gateway;

import dev.tern.codecs.client.sbe.ErrorCode;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The gateway's bounded table of client connections and their sessions. A connection is opened by ClientHello
 * (at most {@code maxConnections}); a login binds it to a UIN with a random 128-bit token and an expiry (at most
 * {@code maxSessions} logged in at once, else TOO_MANY_SESSIONS). Every later request must carry that token on that
 * same connection. Idle or vanished connections are evicted; expired sessions are logged out. The logged-in sessions
 * of each UIN (a user's devices) are indexed, so a notification reaches all of them.
 * <p>
 * Time is passed in by the caller (one clock read per duty cycle), so tests drive it. Allocation-free after
 * construction; gateway thread only.
 */
public final class SessionTable
{
    private final Session[] sessions;
    private final Int2ObjectHashMap<Session> byConnection;
    private final Long2ObjectHashMap<Session> byUin;
    private final ArrayDeque<Session> free;
    private final int maxSessions;
    private final long sessionTtlNs;
    private final long idleTimeoutNs;
    private final SecureRandom random = new SecureRandom();
    private int loggedIn;

    /**
     * @param maxConnections connections held at once.
     * @param maxSessions    logged-in sessions held at once.
     * @param sessionTtlNs   how long a login's token stays valid.
     * @param idleTimeoutNs  a connection silent this long is evicted.
     * @param ratePerSecond  each connection's sustained request rate.
     * @param rateBurst      each connection's burst.
     */
    public SessionTable(final int maxConnections, final int maxSessions, final long sessionTtlNs,
        final long idleTimeoutNs, final long ratePerSecond, final long rateBurst)
    {
        this.maxSessions = maxSessions;
        this.sessionTtlNs = sessionTtlNs;
        this.idleTimeoutNs = idleTimeoutNs;
        sessions = new Session[maxConnections];
        byConnection = new Int2ObjectHashMap<>(maxConnections * 2, 0.65f);
        byUin = new Long2ObjectHashMap<>(maxSessions * 2, 0.65f);
        free = new ArrayDeque<>(maxConnections);
        for (int i = 0; i < maxConnections; i++)
        {
            sessions[i] = new Session(new TokenBucket(ratePerSecond, rateBurst));
            free.addLast(sessions[i]);
        }
    }

    /**
     * @return the connection's session, or null when the connection never said hello or was evicted.
     */
    public Session get(final int connectionId)
    {
        return byConnection.get(connectionId);
    }

    /**
     * Open a connection in state {@link Session#PENDING}, its rate limit full.
     *
     * @return the session, or null when the table holds {@code maxConnections} or the connection is open already.
     */
    public Session open(final int connectionId, final long nowNs)
    {
        if (byConnection.containsKey(connectionId))
        {
            return null;
        }
        final Session session = free.pollFirst();
        if (null == session)
        {
            return null;
        }
        session.state = Session.PENDING;
        session.connectionId = connectionId;
        session.generation++;
        session.lastActiveNs = nowNs;
        session.inFlight = 0;
        session.rateLimit.reset(nowNs);
        byConnection.put(connectionId, session);
        return session;
    }

    /**
     * @return true when the session may log in: it is logged in already (a new login replaces the old), or the
     * table has room for another logged-in session.
     */
    public boolean canLogIn(final Session session)
    {
        return session.isLoggedIn() || loggedIn < maxSessions;
    }

    /**
     * Bind a connection to a UIN: a new random token, valid for the session TTL from now.
     *
     * @return OK, or TOO_MANY_SESSIONS.
     */
    public ErrorCode logIn(final Session session, final long uin, final long deviceId, final long nowNs)
    {
        if (!canLogIn(session))
        {
            return ErrorCode.TOO_MANY_SESSIONS;
        }
        if (!session.isLoggedIn())
        {
            loggedIn++;
        }
        else
        {
            unlink(session);
        }
        long hi;
        long lo;
        do
        {
            hi = random.nextLong();
            lo = random.nextLong();
        }
        while (0 == (hi | lo));
        session.uin = uin;
        session.deviceId = deviceId;
        link(session);
        session.tokenHi = hi;
        session.tokenLo = lo;
        session.expiresAtNs = nowNs + sessionTtlNs;
        return ErrorCode.OK;
    }

    /**
     * Check a request's token against its connection's session.
     *
     * @return OK; UNAUTHENTICATED when the connection is not logged in or the token is not its token;
     * SESSION_EXPIRED when the token expired (the session is logged out).
     */
    public ErrorCode authenticate(final Session session, final long tokenHi, final long tokenLo, final long nowNs)
    {
        if (!session.isLoggedIn())
        {
            return ErrorCode.UNAUTHENTICATED;
        }
        // compare without an early exit, so timing does not reveal how much of a guessed token was right
        if (0 != ((session.tokenHi ^ tokenHi) | (session.tokenLo ^ tokenLo)))
        {
            return ErrorCode.UNAUTHENTICATED;
        }
        if (nowNs - session.expiresAtNs >= 0)
        {
            logOut(session);
            return ErrorCode.SESSION_EXPIRED;
        }
        return ErrorCode.OK;
    }

    /** End a session: the connection stays open, its token is forgotten. */
    public void logOut(final Session session)
    {
        if (session.isLoggedIn())
        {
            loggedIn--;
            unlink(session);
        }
        session.uin = 0;
        session.deviceId = 0;
        session.tokenHi = 0;
        session.tokenLo = 0;
        session.expiresAtNs = 0;
    }

    /** Close a connection: its session ends and the slot is free for another. */
    public void close(final Session session)
    {
        if (Session.FREE == session.state)
        {
            return;
        }
        logOut(session);
        byConnection.remove(session.connectionId);
        session.state = Session.FREE;
        session.generation++;
        session.publication = null;
        session.publicationRegistrationId = 0;
        session.responseChannel = null;
        session.inFlight = 0;
        free.addLast(session);
    }

    /**
     * Close every connection that is gone or has been idle longer than the idle timeout.
     *
     * @param nowNs   the time.
     * @param gone    tells which connection ids no longer exist.
     * @param onEvict called with each session before it is closed, to release its publication.
     * @return the number evicted.
     */
    public int evict(final long nowNs, final IntPredicate gone, final Consumer<Session> onEvict)
    {
        int evicted = 0;
        for (final Session session : sessions)
        {
            if (Session.FREE != session.state &&
                (nowNs - session.lastActiveNs > idleTimeoutNs || gone.test(session.connectionId)))
            {
                onEvict.accept(session);
                close(session);
                evicted++;
            }
        }
        return evicted;
    }

    /**
     * Log out every session whose token has expired.
     *
     * @return the number logged out.
     */
    public int expire(final long nowNs)
    {
        int expired = 0;
        for (final Session session : sessions)
        {
            if (Session.FREE != session.state && session.isLoggedIn() && nowNs - session.expiresAtNs >= 0)
            {
                logOut(session);
                expired++;
            }
        }
        return expired;
    }

    /**
     * @param uin a user.
     * @return the first of the user's logged-in sessions (follow {@link Session#nextOfUin()}), or null.
     */
    public Session sessionsOf(final long uin)
    {
        return byUin.get(uin);
    }

    private void link(final Session session)
    {
        final Session head = byUin.get(session.uin);
        session.previousOfUin = null;
        session.nextOfUin = head;
        if (null != head)
        {
            head.previousOfUin = session;
        }
        byUin.put(session.uin, session);
    }

    private void unlink(final Session session)
    {
        final Session previous = session.previousOfUin;
        final Session next = session.nextOfUin;
        if (null != next)
        {
            next.previousOfUin = previous;
        }
        if (null != previous)
        {
            previous.nextOfUin = next;
        }
        else if (null != next)
        {
            byUin.put(session.uin, next);
        }
        else
        {
            byUin.remove(session.uin);
        }
        session.previousOfUin = null;
        session.nextOfUin = null;
    }

    /** @return connections held. */
    public int connections()
    {
        return byConnection.size();
    }

    /** @return logged-in sessions held. */
    public int sessions()
    {
        return loggedIn;
    }

    /**
     * @param session a session.
     * @return the token's high 64 bits, for the login response.
     */
    public long tokenHi(final Session session)
    {
        return session.tokenHi;
    }

    /**
     * @param session a session.
     * @return the token's low 64 bits, for the login response.
     */
    public long tokenLo(final Session session)
    {
        return session.tokenLo;
    }

    /** @return how long a token stays valid, ns. */
    public long sessionTtlNs()
    {
        return sessionTtlNs;
    }
}
