package dev.tern.engine.service;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.engine.seq.SeqCall;
import dev.tern.storage.client.KvResponseListener;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * One request in flight in a service, from the moment the I/O agent takes it in until its reply leaves: the request
 * frame, the state of the service's logic, the KV operation it waits for and its outcome, and the reply. Ops are
 * pre-allocated (their number is the service's cap on requests in flight) and reused.
 * <p>
 * An op is touched by one thread at a time and handed over with the ring (I/O agent to stages) and with the
 * hand-off queue (stages to I/O agent), whose release/acquire ordering publishes its fields. Services extend it with
 * the fields their logic needs. Public fields: a carrier, like a Disruptor event.
 */
public class ServiceOp
{
    /** Shortest request frame a service takes in: a message header and a correlation id. */
    public static final int MIN_REQUEST_LENGTH = ClientProtocol.HEADER_LENGTH + ClientProtocol.MIN_BLOCK_LENGTH;

    /** Event type: a new request. */
    public static final int REQUEST = 1;
    /** Event type: the KV operation the op waited for completed; see {@link #kvResult}. */
    public static final int KV_COMPLETION = 2;
    /** Event type: the op was woken by its own service (e.g. a resource it waited for became available). */
    public static final int RESUME = 3;
    /** Event type: the sequences the op asked for arrived, or their allocation failed; see {@link #seq}. */
    public static final int SEQ_COMPLETION = 4;

    /** Most KV operations an op runs at once ({@link ServiceStage#kvAll}). */
    public static final int MAX_KV_OPERATIONS = 3;
    /** Most frames an op pushes to users' sessions after its reply. */
    public static final int MAX_PUSHES = 2;

    /** The op's slot, stable for its life. */
    public final int index;

    /** What the current event of this op means: {@link #REQUEST}, {@link #KV_COMPLETION}, {@link #RESUME}. */
    public int eventType;

    // ---- set by the I/O agent when the request arrives

    /** The gateway's id of the request, echoed in the reply. */
    public long gatewayRequestId;
    /** The client connection the request came from. */
    public int connectionId;
    /** The session's UIN (0 before login): the only identity a service trusts. */
    public long uin;
    /** The session's device. */
    public long deviceId;
    /** When the I/O agent took the request in, ns. */
    public long startNs;
    /** The client's request frame, message header included. */
    public final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
    /** Length of the frame in {@link #request}. */
    public int requestLength;
    /** The frame's template id. */
    public int templateId;
    /** The frame's schema version. */
    public int version;
    /** The frame's root block length. */
    public int blockLength;
    /** The request's correlation id, echoed in the reply. */
    public long correlationId;

    // ---- the service's logic

    /** The outcome so far, an {@link ErrorCode} value: a decode stage sets it, later stages act on it. */
    public int code;
    /** The service logic's state; 0 when the request arrives. */
    public int state;
    /** The KV operation to run: the first of {@link #kv(int)}. */
    public final KvCommand kv = new KvCommand();
    /** The KV operation's result, a {@link dev.tern.storage.ResultCode}: the first of {@link #kvResults}. */
    public int kvResult;
    /** The key's version after the KV operation: the first of {@link #kvVersions}. */
    public long kvVersion;
    /** The KvResponse frame (replication schema, header included) when the operation returned one. */
    public final ExpandableArrayBuffer kvResponse = new ExpandableArrayBuffer(128);
    /** The results of operations run together ({@link ServiceStage#kvAll}), by index. */
    public final int[] kvResults = new int[MAX_KV_OPERATIONS];
    /** The keys' versions after operations run together, by index. */
    public final long[] kvVersions = new long[MAX_KV_OPERATIONS];

    // ---- what the op sends besides its reply, and the sequences it waits for

    /** Frames to push after the reply: {@link ServiceStage#push} fills them. */
    public int pushCount;
    /** The user each push goes to (all of its sessions). */
    public final long[] pushUins = new long[MAX_PUSHES];
    /** A connection each push skips, or {@link dev.tern.codecs.engine.sbe.ServicePushEncoder#excludeConnectionIdNullValue()}. */
    public final int[] pushExcludedConnections = new int[MAX_PUSHES];
    /** The client frames to push. */
    public final ExpandableArrayBuffer[] pushFrames = { new ExpandableArrayBuffer(64), new ExpandableArrayBuffer(64) };
    /** Lengths of the frames in {@link #pushFrames}. */
    public final int[] pushLengths = new int[MAX_PUSHES];
    /** The sequence allocation the op asks for ({@link ServiceStage#allocateSeq}) and its outcome. */
    public final SeqCall seq = new SeqCall();

    // ---- the reply

    /** The client response frame (client schema, header included). */
    public final ExpandableArrayBuffer reply = new ExpandableArrayBuffer(128);
    /** Length of the frame in {@link #reply}. */
    public int replyLength;
    /** A successful login: the UIN the gateway binds the session to. */
    public long authUin;
    /** A successful login: the device. */
    public long authDeviceId;

    // ---- owned by the I/O agent

    int action;
    int kvCount = 1;
    int kvPending;
    final KvCommand[] kvCommands = { kv, new KvCommand(), new KvCommand() };
    final ExpandableArrayBuffer[] kvResponses = { kvResponse, new ExpandableArrayBuffer(128),
        new ExpandableArrayBuffer(128) };
    /** Lengths of the frames of {@link #kvResponseView}, 0 when an operation returned none (timeout). */
    final int[] kvResponseLengths = new int[MAX_KV_OPERATIONS];
    final KvResponseListener[] kvListeners = new KvResponseListener[MAX_KV_OPERATIONS];

    /**
     * @param index the op's slot.
     */
    public ServiceOp(final int index)
    {
        this.index = index;
    }

    /**
     * Take a client request frame in: copy it and read its header and correlation id.
     *
     * @param frame  holds the frame.
     * @param offset of the frame's message header.
     * @param length of the frame: at least the header and a correlation id ({@link #MIN_REQUEST_LENGTH}).
     */
    public void request(final DirectBuffer frame, final int offset, final int length)
    {
        request.putBytes(0, frame, offset, length);
        requestLength = length;
        blockLength = frame.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        templateId = frame.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        version = frame.getShort(offset + 6, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        correlationId = frame.getLong(offset + ClientProtocol.HEADER_LENGTH + ClientProtocol.CORRELATION_ID_OFFSET,
            ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * View exactly the request frame, so that a decoder reading past its end hits the view's bounds check.
     *
     * @param view the view to wrap.
     * @return the view.
     */
    public UnsafeBuffer requestView(final UnsafeBuffer view)
    {
        view.wrap(request, 0, requestLength);
        return view;
    }

    /**
     * @param index of an operation, 0 to {@link #MAX_KV_OPERATIONS} - 1.
     * @return the command of that operation, to fill before {@link ServiceStage#kvAll}.
     */
    public KvCommand kv(final int index)
    {
        return kvCommands[index];
    }

    /** @return how many operations the op ran together last ({@link ServiceStage#kvAll}). */
    public int kvCount()
    {
        return kvCount;
    }

    /**
     * View exactly the KvResponse frame of the first operation.
     *
     * @param view the view to wrap.
     * @return the view.
     */
    public UnsafeBuffer kvResponseView(final UnsafeBuffer view)
    {
        return kvResponseView(0, view);
    }

    /**
     * View exactly the KvResponse frame of an operation run with others.
     *
     * @param index of the operation.
     * @param view  the view to wrap.
     * @return the view; of length 0 when the operation returned no response.
     */
    public UnsafeBuffer kvResponseView(final int index, final UnsafeBuffer view)
    {
        view.wrap(kvResponses[index], 0, kvResponseLengths[index]);
        return view;
    }

    /**
     * Clear the per-request state before reuse. Services that add fields clear them here too.
     */
    protected void reset()
    {
        eventType = 0;
        code = ErrorCode.OK.value();
        state = 0;
        kvResult = 0;
        kvVersion = 0;
        replyLength = 0;
        authUin = 0;
        authDeviceId = 0;
        pushCount = 0;
        action = 0;
        kvCount = 1;
        kvPending = 0;
        seq.reset();
    }
}
