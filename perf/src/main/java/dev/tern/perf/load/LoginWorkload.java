package dev.tern.perf.load;

/**
 * {@code login}: a session logs in again with its account's password (a password hash and a KV read in the
 * account service).
 */
public final class LoginWorkload implements Workload
{
    public String name()
    {
        return "login";
    }

    public Kind kind()
    {
        return Kind.SESSION;
    }

    public boolean send(final Connections connections, final Pending pending)
    {
        final EngineSession session = connections.nextSession();
        return session.track(session.client().login(session.name(), session.password(), session.deviceId()), pending);
    }
}
