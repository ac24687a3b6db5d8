package dev.tern.perf.load;

import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvResponseListener;

/**
 * One request of the load in flight: which step and workload it belongs to and when the schedule meant it to be
 * sent. Pooled and reused by its sender; a {@link Workload} hands it to the client that will complete it: as the
 * {@link KvResponseListener} of a KV request, or {@link EngineSession#track tracked} by a session.
 * <p>
 * Used on the sender's thread only.
 */
public final class Pending implements KvResponseListener
{
    private final LoadSenderAgent owner;
    int step;
    int op;
    long intendedNs;
    boolean measured;

    Pending(final LoadSenderAgent owner)
    {
        this.owner = owner;
    }

    /**
     * @return when the schedule meant this request to be sent (the sender's clock, ns): latency is measured from
     * here, not from when it was actually sent.
     */
    public long intendedNs()
    {
        return intendedNs;
    }

    /**
     * The request is answered.
     *
     * @param errorCode null for success, else the name of the error code the system answered (reported by code).
     */
    public void complete(final String errorCode)
    {
        owner.onComplete(this, errorCode);
    }

    /**
     * A KV response: OK is success, every other result code an error named by {@link ResultCode#describe(int)}.
     */
    public void onResponse(final long correlationId, final int result, final long version,
        final KvResponseDecoder response)
    {
        complete(ResultCode.OK == result ? null : ResultCode.describe(result));
    }
}
