package dev.tern.engine.gateway;

import dev.tern.codecs.client.sbe.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SessionTableTest
{
    private static final long TTL = TimeUnit.MINUTES.toNanos(10);
    private static final long IDLE = TimeUnit.MINUTES.toNanos(1);

    private final SessionTable table = new SessionTable(3, 2, TTL, IDLE, 100, 10);

    private Session ready(final int connectionId, final long now)
    {
        final Session session = table.open(connectionId, now);
        assertNotNull(session);
        session.state = Session.READY;
        return session;
    }

    private List<Integer> connectionsOf(final long uin)
    {
        final List<Integer> connections = new ArrayList<>();
        for (Session session = table.sessionsOf(uin); null != session; session = session.nextOfUin())
        {
            connections.add(session.connectionId());
        }
        connections.sort(null);
        return connections;
    }

    @Test
    void shouldIndexTheLoggedInSessionsOfEachUin()
    {
        final Session phone = ready(1, 0);
        final Session laptop = ready(2, 0);
        final Session other = ready(3, 0);
        assertEquals(ErrorCode.OK, table.logIn(phone, 10001, 1, 0));
        assertEquals(ErrorCode.OK, table.logIn(laptop, 10001, 2, 0));

        assertEquals(List.of(1, 2), connectionsOf(10001));
        assertEquals(List.of(), connectionsOf(10002));
        assertEquals(ErrorCode.TOO_MANY_SESSIONS, table.logIn(other, 10002, 1, 0));

        table.logOut(phone);
        assertEquals(List.of(2), connectionsOf(10001));
        assertEquals(ErrorCode.OK, table.logIn(other, 10002, 1, 0));
        assertEquals(ErrorCode.OK, table.logIn(laptop, 10002, 2, 0), "a new login of a session moves it");
        assertEquals(List.of(), connectionsOf(10001));
        assertEquals(List.of(2, 3), connectionsOf(10002));

        table.close(other);
        assertEquals(List.of(2), connectionsOf(10002));
    }

    @Test
    void shouldRefuseConnectionsBeyondTheCap()
    {
        ready(1, 0);
        ready(2, 0);
        ready(3, 0);

        assertNull(table.open(4, 0));
        assertEquals(3, table.connections());
    }

    @Test
    void shouldRefuseASecondOpenOfOneConnection()
    {
        ready(1, 0);

        assertNull(table.open(1, 0));
    }

    @Test
    void shouldRefuseLoginsBeyondMaxSessions()
    {
        final Session a = ready(1, 0);
        final Session b = ready(2, 0);
        final Session c = ready(3, 0);
        assertEquals(ErrorCode.OK, table.logIn(a, 10001, 0, 0));
        assertEquals(ErrorCode.OK, table.logIn(b, 10002, 0, 0));

        assertEquals(ErrorCode.TOO_MANY_SESSIONS, table.logIn(c, 10003, 0, 0));
        assertFalse(c.isLoggedIn());
        assertEquals(2, table.sessions());
    }

    @Test
    void shouldLetALoggedInSessionLogInAgainWithANewToken()
    {
        final Session a = ready(1, 0);
        ready(2, 0);
        table.logIn(a, 10001, 0, 0);
        final long oldHi = table.tokenHi(a);
        final long oldLo = table.tokenLo(a);
        table.logIn(table.get(2), 10002, 0, 0);

        assertEquals(ErrorCode.OK, table.logIn(a, 10001, 1, 0));
        assertTrue(oldHi != table.tokenHi(a) || oldLo != table.tokenLo(a));
        assertEquals(ErrorCode.UNAUTHENTICATED, table.authenticate(a, oldHi, oldLo, 0));
        assertEquals(2, table.sessions());
    }

    @Test
    void shouldAuthenticateOnlyTheSessionsOwnToken()
    {
        final Session a = ready(1, 0);
        final Session b = ready(2, 0);
        table.logIn(a, 10001, 0, 0);
        table.logIn(b, 10002, 0, 0);

        assertEquals(ErrorCode.OK, table.authenticate(a, table.tokenHi(a), table.tokenLo(a), 1));
        assertEquals(ErrorCode.UNAUTHENTICATED, table.authenticate(a, table.tokenHi(b), table.tokenLo(b), 1));
        assertEquals(ErrorCode.UNAUTHENTICATED, table.authenticate(a, table.tokenHi(a), table.tokenLo(a) ^ 1, 1));
        assertEquals(ErrorCode.UNAUTHENTICATED, table.authenticate(a, 0, 0, 1));
    }

    @Test
    void shouldRefuseATokenOnAConnectionThatNeverLoggedIn()
    {
        final Session a = ready(1, 0);

        assertEquals(ErrorCode.UNAUTHENTICATED, table.authenticate(a, 0, 0, 0));
    }

    @Test
    void shouldExpireATokenAfterItsTtl()
    {
        final Session a = ready(1, 0);
        table.logIn(a, 10001, 0, 1000);
        final long hi = table.tokenHi(a);
        final long lo = table.tokenLo(a);

        assertEquals(ErrorCode.OK, table.authenticate(a, hi, lo, 1000 + TTL - 1));
        assertEquals(ErrorCode.SESSION_EXPIRED, table.authenticate(a, hi, lo, 1000 + TTL));
        assertFalse(a.isLoggedIn());
        assertEquals(0, table.sessions());
        assertEquals(ErrorCode.UNAUTHENTICATED, table.authenticate(a, hi, lo, 1000 + TTL));
    }

    @Test
    void shouldLogOutExpiredSessionsInTheSweep()
    {
        final Session a = ready(1, 0);
        final Session b = ready(2, 0);
        table.logIn(a, 10001, 0, 0);
        table.logIn(b, 10002, 0, TTL / 2);

        assertEquals(1, table.expire(TTL));
        assertFalse(a.isLoggedIn());
        assertTrue(b.isLoggedIn());
    }

    @Test
    void shouldEvictIdleConnections()
    {
        final Session a = ready(1, 0);
        final Session b = ready(2, 0);
        table.logIn(a, 10001, 0, 0);
        b.lastActiveNs = IDLE;
        final List<Integer> evicted = new ArrayList<>();

        assertEquals(1, table.evict(IDLE + 1, id -> false, session -> evicted.add(session.connectionId())));
        assertEquals(List.of(1), evicted);
        assertNull(table.get(1));
        assertSame(b, table.get(2));
        assertEquals(0, table.sessions());
    }

    @Test
    void shouldEvictConnectionsThatAreGone()
    {
        ready(1, 0);
        ready(2, 0);

        assertEquals(1, table.evict(1, id -> id == 2, session -> { }));
        assertNull(table.get(2));
        assertEquals(1, table.connections());
    }

    @Test
    void shouldReuseAFreedSlotAsANewGeneration()
    {
        final Session a = ready(1, 0);
        ready(2, 0);
        ready(3, 0);
        table.logIn(a, 10001, 0, 0);
        final long generation = a.generation;
        table.close(a);

        final Session again = table.open(7, 0);

        assertSame(a, again);
        assertNotEquals(generation, again.generation);
        assertFalse(again.isLoggedIn());
        assertEquals(7, again.connectionId());
        assertEquals(0, table.sessions());
    }
}
