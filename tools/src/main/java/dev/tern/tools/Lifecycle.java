package dev.tern.tools;

import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * How the long-running commands (kv-node, agent, monitor) wait: until SIGINT or SIGTERM, or, for the children that
 * {@code tern demo} starts, until their parent process is gone (so that killing the demo never leaves orphans).
 */
public final class Lifecycle
{
    private Lifecycle()
    {
    }

    /**
     * A barrier that {@link ShutdownSignalBarrier#await()}s a stop signal. The JVM does not exit on the signal until
     * the barrier is closed, so close it after the component: {@code try (barrier; component) { barrier.await(); }}.
     *
     * @param exitWithParent also signal when the parent process exits.
     * @return the barrier.
     */
    public static ShutdownSignalBarrier barrier(final boolean exitWithParent)
    {
        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
        if (exitWithParent)
        {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(barrier::signal));
        }
        return barrier;
    }
}
