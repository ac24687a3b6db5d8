package dev.tern.engine.service;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.monitor.MonitorId;

/**
 * The monitor IDs a service reports under (declared in {@link MonitorId}): requests, errors, latency, in flight,
 * KV operations, and one counter per rejection code at {@code rejectBase + code}.
 *
 * @param requests     requests taken in.
 * @param errors       unexpected errors in the pipeline.
 * @param latencyMaxUs largest request time over the last second, us.
 * @param inFlight     ops in use.
 * @param kvOps        KV operations submitted.
 * @param kvFailures   KV operations whose outcome is unknown (timeout, no majority, busy).
 * @param replyDropped replies the gateway's publication refused.
 * @param rejectBase   the ID of rejection code 0; code {@code c} is counted under {@code rejectBase + c}.
 * @param declared     every ID above that the registry declares, for {@code Monitor.declare}.
 */
public record ServiceMonitorIds(int requests, int errors, int latencyMaxUs, int inFlight, int kvOps, int kvFailures,
    int replyDropped, int rejectBase, MonitorId... declared)
{
    /**
     * @param code a rejection.
     * @return the ID counting it.
     */
    public int reject(final ErrorCode code)
    {
        return rejectBase + code.value();
    }

    /**
     * @param code a rejection's value.
     * @return the ID counting it.
     */
    public int reject(final int code)
    {
        return rejectBase + code;
    }
}
