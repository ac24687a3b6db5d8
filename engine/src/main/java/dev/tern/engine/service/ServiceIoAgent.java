package dev.tern.engine.service;

import com.lmax.disruptor.RingBuffer;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.ResponseEncoder;
import dev.tern.codecs.engine.sbe.MessageHeaderDecoder;
import dev.tern.codecs.engine.sbe.MessageHeaderEncoder;
import dev.tern.codecs.engine.sbe.ServicePushEncoder;
import dev.tern.codecs.engine.sbe.ServiceReplyEncoder;
import dev.tern.codecs.engine.sbe.ServiceRequestDecoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.engine.seq.SeqClient;
import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvClient;
import dev.tern.transport.Publications;
import dev.tern.transport.client.ClientProtocol;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The I/O side of a service: takes requests from the gateway's stream into the ring (BUSY at once when no op is
 * free or the ring is full), runs the KV operations the stages hand off on the service's own {@link KvClient} (several
 * of one op at once when asked) and the sequence allocations on its own {@link SeqClient}, brings their completions
 * back into the ring as events, and sends the stages' replies to the gateway, each followed by its op's pushes.
 * Owns every Aeron resource of the service and its ops' free list, so the stages never block on I/O.
 * <p>
 * Duty cycle: events the ring refused, hand-offs from the stages, KV and sequence completions, new requests.
 */
final class ServiceIoAgent implements Agent
{
    private static final int ENVELOPE_HEADER = Envelopes.HEADER_LENGTH;
    private static final int CLIENT_HEADER = ClientProtocol.HEADER_LENGTH;
    private static final int REQUEST_FRAGMENT_LIMIT = 64;
    private static final int HAND_OFF_LIMIT = 256;
    private static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final String roleName;
    private final Monitor monitor;
    private final ServiceMonitorIds ids;
    private final NanoClock clock;
    private final EpochClock epochClock;
    private final RingBuffer<ServiceEvent> ring;
    private final ArrayDeque<ServiceOp> free;
    private final ManyToOneConcurrentArrayQueue<ServiceOp> handOff;
    private final ArrayDeque<ServiceOp> refusedByRing;
    private final ArrayDeque<ServiceOp> refusedByPublication;
    private final KvClient kvClient;
    private final SeqClient seqClient;
    private final ServiceOp[] ops;
    private final Subscription requests;
    private final Publication replies;
    private final FragmentAssembler requestAssembler;
    private final Consumer<ServiceOp> onHandOff = this::onHandOff;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ServiceRequestDecoder requestDecoder = new ServiceRequestDecoder();
    private final ServiceReplyEncoder replyEncoder = new ServiceReplyEncoder();
    private final ServicePushEncoder pushEncoder = new ServicePushEncoder();
    private final dev.tern.codecs.client.sbe.MessageHeaderEncoder clientHeaderEncoder =
        new dev.tern.codecs.client.sbe.MessageHeaderEncoder();
    private final ResponseEncoder busyEncoder = new ResponseEncoder();
    private final UnsafeBuffer envelopeView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer busyFrame = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer outbound = new ExpandableArrayBuffer(1024);

    private int inFlight;
    private long intervalMaxUs;
    private long nextReportNs;

    ServiceIoAgent(
        final String name,
        final Monitor monitor,
        final ServiceMonitorIds ids,
        final NanoClock clock,
        final EpochClock epochClock,
        final RingBuffer<ServiceEvent> ring,
        final ServiceOp[] ops,
        final ManyToOneConcurrentArrayQueue<ServiceOp> handOff,
        final KvClient kvClient,
        final Function<SeqClient.Listener, SeqClient> seqClientFactory,
        final Subscription requests,
        final Publication replies)
    {
        this.roleName = "tern-" + name + "-io";
        this.monitor = monitor;
        this.ids = ids;
        this.clock = clock;
        this.epochClock = epochClock;
        this.ring = ring;
        this.handOff = handOff;
        this.kvClient = kvClient;
        this.ops = ops;
        this.requests = requests;
        this.replies = replies;
        free = new ArrayDeque<>(ops.length);
        refusedByRing = new ArrayDeque<>(ops.length);
        refusedByPublication = new ArrayDeque<>(ops.length);
        for (final ServiceOp op : ops)
        {
            for (int i = 0; i < ServiceOp.MAX_KV_OPERATIONS; i++)
            {
                final int index = i;
                op.kvListeners[i] = (correlationId, result, version, response) ->
                    onKvResponse(op, index, result, version, response);
            }
            free.addLast(op);
        }
        requestAssembler = new FragmentAssembler((buffer, offset, length, header) -> onRequest(buffer, offset, length));
        seqClient = null == seqClientFactory ? null : seqClientFactory.apply(this::onSeqCompleted);
    }

    public String roleName()
    {
        return roleName;
    }

