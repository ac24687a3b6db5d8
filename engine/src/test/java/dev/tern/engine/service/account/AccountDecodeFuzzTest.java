package dev.tern.engine.service.account;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.test.FrameFuzzer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary frames through the account service's decode stage, as its I/O agent hands them in: every input decodes
 * to a request whose fields are within their limits, or to a clear error; no exception escapes.
 */
@Timeout(60)
class AccountDecodeFuzzTest
{
    private static final long SEED = 20_250_505L;
    private static final int INPUTS = 200_000;

    @Test
    void shouldDecodeEveryInputToAValidRequestOrAClearError()
    {
        final AccountDecodeStage stage = new AccountDecodeStage(new ManyToOneConcurrentArrayQueue<>(1));
        final AccountOp op = new AccountOp(0);
        final FrameFuzzer fuzzer = new FrameFuzzer(SEED, 1, 2, 10_001);
        final Map<ErrorCode, Integer> outcomes = new TreeMap<>();

        for (int i = 0; i < INPUTS; i++)
        {
            final byte[] frame = fuzzer.next();
            if (frame.length < ServiceOp.MIN_REQUEST_LENGTH)
            {
                continue;
            }
            op.reset();
            op.request(new UnsafeBuffer(frame), 0, frame.length);

            final ErrorCode code = stage.decode(op);

            assertNotNull(code);
            outcomes.merge(code, 1, Integer::sum);
            if (ErrorCode.OK == code)
            {
                assertValid(op);
            }
        }

        System.out.println("account decode fuzz, seed " + SEED + ": " + outcomes);
        assertTrue(outcomes.getOrDefault(ErrorCode.OK, 0) > 0);
        assertTrue(outcomes.getOrDefault(ErrorCode.BAD_REQUEST, 0) > 0);
    }

    private static void assertValid(final AccountOp op)
    {
        assertTrue(op.nameLength >= 1 && op.nameLength <= AccountOp.MAX_NAME_LENGTH, "name length " + op.nameLength);
        for (int i = 0; i < op.nameLength; i++)
        {
            final byte b = op.name.getByte(i);
            assertTrue(b >= 'a' && b <= 'z' || b >= '0' && b <= '9', "name byte " + b);
        }
        assertTrue(op.passwordLength >= 1 && op.passwordLength <= AccountOp.MAX_PASSWORD_LENGTH);
        assertTrue(op.loginDeviceId >= 0 && op.loginDeviceId < 0xFFFF_FFFFL);
    }
}
