package dev.tern.storage.client;

import dev.tern.codecs.replication.sbe.KvResponseDecoder;

/**
 * Receives the outcome of a KV request on the thread that polls the {@link KvClient}.
 */
@FunctionalInterface
public interface KvResponseListener
{
    /**
     * @param correlationId the id {@link KvClient} returned when the request was submitted.
     * @param result        a {@link dev.tern.storage.ResultCode}; TIMEOUT when no replica answered in time (the
     *                      outcome of a write is then unknown: resubmit it with the same request sequence).
     * @param version       the key's version after a write, or the version read.
     * @param response      the response, for a read's value and rows: valid only during the call; null on TIMEOUT.
     */
    void onResponse(long correlationId, int result, long version, KvResponseDecoder response);
}
