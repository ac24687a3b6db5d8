package dev.tern.storage.replication.check;

/**
 * A sequential specification: the state of one object and what each operation does to it.
 *
 * @param <S> immutable state with value equality (used to memoise the search).
 */
public interface Model<S>
{
    /** @return the state of an object nobody has touched. */
    S initial();

    /**
     * Apply an operation to a state.
     *
     * @param state  the state before.
     * @param input  the operation's request.
     * @param output the observed response, or null when unknown (then any response is acceptable).
     * @return the state after, or null when the observed output is not what the operation would return in this
     * state.
     */
    S step(S state, Object input, Object output);
}
