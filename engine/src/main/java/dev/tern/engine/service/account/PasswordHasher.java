package dev.tern.engine.service.account;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Salted password hashes with the JDK's PBKDF2 (HMAC-SHA256, 256-bit output). Each byte of the password becomes one
 * char of the key spec (0-255), so any byte string hashes injectively whatever its encoding. Deliberately slow: the
 * iteration count is the cost an attacker pays per guess. Not thread-safe: one per stage.
 */
final class PasswordHasher
{
    static final int SALT_LENGTH = 16;
    static final int HASH_LENGTH = 32;

    private final SecretKeyFactory factory;
    private final SecureRandom random = new SecureRandom();
    private final char[] chars = new char[AccountOp.MAX_PASSWORD_LENGTH];

    PasswordHasher()
    {
        try
        {
            factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", ex);
        }
    }

    /**
     * @param salt filled with random bytes.
     */
    void newSalt(final byte[] salt)
    {
        random.nextBytes(salt);
    }

    /**
     * @param password   the password's bytes.
     * @param length     how many of them.
     * @param salt       {@link #SALT_LENGTH} bytes.
     * @param iterations the PBKDF2 iteration count.
     * @return the {@link #HASH_LENGTH}-byte hash.
     */
    byte[] hash(final byte[] password, final int length, final byte[] salt, final int iterations)
    {
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)(password[i] & 0xFF);
        }
        final char[] exact = Arrays.copyOf(chars, length);
        Arrays.fill(chars, 0, length, '\0');
        final PBEKeySpec spec = new PBEKeySpec(exact, salt, iterations, HASH_LENGTH * 8);
        Arrays.fill(exact, '\0');
        try
        {
            return factory.generateSecret(spec).getEncoded();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("PBKDF2 failed", ex);
        }
        finally
        {
            spec.clearPassword();
        }
    }

    /**
     * Check a password against a stored hash in time that does not depend on where they differ.
     *
     * @return true when the password is the one hashed.
     */
    boolean verify(final byte[] password, final int length, final byte[] salt, final int iterations,
        final byte[] expected)
    {
        return MessageDigest.isEqual(hash(password, length, salt, iterations), expected);
    }
}
