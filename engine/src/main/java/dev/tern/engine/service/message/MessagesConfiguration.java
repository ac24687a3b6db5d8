package dev.tern.engine.service.message;

/**
 * System properties of the message services (send-text, send-media, sync), and their defaults. The only place they
 * are read.
 */
public final class MessagesConfiguration
{
    /** true: anyone may message anyone who has not blocked them; false (default): only the recipient's contacts. */
    public static final String ALLOW_STRANGERS_PROP_NAME = "tern.messages.allow.strangers";

    /**
     * How long after a send asked for its sequences it may still write their rows, ms. A send that could not store
     * by then answers UNAVAILABLE, and its retry allocates new sequences for what is missing.
     */
    public static final String STORE_WINDOW_MS_PROP_NAME = "tern.messages.store.window.ms";
    public static final long STORE_WINDOW_MS_DEFAULT = 4000;

    /**
     * After how long sync gives up on a missing sequence (allocated, never stored) and skips it, ms. At least the
     * store window plus the KV request timeout plus the clock skew between the engine's machines: no write of a
     * skipped sequence can land after it is skipped.
     */
    public static final String GAP_TIMEOUT_MS_PROP_NAME = "tern.messages.gap.timeout.ms";
    public static final long GAP_TIMEOUT_MS_DEFAULT = 7000;

    /** Most messages one sync returns (at most 100). */
    public static final String SYNC_MAX_MESSAGES_PROP_NAME = "tern.sync.max.messages";
    public static final int SYNC_MAX_MESSAGES_DEFAULT = 100;

    /**
     * Most bytes of messages one sync answer carries; keep it under an eighth of the Aeron term length of the
     * gateway's client publications (Aeron's largest message).
     */
    public static final String SYNC_MAX_BYTES_PROP_NAME = "tern.sync.max.bytes";
    public static final int SYNC_MAX_BYTES_DEFAULT = 24 * 1024;

    /** Tests only: media type x-test/poison makes send-media throw, x-test/stall blocks it (see the stall file). */
    public static final String TEST_HOOKS_PROP_NAME = "tern.messages.test.hooks";

    /** Tests only: the stall hook blocks while this file exists. */
    public static final String TEST_STALL_FILE_PROP_NAME = "tern.messages.test.stall.file";

    /** Tests only, with the hooks on: an image or video of this media type makes send-media throw. */
    public static final String TEST_POISON_MEDIA_TYPE = "x-test/poison";

    /** Tests only, with the hooks on: send-media blocks on an image or video of this type while the stall file exists. */
    public static final String TEST_STALL_MEDIA_TYPE = "x-test/stall";

    private MessagesConfiguration()
    {
    }

    public static boolean allowStrangers()
    {
        return Boolean.parseBoolean(System.getProperty(ALLOW_STRANGERS_PROP_NAME, "false"));
    }

    public static long storeWindowMs()
    {
        return Long.getLong(STORE_WINDOW_MS_PROP_NAME, STORE_WINDOW_MS_DEFAULT);
    }

    public static long gapTimeoutMs()
    {
        return Long.getLong(GAP_TIMEOUT_MS_PROP_NAME, GAP_TIMEOUT_MS_DEFAULT);
    }

    public static int syncMaxMessages()
    {
        return Integer.getInteger(SYNC_MAX_MESSAGES_PROP_NAME, SYNC_MAX_MESSAGES_DEFAULT);
    }

    public static int syncMaxBytes()
    {
        return Integer.getInteger(SYNC_MAX_BYTES_PROP_NAME, SYNC_MAX_BYTES_DEFAULT);
    }

    public static boolean testHooks()
    {
        return Boolean.parseBoolean(System.getProperty(TEST_HOOKS_PROP_NAME, "false"));
    }

    /** @return the stall file when set, else null. */
    public static String testStallFile()
    {
        return System.getProperty(TEST_STALL_FILE_PROP_NAME);
    }
}
