package dev.tern.engine.seq;

/**
 * Where the sections' ceilings are kept (KVSvr, {@link KvCeilingStore}): asynchronous, answers delivered to the
 * listener on the thread that polls the store, never from within a call. Results are
 * {@link dev.tern.storage.ResultCode} values.
 */
interface CeilingStore
{
    /**
     * Receives the store's answers.
     */
    interface Listener
    {
        /**
         * @param section      the section read.
         * @param result       OK, NOT_FOUND, or a failure (the outcome of a read is then simply unknown).
         * @param version      OK: the stored record's version, for the next write.
         * @param ceiling      OK: no sequence of the section was or will be handed out above it by its owner.
         * @param owner        OK: the allocator that wrote it last.
         * @param leaseUntilMs OK: until when the owner may hand out sequences (ms since the epoch).
         */
        void onRead(int section, int result, long version, long ceiling, long owner, long leaseUntilMs);

        /**
         * @param section the section written.
         * @param result  OK; VERSION_MISMATCH or ALREADY_EXISTS when another writer came first; a failure when the
         *                outcome is unknown.
         * @param version OK: the record's new version.
         */
        void onWritten(int section, int result, long version);
    }

    /**
     * Read a section's record.
     *
     * @return false when the store cannot take the request now (try again later).
     */
    boolean read(int section, Listener listener);

    /**
     * Write a section's record if it is still at {@code expectedVersion} (compare-and-set).
     *
     * @param expectedVersion the version read, or 0 when the record must not exist yet.
     * @return false when the store cannot take the request now (try again later).
     */
    boolean write(int section, long expectedVersion, long ceiling, long owner, long leaseUntilMs, Listener listener);

    /**
     * Deliver answers.
     *
     * @return the amount of work done.
     */
    int poll();
}
