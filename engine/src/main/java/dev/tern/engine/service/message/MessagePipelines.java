package dev.tern.engine.service.message;

import dev.tern.engine.service.ServiceMonitorIds;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.service.ServiceStage;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static dev.tern.codecs.monitor.MonitorId.*;

/**
 * The three message services, split by importance as WeChat split them, each its own pipeline: send-text (text and
 * voice), send-media (image and video by reference), sync. A stall or an exception storm in send-media never
 * touches the other two: they have their own rings, stage threads, KV clients and sequence clients.
 */
public final class MessagePipelines
{
    /** The send-text service's monitor IDs (780-829). */
    public static final ServiceMonitorIds SEND_TEXT_MONITOR_IDS = new ServiceMonitorIds(
        SEND_TEXT_REQUESTS.id(), SEND_TEXT_ERRORS.id(), SEND_TEXT_LATENCY_MAX_US.id(), SEND_TEXT_IN_FLIGHT.id(),
        SEND_TEXT_KV_OPS.id(), SEND_TEXT_KV_FAILURES.id(), SEND_TEXT_REPLY_DROPPED.id(), 800,
        SEND_TEXT_REQUESTS, SEND_TEXT_ERRORS, SEND_TEXT_LATENCY_MAX_US, SEND_TEXT_IN_FLIGHT, SEND_TEXT_KV_OPS,
        SEND_TEXT_KV_FAILURES, SEND_TEXT_REPLY_DROPPED, SEND_TEXT_SENT, SEND_TEXT_RETRIES, SEND_TEXT_SEQ_FAILURES,
        SEND_TEXT_REJECT_BAD_REQUEST, SEND_TEXT_REJECT_NOT_FOUND, SEND_TEXT_REJECT_BUSY, SEND_TEXT_REJECT_UNAVAILABLE,
        SEND_TEXT_REJECT_INTERNAL, SEND_TEXT_REJECT_NOT_CONTACT, SEND_TEXT_REJECT_BLOCKED,
        SEND_TEXT_REJECT_ID_REUSED);

    /** The send-media service's monitor IDs (830-879). */
    public static final ServiceMonitorIds SEND_MEDIA_MONITOR_IDS = new ServiceMonitorIds(
        SEND_MEDIA_REQUESTS.id(), SEND_MEDIA_ERRORS.id(), SEND_MEDIA_LATENCY_MAX_US.id(), SEND_MEDIA_IN_FLIGHT.id(),
        SEND_MEDIA_KV_OPS.id(), SEND_MEDIA_KV_FAILURES.id(), SEND_MEDIA_REPLY_DROPPED.id(), 850,
        SEND_MEDIA_REQUESTS, SEND_MEDIA_ERRORS, SEND_MEDIA_LATENCY_MAX_US, SEND_MEDIA_IN_FLIGHT, SEND_MEDIA_KV_OPS,
        SEND_MEDIA_KV_FAILURES, SEND_MEDIA_REPLY_DROPPED, SEND_MEDIA_SENT, SEND_MEDIA_RETRIES,
        SEND_MEDIA_SEQ_FAILURES, SEND_MEDIA_REJECT_BAD_REQUEST, SEND_MEDIA_REJECT_NOT_FOUND, SEND_MEDIA_REJECT_BUSY,
        SEND_MEDIA_REJECT_UNAVAILABLE, SEND_MEDIA_REJECT_INTERNAL, SEND_MEDIA_REJECT_NOT_CONTACT,
        SEND_MEDIA_REJECT_BLOCKED, SEND_MEDIA_REJECT_ID_REUSED);

    /** The sync service's monitor IDs (880-929). */
    public static final ServiceMonitorIds SYNC_MONITOR_IDS = new ServiceMonitorIds(
        SYNC_REQUESTS.id(), SYNC_ERRORS.id(), SYNC_LATENCY_MAX_US.id(), SYNC_IN_FLIGHT.id(), SYNC_KV_OPS.id(),
        SYNC_KV_FAILURES.id(), SYNC_REPLY_DROPPED.id(), 900,
        SYNC_REQUESTS, SYNC_ERRORS, SYNC_LATENCY_MAX_US, SYNC_IN_FLIGHT, SYNC_KV_OPS, SYNC_KV_FAILURES,
        SYNC_REPLY_DROPPED, SYNC_MESSAGES, SYNC_HELD_BACK, SYNC_GAPS_SKIPPED, SYNC_REJECT_BAD_REQUEST,
        SYNC_REJECT_BUSY, SYNC_REJECT_UNAVAILABLE, SYNC_REJECT_INTERNAL, SYNC_REJECT_BAD_SYNC_KEY);

    private MessagePipelines()
    {
    }

    /**
     * Start send-text: SendText and SendVoice.
     *
     * @param ctx      the pipeline's settings, with its sequence channels; its monitor IDs are set here.
     * @param messages the message settings; concluded here against the pipeline's KV timeout.
     * @return the running service.
     */
    public static ServicePipeline launchSendText(final ServicePipeline.Context ctx, final Context messages)
    {
        return launchSend(ctx.monitorIds(SEND_TEXT_MONITOR_IDS), messages, SEND_TEXT_SENT.id(),
            SEND_TEXT_RETRIES.id(), SEND_TEXT_SEQ_FAILURES.id());
    }

