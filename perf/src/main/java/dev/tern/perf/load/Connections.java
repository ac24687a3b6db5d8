package dev.tern.perf.load;

import org.agrona.CloseHelper;

import java.util.List;

/**
 * What one sender sends through: its own KV client (when the mix has KV workloads) and its share of the simulated
 * users' sessions (when it has engine workloads). Owned by the sender's thread once the load starts; before that
 * the controller thread may use it to set up and prepare.
 */
public final class Connections implements AutoCloseable
{
    private final KvConnection kv;
    private final EngineSession[] sessions;
    private int nextSession;

    /**
     * @param kv       the KV connection, or null when no workload needs one.
     * @param sessions the sessions this sender owns, possibly none.
     */
    public Connections(final KvConnection kv, final List<EngineSession> sessions)
    {
        this.kv = kv;
        this.sessions = sessions.toArray(new EngineSession[0]);
    }

    /**
     * @return the KV connection.
     * @throws IllegalStateException when the run has no KV workload.
     */
    public KvConnection kv()
    {
        if (null == kv)
        {
            throw new IllegalStateException("no KV connection: the mix has no KV workload");
        }
        return kv;
    }

    /**
     * @return the next session in turn: requests spread evenly over the simulated users and devices.
     * @throws IllegalStateException when the run has no engine workload.
     */
    public EngineSession nextSession()
    {
        if (0 == sessions.length)
        {
            throw new IllegalStateException("no sessions: the mix has no engine workload");
        }
        final EngineSession session = sessions[nextSession];
        nextSession = nextSession + 1 == sessions.length ? 0 : nextSession + 1;
        return session;
    }

    /**
     * Deliver responses of every client: called in the sender's duty cycle.
     *
     * @return the work done.
     */
    public int poll()
    {
        int work = null == kv ? 0 : kv.client().poll();
        for (final EngineSession session : sessions)
        {
            work += session.client().poll();
        }
        return work;
    }

    public void close()
    {
        CloseHelper.quietClose(kv);
        CloseHelper.quietCloseAll(sessions);
    }
}
