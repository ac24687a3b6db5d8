package dev.tern.tools.monitor.center;

/**
 * Receives each complete report the center takes in, on the center's thread: for embedding and measurement.
 * Implementations must not block.
 */
@FunctionalInterface
public interface ReportListener
{
    /**
     * @param machine      the reporting machine.
     * @param sampleTimeMs the report's sample time, ms since epoch.
     * @param receivedMs   when its last part arrived, ms since epoch.
     */
    void onReport(String machine, long sampleTimeMs, long receivedMs);
}