    /**
     * Start send-media: SendImage and SendVideo.
     *
     * @param ctx      the pipeline's settings, with its sequence channels; its monitor IDs are set here.
     * @param messages the message settings; concluded here against the pipeline's KV timeout.
     * @return the running service.
     */
    public static ServicePipeline launchSendMedia(final ServicePipeline.Context ctx, final Context messages)
    {
        return launchSend(ctx.monitorIds(SEND_MEDIA_MONITOR_IDS), messages, SEND_MEDIA_SENT.id(),
            SEND_MEDIA_RETRIES.id(), SEND_MEDIA_SEQ_FAILURES.id());
    }

    private static ServicePipeline launchSend(final ServicePipeline.Context ctx, final Context messages,
        final int sentId, final int retriesId, final int seqFailuresId)
    {
        messages.conclude(ctx.kvTimeoutNs());
        // ingress -> decode -> send (check, allocate, record, store both timelines via KV) -> reply || notify
        return ServicePipeline.launch(ctx, SendOp::new, (disruptor, handOff) ->
        {
            final SendDecodeStage decode = new SendDecodeStage(handOff);
            final SendStage logic = new SendStage(handOff, ctx.monitor(), sentId, retriesId, seqFailuresId,
                ctx.epochClock(), messages.allowStrangers, messages.storeWindowMs, messages.testHooks,
                messages.stallFile);
            disruptor.handleEventsWith(decode).then(logic);
            return new ServiceStage[]{ decode, logic };
        });
    }

    /**
     * Start sync.
     *
     * @param ctx      the pipeline's settings; its monitor IDs are set here.
     * @param messages the message settings; concluded here against the pipeline's KV timeout.
     * @return the running service.
     */
    public static ServicePipeline launchSync(final ServicePipeline.Context ctx, final Context messages)
    {
        messages.conclude(ctx.kvTimeoutNs());
        // ingress -> decode -> sync (scan the timeline via KV, the gap rule) -> reply
        return ServicePipeline.launch(ctx.monitorIds(SYNC_MONITOR_IDS), SyncOp::new, (disruptor, handOff) ->
        {
            final SyncDecodeStage decode = new SyncDecodeStage(handOff);
            final SyncStage logic = new SyncStage(handOff, ctx.monitor(), ctx.epochClock(), messages.gapTimeoutMs,
                messages.syncMaxMessages, messages.syncMaxBytes);
            disruptor.handleEventsWith(decode).then(logic);
            return new ServiceStage[]{ decode, logic };
        });
    }

    /**
     * Settings of the message services; defaults from {@link MessagesConfiguration}.
     */
    public static final class Context
    {
        private boolean allowStrangers = MessagesConfiguration.allowStrangers();
        private long storeWindowMs = MessagesConfiguration.storeWindowMs();
        private long gapTimeoutMs = MessagesConfiguration.gapTimeoutMs();
        private int syncMaxMessages = MessagesConfiguration.syncMaxMessages();
        private int syncMaxBytes = MessagesConfiguration.syncMaxBytes();
        private boolean testHooks = MessagesConfiguration.testHooks();
        private File stallFile = null == MessagesConfiguration.testStallFile() ? null :
            new File(MessagesConfiguration.testStallFile());

        /**
         * Validate the settings.
         *
         * @param kvTimeoutNs how long the services' KV operations may take: the gap timeout must cover the store
         *                    window plus it.
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude(final long kvTimeoutNs)
        {
            final long kvTimeoutMs = TimeUnit.NANOSECONDS.toMillis(kvTimeoutNs);
            if (storeWindowMs < 1)
            {
                throw new IllegalArgumentException("storeWindowMs=" + storeWindowMs + " must be >= 1");
            }
            if (gapTimeoutMs < storeWindowMs + kvTimeoutMs)
            {
                throw new IllegalArgumentException("gapTimeoutMs=" + gapTimeoutMs + " must be >= storeWindowMs=" +
                    storeWindowMs + " + the KV timeout " + kvTimeoutMs + " ms (plus the machines' clock skew)");
            }
            if (syncMaxMessages < 1 || syncMaxMessages > SyncDecodeStage.MAX_MESSAGES)
            {
                throw new IllegalArgumentException("syncMaxMessages=" + syncMaxMessages + " must be in [1, " +
                    SyncDecodeStage.MAX_MESSAGES + "]");
            }
            if (syncMaxBytes < 1024)
            {
                throw new IllegalArgumentException("syncMaxBytes=" + syncMaxBytes + " must be >= 1024");
            }
            return this;
        }

        /** @param allowStrangers true: anyone may message anyone who has not blocked them. */
        public Context allowStrangers(final boolean allowStrangers)
        {
            this.allowStrangers = allowStrangers;
            return this;
        }

        public Context storeWindowMs(final long storeWindowMs)
        {
            this.storeWindowMs = storeWindowMs;
            return this;
        }

        public Context gapTimeoutMs(final long gapTimeoutMs)
        {
            this.gapTimeoutMs = gapTimeoutMs;
            return this;
        }

        public Context syncMaxMessages(final int syncMaxMessages)
        {
            this.syncMaxMessages = syncMaxMessages;
            return this;
        }

        public Context syncMaxBytes(final int syncMaxBytes)
        {
            this.syncMaxBytes = syncMaxBytes;
            return this;
        }

        /** @param testHooks tests only: the poison and stall media types of send-media act. */
        public Context testHooks(final boolean testHooks)
        {
            this.testHooks = testHooks;
            return this;
        }

        /** @param stallFile tests only: the stall hook blocks while this file exists. */
        public Context stallFile(final File stallFile)
        {
            this.stallFile = stallFile;
            return this;
        }
    }
}
