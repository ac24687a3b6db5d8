package dev.tern.codecs.monitor;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

/**
 * Stamps a monitor file's heartbeat so that readers can tell a live writer from a hung one.
 */
final class MonitorHeartbeatAgent implements Agent
{
    private final Monitor monitor;
    private final EpochClock clock;
    private final String roleName;

    MonitorHeartbeatAgent(final Monitor monitor, final EpochClock clock, final String name)
    {
        this.monitor = monitor;
        this.clock = clock;
        this.roleName = "tern-monitor-heartbeat-" + name;
    }

    public int doWork()
    {
        monitor.heartbeat(clock.time());
        return 0;
    }

    public String roleName()
    {
        return roleName;
    }
}
