package dev.tern.perf.load;

/**
 * {@code sync}: a session syncs its device's timeline from the device's current sync key, at most 100 messages (a
 * timeline scan in KVSvr through the sync service); the key moves on with each answer, so a sync returns what
 * arrived since the last one.
 */
public final class SyncWorkload implements Workload
{
    /** Most messages one sync returns. */
    static final int MAX_MESSAGES = 100;

    public String name()
    {
        return "sync";
    }

    public Kind kind()
    {
        return Kind.SESSION;
    }

    public boolean send(final Connections connections, final Pending pending)
    {
        final EngineSession session = connections.nextSession();
        return session.track(session.client().sync(session.syncKey(), MAX_MESSAGES), pending);
    }
}
