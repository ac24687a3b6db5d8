package dev.tern.engine.service.account;

import dev.tern.engine.service.ServiceOp;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A register or login request in the account service: the decoded name and password, and the UIN it works on.
 */
final class AccountOp extends ServiceOp
{
    /** Longest account name. */
    static final int MAX_NAME_LENGTH = 32;
    /** Longest password, bytes. */
    static final int MAX_PASSWORD_LENGTH = 128;

    final UnsafeBuffer name = new UnsafeBuffer(new byte[MAX_NAME_LENGTH]);
    int nameLength;
    final byte[] password = new byte[MAX_PASSWORD_LENGTH];
    int passwordLength;
    long loginDeviceId;
    long accountUin;
    long blockStart;
    int attempts;

    AccountOp(final int index)
    {
        super(index);
    }

    protected void reset()
    {
        super.reset();
        clearPassword();
        nameLength = 0;
        loginDeviceId = 0;
        accountUin = 0;
        blockStart = 0;
        attempts = 0;
    }

    /** A password is kept only as long as the request needs it. */
    void clearPassword()
    {
        Arrays.fill(password, 0, passwordLength, (byte)0);
        passwordLength = 0;
    }
}