    public int doWork()
    {
        int work = retryRefused();
        work += handOff.drain(onHandOff, HAND_OFF_LIMIT);
        if (null != kvClient)
        {
            work += kvClient.poll();
        }
        if (null != seqClient)
        {
            work += seqClient.poll();
        }
        work += requests.poll(requestAssembler, REQUEST_FRAGMENT_LIMIT);

        final long now = clock.nanoTime();
        if (now - nextReportNs >= 0)
        {
            nextReportNs = now + REPORT_INTERVAL_NS;
            monitor.set(ids.latencyMaxUs(), intervalMaxUs);
            intervalMaxUs = 0;
        }
        return work;
    }

    public void onClose()
    {
        CloseHelper.quietCloseAll(kvClient, seqClient, requests, replies);
    }

    /** @return ops in use: requests taken in and not yet answered. */
    int inFlight()
    {
        return inFlight;
    }

    private void onRequest(final DirectBuffer buffer, final int offset, final int length)
    {
        monitor.add(ids.requests(), 1);
        if (!Envelopes.fits(buffer, offset, length, ServiceRequestDecoder.TEMPLATE_ID, ServiceRequestDecoder.BLOCK_LENGTH))
        {
            monitor.add(ids.errors(), 1);
            return;
        }

        final long gatewayRequestId;
        final int connectionId;
        final long uin;
        final long deviceId;
        try
        {
            envelopeView.wrap(buffer, offset, length);
            headerDecoder.wrap(envelopeView, 0);
            requestDecoder.wrapAndApplyHeader(envelopeView, 0, headerDecoder);
            gatewayRequestId = requestDecoder.gatewayRequestId();
            connectionId = requestDecoder.connectionId();
            uin = requestDecoder.uin();
            deviceId = requestDecoder.deviceId();
            requestDecoder.wrapRequest(frameView);
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            monitor.add(ids.errors(), 1);
            return;
        }
        if (frameView.capacity() < ServiceOp.MIN_REQUEST_LENGTH)
        {
            monitor.add(ids.errors(), 1);
            return;
        }

        final int templateId = frameView.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final long correlationId = frameView.getLong(CLIENT_HEADER + ClientProtocol.CORRELATION_ID_OFFSET,
            ByteOrder.LITTLE_ENDIAN);
        final ServiceOp op = free.pollFirst();
        if (null == op)
        {
            replyBusy(gatewayRequestId, correlationId, templateId);
            return;
        }

        op.reset();
        op.eventType = ServiceOp.REQUEST;
        op.startNs = clock.nanoTime();
        op.gatewayRequestId = gatewayRequestId;
        op.connectionId = connectionId;
        op.uin = uin;
        op.deviceId = deviceId;
        op.request(frameView, 0, frameView.capacity());
        inFlight++;
        monitor.set(ids.inFlight(), inFlight);

        if (!ring.tryPublishEvent(ServiceEvent.TRANSLATOR, op))
        {
            release(op);
            replyBusy(gatewayRequestId, correlationId, templateId);
        }
    }

    private void onHandOff(final ServiceOp op)
    {
        switch (op.action)
        {
            case ServiceStage.ACTION_KV:
                runKv(op);
                break;

            case ServiceStage.ACTION_REPLY:
                sendReply(op);
                break;

            case ServiceStage.ACTION_RESUME:
                publish(op, ServiceOp.RESUME);
                break;

            case ServiceStage.ACTION_SEQ:
                if (null == seqClient || !seqClient.request(op.index, op.seq))
                {
                    publish(op, ServiceOp.SEQ_COMPLETION);
                }
                break;

            default:
                monitor.errorHandler().onError(new IllegalStateException("op handed off without an action"));
                release(op);
                break;
        }
    }

    private void runKv(final ServiceOp op)
    {
        final int count = op.kvCount;
        op.kvPending = count;
        for (int i = 0; i < count; i++)
        {
            if (null == kvClient)
            {
                complete(op, i, ResultCode.UNAVAILABLE);
                continue;
            }
            final KvCommand command = op.kvCommands[i];
            if (0 != command.notAfterMs() && epochClock.time() >= command.notAfterMs())
            {
                complete(op, i, ResultCode.TIMEOUT);
                continue;
            }
            monitor.add(ids.kvOps(), 1);
            if (command.submit(kvClient, op.kvListeners[i]) < 0)
            {
                complete(op, i, ResultCode.BUSY);
            }
        }
    }

    private void complete(final ServiceOp op, final int index, final int result)
    {
        monitor.add(ids.kvFailures(), 1);
        op.kvResponseLengths[index] = 0;
        completed(op, index, result, 0);
    }

