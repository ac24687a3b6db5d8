package dev.tern.perf.load;

/**
 * One sender's part of a step of the load: send at {@code ratePerSecond} from {@code startNs}, measure the requests
 * due in {@code [measureStartNs, endNs)}, stop sending at {@code endNs}, and wait for answers until
 * {@code drainDeadlineNs}. Times are of the sender's clock. Immutable; handed from the controller to the sender.
 *
 * @param step            the step's number, from 1.
 * @param ratePerSecond   this sender's share of the rate.
 * @param startNs         when the first request is due (a later sender's first may be due after measureStartNs: its
 *                        schedule is offset so that the senders interleave).
 * @param measureStartNs  requests due from here on are measured (the time before is warm-up).
 * @param endNs           no request due from here on is sent.
 * @param drainDeadlineNs requests unanswered by then are reported as NO_RESPONSE.
 */
public record StepPlan(int step, double ratePerSecond, long startNs, long measureStartNs, long endNs,
    long drainDeadlineNs)
{
    /**
     * @throws IllegalArgumentException when the times are out of order or the rate is not positive.
     */
    public StepPlan
    {
        if (!(ratePerSecond > 0) || endNs - startNs <= 0 || endNs - measureStartNs <= 0 ||
            drainDeadlineNs - endNs < 0)
        {
            throw new IllegalArgumentException("step " + step + ": rate " + ratePerSecond +
                " must be > 0 and start < end, measureStart < end <= drainDeadline");
        }
    }
}
