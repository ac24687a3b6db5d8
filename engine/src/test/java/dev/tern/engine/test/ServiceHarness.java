package dev.tern.engine.test;

import dev.tern.codecs.client.sbe.MessageHeaderDecoder;
import dev.tern.codecs.engine.sbe.ServiceReplyDecoder;
import dev.tern.codecs.engine.sbe.ServiceRequestEncoder;
import dev.tern.transport.test.Await;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Plays the gateway towards a service: sends client frames in ServiceRequest envelopes on the service's stream and
 * collects the client responses of its ServiceReplies, by correlation id.
 */
public final class ServiceHarness implements AutoCloseable
{
    private final Publication requests;
    private final Subscription replies;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onReply);
    private final ExpandableArrayBuffer envelope = new ExpandableArrayBuffer(256);
    private final Map<Long, byte[]> responses = new HashMap<>();

    /**
     * @param aeron         a connected client.
     * @param channel       the channel of both streams (e.g. aeron:ipc).
     * @param requestStream the service's request stream.
     * @param replyStream   the stream the service replies on.
     */
    public ServiceHarness(final Aeron aeron, final String channel, final int requestStream, final int replyStream)
    {
        requests = aeron.addPublication(channel, requestStream);
        replies = aeron.addSubscription(channel, replyStream);
    }

    /** Wait until the service subscribed. */
    public void awaitConnected()
    {
        Await.await(requests::isConnected, "the service to subscribe");
    }

    /**
     * Send a client frame as the gateway would, for a session.
     *
     * @param frame the client frame, header included.
     * @param uin   the session's UIN (0 before login).
     */
    public void send(final DirectBuffer frame, final int length, final long uin)
    {
        final long correlationId = frame.getLong(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN);
        final ServiceRequestEncoder request = new ServiceRequestEncoder()
            .wrapAndApplyHeader(envelope, 0, new dev.tern.codecs.engine.sbe.MessageHeaderEncoder())
            .gatewayRequestId(correlationId)
            .connectionId(1)
            .uin(uin)
            .deviceId(0)
            .putRequest(frame, 0, length);
        final int envelopeLength = dev.tern.codecs.engine.sbe.MessageHeaderEncoder.ENCODED_LENGTH +
            request.encodedLength();
        Await.await(() -> requests.offer(envelope, 0, envelopeLength) > 0, "the request to be sent");
    }

    /**
     * @return the client response to a request, header included, waiting for it.
     */
    public UnsafeBuffer awaitResponse(final long correlationId)
    {
        Await.await(() ->
        {
            replies.poll(assembler, 100);
            return responses.containsKey(correlationId);
        }, Duration.ofSeconds(20), () -> "a response to " + correlationId + "; have " + responses.keySet());
        return new UnsafeBuffer(responses.remove(correlationId));
    }

    private void onReply(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        final ServiceReplyDecoder reply = new ServiceReplyDecoder().wrapAndApplyHeader(buffer, offset,
            new dev.tern.codecs.engine.sbe.MessageHeaderDecoder().wrap(buffer, offset));
        reply.gatewayRequestId();
        final UnsafeBuffer response = new UnsafeBuffer(0, 0);
        reply.wrapResponse(response);
        final byte[] bytes = new byte[response.capacity()];
        response.getBytes(0, bytes);
        responses.put(response.getLong(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN), bytes);
    }

    public void close()
    {
        CloseHelper.quietCloseAll(requests, replies);
    }
}
