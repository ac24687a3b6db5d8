package dev.tern.perf.load;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The measured outcome of one step of the load at one offered rate: per workload and all together, and how well
 * the generator kept its own schedule.
 *
 * @param label            names the step in reports, e.g. {@code 10000/s} or {@code ramp 3}.
 * @param offeredPerSecond the rate the schedule offered.
 * @param durationSeconds  length of the measured window.
 * @param ops              one result per workload, in mix order.
 * @param all              every workload together.
 * @param sendLag          how late measured requests left after their intended time, ns.
 * @param refused          times a client refused a due request (in-flight cap or back-pressure; retried).
 * @param unsent           requests due in the measured window that were never sent.
 * @param senders          the number of sender threads.
 */
public record StepResult(String label, double offeredPerSecond, double durationSeconds, List<OpResult> ops,
    OpResult all, Histogram sendLag, long refused, long unsent, int senders)
{
    /** A send lag p99 above this means the generator did not keep its schedule. */
    public static final long LAG_WARNING_NS = 1_000_000;

    /**
     * @return true when requests left more than {@link #LAG_WARNING_NS} late at the 99th percentile, or some due
     * requests never left: the measured latencies then include the generator's own delay.
     */
    public boolean generatorBehind()
    {
        return sendLag.getValueAtPercentile(99) > LAG_WARNING_NS || unsent > 0;
    }

    /**
     * @return a sentence on the generator's own timing, and why it fell behind when it did.
     */
    public String generatorNote()
    {
        final String lag = String.format("send lag p99 %s, max %s; %d refusals by the clients; %d unsent; %d sender%s",
            SummaryTable.formatNs(sendLag.getValueAtPercentile(99)), SummaryTable.formatNs(sendLag.getMaxValue()),
            refused, unsent, senders, senders == 1 ? "" : "s");
        if (!generatorBehind())
        {
            return "generator on schedule: " + lag;
        }
        if (refused > 0)
        {
            return "generator behind its schedule because the clients refused requests (their in-flight cap or " +
                "back-pressure: the system under test is saturated): " + lag;
        }
        return "generator behind its schedule (its own threads ran late: too few --senders, or no CPU to spare " +
            "beside the system under test; measured latencies include that delay): " + lag;
    }
}
