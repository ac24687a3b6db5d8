package dev.tern.engine.service.account;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The value of an account's profile key ({@code a/u/<uin>}): how to check its password, and its name.
 * <pre>
 *    0        1              5                    21                   53        54
 *   +--------+--------------+--------------------+--------------------+---------+----------------+
 *   | format | iterations   | salt               | PBKDF2-HMAC-SHA256 | name    | name           |
 *   | = 1    | uint32 BE    | 16 bytes           | 32 bytes           | length  | ASCII, lower   |
 *   +--------+--------------+--------------------+--------------------+---------+----------------+
 * </pre>
 * The iteration count is stored per account, so raising the setting later keeps old hashes valid.
 */
final class Profile
{
    static final byte FORMAT = 1;
    static final int ITERATIONS_OFFSET = 1;
    static final int SALT_OFFSET = 5;
    static final int HASH_OFFSET = SALT_OFFSET + PasswordHasher.SALT_LENGTH;
    static final int NAME_LENGTH_OFFSET = HASH_OFFSET + PasswordHasher.HASH_LENGTH;
    static final int NAME_OFFSET = NAME_LENGTH_OFFSET + 1;
    static final int MAX_LENGTH = NAME_OFFSET + AccountOp.MAX_NAME_LENGTH;

    private Profile()
    {
    }

    /**
     * @return the profile's length.
     */
    static int encode(final MutableDirectBuffer dst, final int iterations, final byte[] salt, final byte[] hash,
        final DirectBuffer name, final int nameLength)
    {
        dst.putByte(0, FORMAT);
        dst.putInt(ITERATIONS_OFFSET, iterations, ByteOrder.BIG_ENDIAN);
        dst.putBytes(SALT_OFFSET, salt);
        dst.putBytes(HASH_OFFSET, hash);
        dst.putByte(NAME_LENGTH_OFFSET, (byte)nameLength);
        dst.putBytes(NAME_OFFSET, name, 0, nameLength);
        return NAME_OFFSET + nameLength;
    }

    /**
     * @return true when the value is a profile this code can read.
     */
    static boolean isValid(final DirectBuffer value, final int length)
    {
        return length >= NAME_OFFSET && value.getByte(0) == FORMAT &&
            value.getInt(ITERATIONS_OFFSET, ByteOrder.BIG_ENDIAN) > 0 &&
            NAME_OFFSET + (value.getByte(NAME_LENGTH_OFFSET) & 0xFF) == length;
    }

    static int iterations(final DirectBuffer value)
    {
        return value.getInt(ITERATIONS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    static void salt(final DirectBuffer value, final byte[] salt)
    {
        value.getBytes(SALT_OFFSET, salt);
    }

    static void hash(final DirectBuffer value, final byte[] hash)
    {
        value.getBytes(HASH_OFFSET, hash);
    }
}
