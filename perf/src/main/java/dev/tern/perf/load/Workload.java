package dev.tern.perf.load;

/**
 * One kind of request {@code tern load} sends, named in {@code --mix} (e.g. {@code kv-get}). Adding a workload is
 * one class implementing this interface plus its name in {@link Workloads}.
 * <p>
 * Each sender thread gets its own instance, so a workload may keep reusable buffers in fields. {@link #send} runs on
 * the sender's thread, on its hot path: it must not block and should not allocate. The request's outcome is
 * reported through the {@link Pending} it is given: pass it as the KV client's listener, or
 * {@link EngineSession#track track} it on a session; either way the sender measures its latency from
 * {@link Pending#intendedNs()}, the time the schedule meant it to be sent (coordinated omission corrected).
 */
public interface Workload
{
    /** What a workload sends through. */
    enum Kind
    {
        /** Straight to a KVSvr group with a {@link dev.tern.storage.client.KvClient}. */
        KV,
        /** Through the gateway of a running engine, on a logged-in user session. */
        SESSION
    }

    /**
     * @return the name used in {@code --mix} and in reports: lower case letters, digits and dashes.
     */
    String name();

    /**
     * @return the connection this workload needs; the load generator sets up those of every workload in the mix.
     */
    Kind kind();

    /**
     * @return true when this workload sends messages to other users: each user then needs users that have it among
     * their contacts ({@code --contacts} at least 1). False by default.
     */
    default boolean sendsToContacts()
    {
        return false;
    }

    /**
     * Prepare, once per run, before any load is sent: e.g. write every key a read will look up. Runs on the
     * controller thread while no sender runs. Does nothing by default.
     *
     * @param setup the sender connections to prepare through, and the run's settings.
     */
    default void prepare(final LoadSetup setup)
    {
    }

    /**
     * Send one request now.
     *
     * @param connections the sender's connections: its KV client and its share of the user sessions.
     * @param pending     the request's identity and schedule; complete it exactly once, through the listener or
     *                    session it is handed to.
     * @return true when the request was sent; false when the client refused it (in-flight cap, back-pressure, not
     * connected yet): the sender keeps it due and tries again on its next duty cycle.
     */
    boolean send(Connections connections, Pending pending);
}
