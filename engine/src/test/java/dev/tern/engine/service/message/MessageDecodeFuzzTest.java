package dev.tern.engine.service.message;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.test.FrameFuzzer;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary frames through the decode stages of send-text, send-media and sync: every input decodes to a request
 * whose fields are within their limits, or to a clear error; no exception escapes.
 */
@Timeout(60)
class MessageDecodeFuzzTest
{
    private static final long SEED = 6_060_2025L;
    private static final int INPUTS = 200_000;
    private static final long SESSION_UIN = 10_001;

    private static FrameFuzzer fuzzer()
    {
        final FrameFuzzer fuzzer = new FrameFuzzer(SEED, 1, 2, SESSION_UIN);
        fuzzer.corpus().clear();
        fuzzer.corpus().addAll(FrameFuzzer.messageFrames(1, 2, SESSION_UIN));
        return fuzzer;
    }

    @Test
    void shouldDecodeEverySendToAValidMessageOrAClearError()
    {
        final SendDecodeStage stage = new SendDecodeStage(new ManyToOneConcurrentArrayQueue<>(1));
        final SendOp op = new SendOp(0);
        final FrameFuzzer fuzzer = fuzzer();
        final Map<ErrorCode, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < INPUTS; i++)
        {
            final byte[] frame = fuzzer.next();
            if (frame.length < ServiceOp.MIN_REQUEST_LENGTH)
            {
                continue;
            }
            op.reset();
            op.uin = SESSION_UIN;
            op.request(new UnsafeBuffer(frame), 0, frame.length);

            final ErrorCode code = stage.decode(op);

            assertNotNull(code);
            outcomes.merge(code, 1, Integer::sum);
            if (ErrorCode.OK == code)
            {
                assertTrue(op.kind >= 1 && op.kind <= MessageRow.MAX_KIND);
                assertTrue(op.toUin >= 1 && op.toUin <= ClientProtocol.MAX_UIN);
                assertNotEquals(SESSION_UIN, op.toUin);
                assertTrue(op.bodyLength <= SendOp.MAX_BODY && op.refLength <= SendOp.MAX_REF &&
                    op.typeLength <= SendOp.MAX_TYPE);
                assertTrue(op.sizeBytes >= 0 && op.durationMs >= 0);
            }
        }
        System.out.println("send decode fuzz, seed " + SEED + ": " + outcomes);
        assertTrue(outcomes.getOrDefault(ErrorCode.OK, 0) > 0);
        assertTrue(outcomes.getOrDefault(ErrorCode.BAD_REQUEST, 0) > 0);
    }

    @Test
    void shouldDecodeEverySyncToAValidRequestOrAClearError()
    {
        final SyncDecodeStage stage = new SyncDecodeStage(new ManyToOneConcurrentArrayQueue<>(1));
        final SyncOp op = new SyncOp(0);
        final FrameFuzzer fuzzer = fuzzer();
        final Map<ErrorCode, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < INPUTS; i++)
        {
            final byte[] frame = fuzzer.next();
            if (frame.length < ServiceOp.MIN_REQUEST_LENGTH)
            {
                continue;
            }
            op.reset();
            op.uin = SESSION_UIN;
            op.request(new UnsafeBuffer(frame), 0, frame.length);

            final ErrorCode code = stage.decode(op);

            assertNotNull(code);
            outcomes.merge(code, 1, Integer::sum);
            if (ErrorCode.OK == code)
            {
                assertTrue(op.syncKey >= 0);
                assertTrue(op.maxMessages >= 1 && op.maxMessages <= SyncDecodeStage.MAX_MESSAGES);
            }
        }
        System.out.println("sync decode fuzz, seed " + SEED + ": " + outcomes);
        assertTrue(outcomes.getOrDefault(ErrorCode.OK, 0) > 0);
        assertTrue(outcomes.getOrDefault(ErrorCode.BAD_REQUEST, 0) > 0);
    }
}
