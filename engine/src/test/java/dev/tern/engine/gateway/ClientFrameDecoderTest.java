package dev.tern.engine.gateway;

import dev.tern.codecs.client.sbe.ContactListEncoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.RegisterEncoder;
import dev.tern.engine.ServiceCatalog;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

@Timeout(10)
class ClientFrameDecoderTest
{
    private final ClientFrameDecoder decoder = new ClientFrameDecoder(ServiceCatalog.allRoutes());
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    private int contactList()
    {
        final ContactListEncoder encoder = new ContactListEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(42);
        encoder.token().hi(7).lo(8);
        encoder.uin(10001).fromUin(0).maxContacts(10);
        return ClientProtocol.HEADER_LENGTH + encoder.encodedLength();
    }

    @Test
    void shouldReadThePrefixOfAValidRequest()
    {
        final int length = contactList();

        assertEquals(ErrorCode.OK.value(), decoder.decode(buffer, 0, length));
        assertEquals(42, decoder.correlationId());
        assertEquals(7, decoder.tokenHi());
        assertEquals(8, decoder.tokenLo());
        assertEquals(10001, decoder.uin());
        assertEquals(ContactListEncoder.TEMPLATE_ID, decoder.templateId());
        assertSame(ServiceCatalog.CONTACTS.serviceId(), decoder.route().serviceId());
    }

    @Test
    void shouldDropAFrameTooShortForACorrelationId()
    {
        contactList();

        assertEquals(ClientFrameDecoder.DROP, decoder.decode(buffer, 0, ClientProtocol.HEADER_LENGTH + 7));
        assertNull(decoder.route());
    }

    @Test
    void shouldDropAnotherSchema()
    {
        final int length = contactList();
        buffer.putShort(4, (short)3, ByteOrder.LITTLE_ENDIAN);

        assertEquals(ClientFrameDecoder.DROP, decoder.decode(buffer, 0, length));
    }

    @Test
    void shouldRefuseAVersionOutsideTheServedRange()
    {
        final int length = contactList();
        buffer.putShort(6, (short)(ClientProtocol.CURRENT_VERSION + 1), ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION.value(), decoder.decode(buffer, 0, length));

        buffer.putShort(6, (short)0, ByteOrder.LITTLE_ENDIAN);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION.value(), decoder.decode(buffer, 0, length));
        assertEquals(42, decoder.correlationId());
    }

    @Test
    void shouldRefuseAnUnroutedTemplate()
    {
        final int length = contactList();
        buffer.putShort(2, (short)99, ByteOrder.LITTLE_ENDIAN);

        assertEquals(ErrorCode.UNKNOWN_REQUEST.value(), decoder.decode(buffer, 0, length));
    }

    @Test
    void shouldRefuseABlockLengthBeyondTheFrame()
    {
        final int length = contactList();
        buffer.putShort(0, (short)(length), ByteOrder.LITTLE_ENDIAN);

        assertEquals(ErrorCode.BAD_REQUEST.value(), decoder.decode(buffer, 0, length));
        assertNull(decoder.route());
    }

    @Test
    void shouldRefuseASessionRequestWhoseBlockMissesTheToken()
    {
        final int length = contactList();
        buffer.putShort(0, (short)(ClientProtocol.SESSION_BLOCK_LENGTH - 1), ByteOrder.LITTLE_ENDIAN);

        assertEquals(ErrorCode.BAD_REQUEST.value(), decoder.decode(buffer, 0, length));
    }

    @Test
    void shouldAcceptAnOpenRequestWithoutAToken()
    {
        final RegisterEncoder encoder = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(5).name("alice");
        encoder.putPassword(new byte[8], 0, 8);

        assertEquals(ErrorCode.OK.value(),
            decoder.decode(buffer, 0, ClientProtocol.HEADER_LENGTH + encoder.encodedLength()));
        assertEquals(0, decoder.tokenHi());
    }

    @Test
    void shouldRefuseRoutingATemplateTwice()
    {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ClientFrameDecoder(
            java.util.List.of(Route.open(2, 1), Route.open(2, 2))));
    }
}
