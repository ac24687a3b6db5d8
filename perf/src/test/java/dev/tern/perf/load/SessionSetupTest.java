package dev.tern.perf.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who a simulated user may send to: only users that added it as a contact (the send services' rule).
 */
@Timeout(10)
class SessionSetupTest
{
    @Test
    void shouldSendOnlyToUsersThatAddedTheSender()
    {
        for (final int users : new int[]{ 2, 3, 7, 100 })
        {
            for (final int contacts : new int[]{ 1, 3, 10, 200 })
            {
                for (int user = 0; user < users; user++)
                {
                    for (final int recipient : SessionSetup.recipients(user, users, contacts))
                    {
                        assertNotEquals(user, recipient, "a user never sends to itself");
                        assertTrue(added(recipient, user, users, contacts),
                            "user " + user + " of " + users + " sends to " + recipient + " which did not add it");
                    }
                }
            }
        }
    }

    @Test
    void shouldGiveEachUserAsManyRecipientsAsItHasContacts()
    {
        assertEquals(3, SessionSetup.recipients(5, 100, 3).length);
        assertEquals(6, SessionSetup.recipients(5, 7, 10).length, "no more than the other users");
    }

    @Test
    void shouldWrapRecipientsAroundTheFirstUser()
    {
        assertArrayEquals(new int[]{ 0, 9, 8 }, SessionSetup.recipients(1, 10, 3));
    }

    @Test
    void shouldGiveNoRecipientsWithoutContacts()
    {
        assertEquals(0, SessionSetup.recipients(0, 10, 0).length);
        assertEquals(0, SessionSetup.recipients(0, 1, 5).length);
    }

    private static boolean added(final int user, final int contact, final int users, final int contacts)
    {
        for (int c = 1; c <= SessionSetup.contactsEach(users, contacts); c++)
        {
            if (SessionSetup.contact(user, c, users) == contact)
            {
                return true;
            }
        }
        return false;
    }
}
