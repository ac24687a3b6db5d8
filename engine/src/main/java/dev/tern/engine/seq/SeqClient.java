package dev.tern.engine.seq;

import dev.tern.codecs.engine.sbe.MessageHeaderDecoder;
import dev.tern.codecs.engine.sbe.MessageHeaderEncoder;
import dev.tern.codecs.engine.sbe.SeqConnectEncoder;
import dev.tern.codecs.engine.sbe.SeqReplyDecoder;
import dev.tern.codecs.engine.sbe.SeqRequestEncoder;
import dev.tern.codecs.engine.sbe.SeqResult;
import dev.tern.engine.service.Envelopes;
import dev.tern.transport.Channels;
import dev.tern.transport.Publications;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A send service's line to the sequence allocator ({@link SeqAgent}): sends SeqRequests for {@link SeqCall}s held in
 * numbered slots (the service's ops), and completes each slot when its SeqReply arrives or when none came within the
 * timeout (UNAVAILABLE; a late reply is ignored). Requests are never resent: a resent request would allocate again,
 * and an allocated sequence that is never stored is a gap the sync rule has to wait out.
 * <p>
 * Names its reply channel to the allocator with a SeqConnect whenever its publication (re)connects and after a
 * timeout, so an allocator that restarted learns it again. Single-threaded: the service's I/O agent. Allocation-free.
 */
public final class SeqClient implements AutoCloseable
{
    /** Receives completed slots. */
    @FunctionalInterface
    public interface Listener
    {
        /**
         * @param slot the slot whose {@link SeqCall} completed: its result is set.
         */
        void onSeqCompleted(int slot);
    }

    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int SLOT_BITS = 20;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final long TIMER_INTERVAL_MS = 10;

    private final ExclusivePublication requests;
    private final Subscription replies;
    private final String replyChannel;
    private final int replyStreamId;
    private final EpochClock clock;
    private final long timeoutMs;
    private final Listener listener;
    private final SeqCall[] calls;
    private final long[] deadlines;
    private final FragmentAssembler assembler = new FragmentAssembler(
        (buffer, offset, length, header) -> onReply(buffer, offset, length));
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer replyView = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SeqConnectEncoder connectEncoder = new SeqConnectEncoder();
    private final SeqRequestEncoder requestEncoder = new SeqRequestEncoder();
    private final SeqReplyDecoder replyDecoder = new SeqReplyDecoder();
    private long nextRequest;
    private int outstanding;
    private boolean connectNeeded = true;
    private long nextTimerMs;

    /**
     * @param aeron          a connected client.
     * @param requestChannel where the allocator takes requests: {@code aeron:ipc} or its UDP channel.
     * @param replyChannel   where this client takes replies: {@code aeron:ipc}, or a UDP channel (port 0: any).
     * @param replyStreamId  the stream of replies, unique among the allocator's clients in one media driver.
     * @param slots          how many calls may be outstanding (slots 0 to slots - 1), at most 2^20.
     * @param timeoutMs      how long a call waits for its reply.
     * @param clock          the wall clock stamped on calls.
     * @param listener       told of completed slots, on the polling thread.
     */
    public SeqClient(final Aeron aeron, final String requestChannel, final String replyChannel,
        final int replyStreamId, final int slots, final long timeoutMs, final EpochClock clock,
        final Listener listener)
    {
        if (slots < 1 || slots > 1 << SLOT_BITS)
        {
            throw new IllegalArgumentException("slots=" + slots + " must be in [1, " + (1 << SLOT_BITS) + "]");
        }
        this.replyStreamId = replyStreamId;
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.listener = listener;
        calls = new SeqCall[slots];
        deadlines = new long[slots];
        Subscription sub = null;
        ExclusivePublication pub = null;
        try
        {
            sub = aeron.addSubscription(replyChannel, replyStreamId);
            this.replyChannel = Channels.IPC.equals(replyChannel) ? replyChannel : Channels.udp(resolve(sub));
            pub = aeron.addExclusivePublication(requestChannel, Channels.SEQ_REQUEST_STREAM_ID);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(pub, sub);
            throw ex;
        }
        replies = sub;
        requests = pub;
    }

    private static String resolve(final Subscription subscription)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String endpoint;
        while (null == (endpoint = subscription.resolvedEndpoint()))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the sequence reply channel " + subscription.channel() +
                    " did not resolve");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return endpoint;
    }

    /** @return the channel this client named to the allocator. */
    public String replyChannel()
    {
        return replyChannel;
    }

    /** @return calls sent and not yet completed. */
    public int outstanding()
    {
        return outstanding;
    }

    /**
     * Send a call's request.
     *
     * @param slot the call's slot, free (its last call completed).
     * @param call the users to allocate for ({@link SeqCall#users}).
     * @return true when sent; false when the allocator is not reachable now (the call is left UNAVAILABLE and is
     * not completed through the listener).
     */
    public boolean request(final int slot, final SeqCall call)
    {
        if (!requests.isConnected())
        {
            connectNeeded = true;
            return false;
        }
        if (connectNeeded && !sendConnect())
        {
            return false;
        }
        final long requestId = (++nextRequest << SLOT_BITS) | slot;
        requestEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .requestId(requestId)
            .firstUin(call.firstUin)
            .secondUin(call.secondUin);
        call.requestedAtMs = clock.time();
        if (Publications.offer(requests, sendBuffer, 0, HEADER + requestEncoder.encodedLength()) < 0)
        {
            return false;
        }
        call.requestId = requestId;
        calls[slot] = call;
        deadlines[slot] = call.requestedAtMs + timeoutMs;
        outstanding++;
        return true;
    }

    /**
     * Take replies in and time calls out: call it in the owner's duty cycle.
     *
     * @return the amount of work done.
     */
    public int poll()
    {
        int work = replies.poll(assembler, 64);
        if (outstanding > 0)
        {
            final long now = clock.time();
            if (now - nextTimerMs >= 0)
            {
                nextTimerMs = now + TIMER_INTERVAL_MS;
                work += expire(now);
            }
        }
        return work;
    }

    private int expire(final long now)
    {
        int expired = 0;
        for (int slot = 0; slot < calls.length; slot++)
        {
            final SeqCall call = calls[slot];
            if (null != call && now - deadlines[slot] >= 0)
            {
                // the allocator may have restarted and forgotten this client: name the reply channel again
                connectNeeded = true;
                call.result = SeqResult.UNAVAILABLE.value();
                call.answeredAtMs = now;
                complete(slot);
                expired++;
            }
        }
        return expired;
    }

    private boolean sendConnect()
    {
        connectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .responseStreamId(replyStreamId)
            .responseChannel(replyChannel);
        if (Publications.offer(requests, sendBuffer, 0, HEADER + connectEncoder.encodedLength()) > 0)
        {
            connectNeeded = false;
            return true;
        }
        return false;
    }

    private void onReply(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!Envelopes.fits(buffer, offset, length, SeqReplyDecoder.TEMPLATE_ID, SeqReplyDecoder.BLOCK_LENGTH))
        {
            return;
        }
        replyView.wrap(buffer, offset, length);
        headerDecoder.wrap(replyView, 0);
        replyDecoder.wrapAndApplyHeader(replyView, 0, headerDecoder);
        final long requestId = replyDecoder.requestId();
        final int slot = (int)(requestId & SLOT_MASK);
        final SeqCall call = slot < calls.length ? calls[slot] : null;
        if (null == call || call.requestId != requestId)
        {
            return;
        }
        final short result = replyDecoder.resultRaw();
        call.result = result >= SeqResult.OK.value() && result <= SeqResult.BAD_REQUEST.value() ?
            result : SeqResult.UNAVAILABLE.value();
        call.firstSeq = replyDecoder.firstSeq();
        call.firstFloorMs = replyDecoder.firstFloorMs();
        call.secondSeq = replyDecoder.secondSeq();
        call.secondFloorMs = replyDecoder.secondFloorMs();
        call.answeredAtMs = clock.time();
        complete(slot);
    }

    private void complete(final int slot)
    {
        calls[slot] = null;
        outstanding--;
        listener.onSeqCompleted(slot);
    }

    public void close()
    {
        CloseHelper.quietCloseAll(requests, replies);
    }
}