    private void onKvResponse(final ServiceOp op, final int index, final int result, final long version,
        final KvResponseDecoder response)
    {
        if (ResultCode.isOutcomeUnknown(result))
        {
            monitor.add(ids.kvFailures(), 1);
        }
        int outcome = result;
        op.kvResponseLengths[index] = 0;
        if (null != response)
        {
            try
            {
                final int headerLength = dev.tern.codecs.replication.sbe.MessageHeaderDecoder.ENCODED_LENGTH;
                final int length = headerLength + response.sbeDecodedLength();
                op.kvResponses[index].putBytes(0, response.buffer(), response.offset() - headerLength, length);
                op.kvResponseLengths[index] = length;
            }
            catch (final IndexOutOfBoundsException ex)
            {
                monitor.errorHandler().onError(ex);
                outcome = ResultCode.CORRUPT_RECORD;
            }
        }
        completed(op, index, outcome, version);
    }

    private void completed(final ServiceOp op, final int index, final int result, final long version)
    {
        op.kvResults[index] = result;
        op.kvVersions[index] = version;
        if (--op.kvPending == 0)
        {
            op.kvResult = op.kvResults[0];
            op.kvVersion = op.kvVersions[0];
            publish(op, ServiceOp.KV_COMPLETION);
        }
    }

    private void onSeqCompleted(final int slot)
    {
        publish(ops[slot], ServiceOp.SEQ_COMPLETION);
    }

    private void publish(final ServiceOp op, final int eventType)
    {
        op.eventType = eventType;
        if (!refusedByRing.isEmpty() || !ring.tryPublishEvent(ServiceEvent.TRANSLATOR, op))
        {
            // an op already in flight must not be lost: its event waits for room, in order
            refusedByRing.addLast(op);
        }
    }

    private int retryRefused()
    {
        int work = 0;
        while (!refusedByRing.isEmpty() && ring.tryPublishEvent(ServiceEvent.TRANSLATOR, refusedByRing.peekFirst()))
        {
            refusedByRing.pollFirst();
            work++;
        }
        while (!refusedByPublication.isEmpty())
        {
            final ServiceOp op = refusedByPublication.peekFirst();
            final long result = offerReply(op.gatewayRequestId, op.authUin, op.authDeviceId, op.reply,
                op.replyLength);
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                break;
            }
            refusedByPublication.pollFirst();
            replied(op, result);
            work++;
        }
        return work;
    }

    private void sendReply(final ServiceOp op)
    {
        final long result = refusedByPublication.isEmpty() ?
            offerReply(op.gatewayRequestId, op.authUin, op.authDeviceId, op.reply, op.replyLength) :
            Publication.BACK_PRESSURED;
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            refusedByPublication.addLast(op);
            return;
        }
        replied(op, result);
    }

    private void replied(final ServiceOp op, final long result)
    {
        if (result < 0)
        {
            monitor.add(ids.replyDropped(), 1);
        }
        for (int i = 0; i < op.pushCount; i++)
        {
            pushEncoder.wrapAndApplyHeader(outbound, 0, headerEncoder)
                .uin(op.pushUins[i])
                .excludeConnectionId(op.pushExcludedConnections[i])
                .putFrame(op.pushFrames[i], 0, op.pushLengths[i]);
            if (Publications.offer(replies, outbound, 0, ENVELOPE_HEADER + pushEncoder.encodedLength()) < 0)
            {
                monitor.add(ids.replyDropped(), 1);
            }
        }
        if (op.code != ErrorCode.OK.value())
        {
            monitor.add(ids.reject(op.code), 1);
        }
        final long latencyUs = (clock.nanoTime() - op.startNs) / 1000;
        if (latencyUs > intervalMaxUs)
        {
            intervalMaxUs = latencyUs;
        }
        release(op);
    }

    private void release(final ServiceOp op)
    {
        inFlight--;
        monitor.set(ids.inFlight(), inFlight);
        free.addLast(op);
    }

    private void replyBusy(final long gatewayRequestId, final long correlationId, final int templateId)
    {
        monitor.add(ids.reject(ErrorCode.BUSY), 1);
        busyEncoder.wrapAndApplyHeader(busyFrame, 0, clientHeaderEncoder)
            .correlationId(correlationId)
            .code(ErrorCode.BUSY)
            .requestTemplateId(templateId);
        final int length = CLIENT_HEADER + busyEncoder.encodedLength();
        if (offerReply(gatewayRequestId, 0, 0, busyFrame, length) < 0)
        {
            monitor.add(ids.replyDropped(), 1);
        }
    }

    private long offerReply(final long gatewayRequestId, final long authUin, final long authDeviceId,
        final DirectBuffer frame, final int frameLength)
    {
        replyEncoder.wrapAndApplyHeader(outbound, 0, headerEncoder)
            .gatewayRequestId(gatewayRequestId)
            .authUin(authUin)
            .authDeviceId(authDeviceId)
            .putResponse(frame, 0, frameLength);
        return Publications.offer(replies, outbound, 0, ENVELOPE_HEADER + replyEncoder.encodedLength());
    }
}
