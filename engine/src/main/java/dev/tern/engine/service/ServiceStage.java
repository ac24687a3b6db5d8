package dev.tern.engine.service;

import com.lmax.disruptor.EventHandler;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.ResponseEncoder;
import dev.tern.codecs.replication.sbe.KvResponseDecoder;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One step of a service's pipeline (a Disruptor event handler). A stage works on the op of each event; the stage
 * that answers (the last one) hands the op to the service's I/O agent to run KV operations ({@link #kv},
 * {@link #kvAll}), to allocate sequences ({@link #allocateSeq}), to send the reply and any pushes ({@link #reply},
 * {@link #push}) or to be woken later ({@link #resume}): at most once per event for the event's own op.
 * <p>
 * When a stage throws, the pipeline's exception handler records the error and calls {@link #recover()}: the op that
 * was being handled is answered INTERNAL (by this stage when it is the answering one, else by the next) unless it
 * had already been handed off, so no op is ever lost and the pipeline keeps running.
 */
public abstract class ServiceStage implements EventHandler<ServiceEvent>
{
    static final int ACTION_KV = 1;
    static final int ACTION_REPLY = 2;
    static final int ACTION_RESUME = 3;
    static final int ACTION_SEQ = 4;

    private final ManyToOneConcurrentArrayQueue<ServiceOp> handOff;
    private final boolean answers;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ResponseEncoder responseEncoder = new ResponseEncoder();
    private final dev.tern.codecs.replication.sbe.MessageHeaderDecoder kvHeaderDecoder =
        new dev.tern.codecs.replication.sbe.MessageHeaderDecoder();
    private final KvResponseDecoder kvDecoder = new KvResponseDecoder();
    private final UnsafeBuffer kvView = new UnsafeBuffer(0, 0);
    private ServiceOp current;
    private boolean currentHandedOff;

    /**
     * @param handOff the queue to the service's I/O agent, given to the pipeline's wiring.
     * @param answers true for the stage that answers requests (the last one).
     */
    protected ServiceStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff, final boolean answers)
    {
        this.handOff = handOff;
        this.answers = answers;
    }

    public final void onEvent(final ServiceEvent event, final long sequence, final boolean endOfBatch)
    {
        final ServiceOp op = event.op;
        current = op;
        currentHandedOff = false;
        onOp(op);
        current = null;
    }

    /**
     * Handle the current event of an op: {@link ServiceOp#eventType} says what it is.
     *
     * @param op the op.
     */
    protected abstract void onOp(ServiceOp op);

    /**
     * Run the KV operation set in {@code op.kv}; its completion comes back as a {@link ServiceOp#KV_COMPLETION}
     * event. The stage must not touch the op after this call.
     */
    protected final void kv(final ServiceOp op)
    {
        kvAll(op, 1);
    }

    /**
     * Run the KV operations set in {@code op.kv(0)} to {@code op.kv(count - 1)} at once; one
     * {@link ServiceOp#KV_COMPLETION} event comes back when every one completed, their outcomes in
     * {@link ServiceOp#kvResults} and {@link ServiceOp#kvVersions} by index. The stage must not touch the op after
     * this call.
     *
     * @param count 1 to {@link ServiceOp#MAX_KV_OPERATIONS}.
     */
    protected final void kvAll(final ServiceOp op, final int count)
    {
        if (count < 1 || count > ServiceOp.MAX_KV_OPERATIONS)
        {
            throw new IllegalArgumentException("count=" + count + " must be in [1, " + ServiceOp.MAX_KV_OPERATIONS +
                "]");
        }
        op.kvCount = count;
        handOff(op, ACTION_KV);
    }

    /**
     * Allocate the next sequences of the users set in {@code op.seq} (the sequence allocator of the engine); the
     * outcome comes back as a {@link ServiceOp#SEQ_COMPLETION} event. The stage must not touch the op after this call.
     */
    protected final void allocateSeq(final ServiceOp op)
    {
        handOff(op, ACTION_SEQ);
    }

    /**
     * Push a client frame to every session of a user once the op's reply is sent (best effort: a push that finds no
     * room is dropped and counted).
     *
     * @param op                  the op, before {@link #reply}.
     * @param uin                 the user.
     * @param excludedConnection  a connection not to push to (the requesting one), or
     *                            {@link dev.tern.codecs.engine.sbe.ServicePushEncoder#excludeConnectionIdNullValue()}.
     * @param frame               the client frame, header included.
     * @param length              of the frame.
     */
    protected static void push(final ServiceOp op, final long uin, final int excludedConnection,
        final DirectBuffer frame, final int length)
    {
        final int index = op.pushCount;
        if (index >= ServiceOp.MAX_PUSHES)
        {
            throw new IllegalStateException("an op pushes at most " + ServiceOp.MAX_PUSHES + " frames");
        }
        op.pushUins[index] = uin;
        op.pushExcludedConnections[index] = excludedConnection;
        op.pushFrames[index].putBytes(0, frame, 0, length);
        op.pushLengths[index] = length;
        op.pushCount = index + 1;
    }

    /**
     * Send the reply encoded in {@code op.reply} ({@code op.code} says its outcome) and end the op.
     */
    protected final void reply(final ServiceOp op)
    {
        handOff(op, ACTION_REPLY);
    }

    /**
     * Have the op come back through the pipeline as a {@link ServiceOp#RESUME} event.
     */
    protected final void resume(final ServiceOp op)
    {
        handOff(op, ACTION_RESUME);
    }

    /**
     * The op is kept by this stage (e.g. in a list of ops waiting for a resource) and will be handed off later: it
     * no longer counts as the event's unanswered op.
     */
    protected final void parked(final ServiceOp op)
    {
        if (op == current)
        {
            currentHandedOff = true;
        }
    }

    /**
     * Check a request's header against what its decoder needs, before decoding.
     *
     * @param op             the op holding the request.
     * @param minBlockLength the template's root block length at the op's version.
     * @return true when the version is served and the root block is long enough and within the frame.
     */
    protected static boolean blockFits(final ServiceOp op, final int minBlockLength)
    {
        return op.version >= ClientProtocol.MIN_SUPPORTED_VERSION && op.version <= ClientProtocol.CURRENT_VERSION &&
            op.blockLength >= minBlockLength && ClientProtocol.HEADER_LENGTH + op.blockLength <= op.requestLength;
    }

    /**
     * Decode the KvResponse of the op's last KV operation, on a view of exactly its length.
     *
     * @return the decoder, positioned before its rows; null when the operation returned no response (timeout).
     */
    protected final KvResponseDecoder kvResponse(final ServiceOp op)
    {
        return kvResponse(op, 0);
    }

    /**
     * Decode the KvResponse of one of the operations the op ran together, on a view of exactly its length.
     *
     * @param index of the operation.
     * @return the decoder, positioned before its rows; null when the operation returned no response (timeout).
     */
    protected final KvResponseDecoder kvResponse(final ServiceOp op, final int index)
    {
        if (0 == op.kvResponseLengths[index])
        {
            return null;
        }
        kvHeaderDecoder.wrap(op.kvResponseView(index, kvView), 0);
        return kvDecoder.wrapAndApplyHeader(kvView, 0, kvHeaderDecoder);
    }

    /**
     * View the value a GET returned.
     *
     * @param op    the op whose KV operation was a GET.
     * @param value wrapped over the value.
     * @return the value's length, or -1 when the operation returned no response.
     */
    protected final int kvValue(final ServiceOp op, final UnsafeBuffer value)
    {
        return kvValue(op, 0, value);
    }

    /**
     * View the value a GET run with other operations returned.
     *
     * @param op    the op.
     * @param index of the GET.
     * @param value wrapped over the value.
     * @return the value's length, or -1 when the operation returned no response.
     */
    protected final int kvValue(final ServiceOp op, final int index, final UnsafeBuffer value)
    {
        final KvResponseDecoder response = kvResponse(op, index);
        if (null == response)
        {
            return -1;
        }
        final KvResponseDecoder.RowsDecoder rows = response.rows();
        while (rows.hasNext())
        {
            rows.next().skipRowKey();
            rows.skipRowValue();
        }
        response.wrapValue(value);
        return value.capacity();
    }

    /**
     * Answer with a generic Response carrying only the outcome, and end the op.
     *
     * @param op   the op.
     * @param code the outcome.
     */
    protected final void replyCode(final ServiceOp op, final ErrorCode code)
    {
        op.code = code.value();
        responseEncoder.wrapAndApplyHeader(op.reply, 0, headerEncoder)
            .correlationId(op.correlationId)
            .code(code)
            .requestTemplateId(op.templateId);
        op.replyLength = MessageHeaderEncoder.ENCODED_LENGTH + responseEncoder.encodedLength();
        reply(op);
    }

    /**
     * After this stage threw: make sure the op being handled is answered.
     */
    void recover()
    {
        final ServiceOp op = current;
        current = null;
        if (null != op && !currentHandedOff)
        {
            op.code = ErrorCode.INTERNAL.value();
            if (answers)
            {
                replyCode(op, ErrorCode.INTERNAL);
            }
        }
    }

    private void handOff(final ServiceOp op, final int action)
    {
        op.action = action;
        if (op == current)
        {
            currentHandedOff = true;
        }
        if (!handOff.offer(op))
        {
            throw new IllegalStateException("hand-off queue full: it holds every op at most once, so this is a bug");
        }
    }
}
