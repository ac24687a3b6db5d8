package dev.tern.engine.service.account;

/**
 * System properties of the account service, and their defaults. The only place they are read.
 */
public final class AccountConfiguration
{
    /**
     * PBKDF2 iterations of new password hashes. The default suits a 2-core laptop (about 2-3 ms a hash); on a
     * dedicated server raise it (OWASP suggests 600,000 for PBKDF2-HMAC-SHA256). Stored per account.
     */
    public static final String PBKDF2_ITERATIONS_PROP_NAME = "tern.account.pbkdf2.iterations";
    public static final int PBKDF2_ITERATIONS_DEFAULT = 10_000;

    /** UINs an account service takes from the shared counter at once (fewer KV round trips per registration). */
    public static final String UIN_BLOCK_SIZE_PROP_NAME = "tern.account.uin.block.size";
    public static final int UIN_BLOCK_SIZE_DEFAULT = 1000;

    /** The first UIN handed out in a new cluster. */
    public static final String FIRST_UIN_PROP_NAME = "tern.account.first.uin";
    public static final long FIRST_UIN_DEFAULT = 10_000;

    private AccountConfiguration()
    {
    }

    public static int pbkdf2Iterations()
    {
        return Integer.getInteger(PBKDF2_ITERATIONS_PROP_NAME, PBKDF2_ITERATIONS_DEFAULT);
    }

    public static int uinBlockSize()
    {
        return Integer.getInteger(UIN_BLOCK_SIZE_PROP_NAME, UIN_BLOCK_SIZE_DEFAULT);
    }

    public static long firstUin()
    {
        return Long.getLong(FIRST_UIN_PROP_NAME, FIRST_UIN_DEFAULT);
    }
}
