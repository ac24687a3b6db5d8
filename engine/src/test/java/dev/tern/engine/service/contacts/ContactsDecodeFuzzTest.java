package dev.tern.engine.service.contacts;

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
 * Arbitrary frames through the contacts service's decode stage: every input decodes to a request whose fields are
 * within their limits, or to a clear error; no exception escapes.
 */
@Timeout(60)
class ContactsDecodeFuzzTest
{
    private static final long SEED = 5_050_2025L;
    private static final int INPUTS = 200_000;
    private static final long SESSION_UIN = 10_001;

    @Test
    void shouldDecodeEveryInputToAValidRequestOrAClearError()
    {
        final ContactsDecodeStage stage = new ContactsDecodeStage(new ManyToOneConcurrentArrayQueue<>(1));
        final ContactsOp op = new ContactsOp(0);
        final FrameFuzzer fuzzer = new FrameFuzzer(SEED, 1, 2, SESSION_UIN);
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
                assertTrue(op.contactUin >= 0 && op.contactUin <= ClientProtocol.MAX_UIN);
                assertNotEquals(SESSION_UIN, op.contactUin);
                assertTrue(op.fromUin >= 0 && op.fromUin <= ClientProtocol.MAX_UIN);
                assertTrue(op.maxContacts >= 0 && op.maxContacts <= ClientProtocol.MAX_CONTACTS_PAGE);
            }
        }

        System.out.println("contacts decode fuzz, seed " + SEED + ": " + outcomes);
        assertTrue(outcomes.getOrDefault(ErrorCode.OK, 0) > 0);
        assertTrue(outcomes.getOrDefault(ErrorCode.BAD_REQUEST, 0) > 0);
    }
}
