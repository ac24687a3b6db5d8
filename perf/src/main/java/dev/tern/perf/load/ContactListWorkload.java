package dev.tern.perf.load;

/**
 * {@code contacts}: a session lists its user's contacts (a table scan in KVSvr through the contacts service).
 */
public final class ContactListWorkload implements Workload
{
    private static final int MAX_CONTACTS = 1000;

    public String name()
    {
        return "contacts";
    }

    public Kind kind()
    {
        return Kind.SESSION;
    }

    public boolean send(final Connections connections, final Pending pending)
    {
        final EngineSession session = connections.nextSession();
        return session.track(session.client().listContacts(0, MAX_CONTACTS), pending);
    }
}
