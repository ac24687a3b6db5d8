package dev.tern.storage.replication.check;

/**
 * One client operation of a recorded history: what was asked, what came back, and when (simulated or real
 * nanoseconds). An operation whose outcome is unknown (timed out, client crashed) has {@code output == null} and
 * is treated as returning at the end of time: it may have taken effect at any point after its call, or never.
 *
 * @param client  the client that issued it (operations of one client never overlap).
 * @param key     the object the operation acts on; histories are checked per key.
 * @param input   the request, interpreted by the model.
 * @param output  the response, or null when unknown.
 * @param callNs  when the request was issued.
 * @param returnNs when the response arrived; ignored when the output is unknown.
 */
public record Operation(int client, String key, Object input, Object output, long callNs, long returnNs)
{
    public boolean isUnknown()
    {
        return null == output;
    }

    public long effectiveReturnNs()
    {
        return isUnknown() ? Long.MAX_VALUE : returnNs;
    }

    @Override
    public String toString()
    {
        return "c" + client + " " + key + " " + input + " -> " + (isUnknown() ? "?" : output) +
            " [" + callNs + ", " + (isUnknown() ? "inf" : returnNs) + "]";
    }
}
