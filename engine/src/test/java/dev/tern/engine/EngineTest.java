package dev.tern.engine;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.engine.test.TestClients;
import dev.tern.engine.test.TestEngines;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.client.TernBlockingClient;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class EngineTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private Engine engine;
    private EmbeddedDriver clientDriver;
    private TernBlockingClient alice;

    @BeforeEach
    void start()
    {
        engine = Engine.launch(TestEngines.context(dir));
        clientDriver = TestMediaDriver.launch();
        alice = TestClients.connect(clientDriver, engine.gatewayEndpoint());
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(alice, clientDriver, engine);
    }

    @Test
    void shouldRegisterLoginAndKeepContacts()
    {
        final TernBlockingClient.Registered registered = alice.register("alice", "password1");
        assertEquals(ErrorCode.OK, registered.code());
        final TernBlockingClient.Registered bob = alice.register("bob", "password2");
        assertEquals(ErrorCode.OK, bob.code());
        assertTrue(bob.uin() != registered.uin());

        final TernBlockingClient.LoggedIn login = alice.login("alice", "password1");
        assertEquals(ErrorCode.OK, login.code(), login.toString());
        assertEquals(registered.uin(), login.uin());

        assertEquals(ErrorCode.OK, alice.addContact(bob.uin()).code());
        final TernBlockingClient.Contacts contacts = alice.listAllContacts();
        assertEquals(ErrorCode.OK, contacts.code());
        assertEquals(List.of(bob.uin()), contacts.uins());
    }
}
