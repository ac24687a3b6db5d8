package dev.tern.storage.replication.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LinearizabilityCheckerTest
{
    private record Write(int value)
    {
    }

    private record Read()
    {
    }

    /** A register of ints: writes return "ok", reads return the value. */
    private static final Model<Integer> REGISTER = new Model<>()
    {
        public Integer initial()
        {
            return 0;
        }

        public Integer step(final Integer state, final Object input, final Object output)
        {
            if (input instanceof Write write)
            {
                return null == output || "ok".equals(output) ? write.value() : null;
            }
            return null == output || Objects.equals(output, state) ? state : null;
        }
    };

    private static Operation op(final int client, final Object input, final Object output, final long call, final long ret)
    {
        return new Operation(client, "k", input, output, call, ret);
    }

    @Test
    void shouldAcceptAReadThatOverlapsAWriteAndSeesEitherValue()
    {
        final List<Operation> history = List.of(
            op(0, new Write(1), "ok", 0, 10),
            op(1, new Read(), 0, 5, 15),
            op(2, new Read(), 1, 6, 16));

        assertTrue(LinearizabilityChecker.check(history, REGISTER, 100_000).linearizable());
    }

    @Test
    void shouldRejectAStaleReadAfterACompletedWrite()
    {
        final List<Operation> history = List.of(
            op(0, new Write(1), "ok", 0, 10),
            op(1, new Read(), 0, 11, 20));

        final LinearizabilityChecker.Result result = LinearizabilityChecker.check(history, REGISTER, 100_000);
        assertFalse(result.linearizable());
        assertTrue(result.describe().contains("NOT linearizable on key k"));
    }

    @Test
    void shouldRejectNewOldInversionBetweenTwoReads()
    {
        final List<Operation> history = List.of(
            op(0, new Write(1), "ok", 0, 100),
            op(1, new Read(), 1, 10, 20),
            op(2, new Read(), 0, 30, 40));

        assertFalse(LinearizabilityChecker.check(history, REGISTER, 100_000).linearizable());
    }

    @Test
    void shouldLetAWriteWithUnknownOutcomeHappenOrNot()
    {
        final List<Operation> happened = List.of(
            op(0, new Write(7), null, 0, 0),
            op(1, new Read(), 7, 50, 60));
        final List<Operation> notHappened = List.of(
            op(0, new Write(7), null, 0, 0),
            op(1, new Read(), 0, 50, 60));

        assertTrue(LinearizabilityChecker.check(happened, REGISTER, 100_000).linearizable());
        assertTrue(LinearizabilityChecker.check(notHappened, REGISTER, 100_000).linearizable());
    }

    @Test
    void shouldNotLetAnUnknownWriteTakeEffectBeforeItWasCalled()
    {
        final List<Operation> history = List.of(
            op(1, new Read(), 7, 0, 10),
            op(0, new Write(7), null, 20, 0));

        assertFalse(LinearizabilityChecker.check(history, REGISTER, 100_000).linearizable());
    }

    @Test
    void shouldRejectAnUnknownWriteSeenAndThenUnseen()
    {
        final List<Operation> history = List.of(
            op(0, new Write(7), null, 0, 0),
            op(1, new Read(), 7, 10, 20),
            op(1, new Read(), 0, 30, 40));

        assertFalse(LinearizabilityChecker.check(history, REGISTER, 100_000).linearizable());
    }

    @Test
    void shouldCheckKeysIndependently()
    {
        final List<Operation> history = List.of(
            new Operation(0, "a", new Write(1), "ok", 0, 10),
            new Operation(1, "b", new Read(), 0, 11, 20),
            new Operation(1, "a", new Read(), 1, 21, 30));

        assertTrue(LinearizabilityChecker.check(history, REGISTER, 100_000).linearizable());
    }

    @Test
    void shouldHandleManyConcurrentOperations()
    {
        final java.util.ArrayList<Operation> history = new java.util.ArrayList<>();
        // 5 clients each writing their id then reading, all overlapping: linearizable whichever order
        for (int c = 0; c < 5; c++)
        {
            history.add(op(c, new Write(c + 1), "ok", c, 100 + c));
        }
        history.add(op(9, new Read(), 3, 50, 150));
        history.add(op(9, new Read(), 3, 160, 170));

        assertTrue(LinearizabilityChecker.check(history, REGISTER, 1_000_000).linearizable());
    }
}
