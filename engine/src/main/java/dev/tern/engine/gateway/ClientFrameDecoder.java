package dev.tern.engine.gateway;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.List;

/**
 * The gateway's decode path: checks a client frame against its own length before reading anything the header
 * promises, then reads only the common prefix of the root block (see {@link ClientProtocol}): correlation id and,
 * for requests that need a session, the token and uin. Template-specific fields are decoded by the service, on a
 * view of exactly the frame.
 * <p>
 * Checks, in order: a header and a correlation id fit ({@link #DROP} otherwise: there is nobody to answer); the
 * schema id is the client schema's ({@link #DROP}); the version is served (UNSUPPORTED_VERSION); the template is
 * routed (UNKNOWN_REQUEST); the root block holds the prefix and fits in the frame (BAD_REQUEST).
 * <p>
 * Never throws, allocates nothing, keeps no state between frames but the last result's fields.
 */
public final class ClientFrameDecoder
{
    /** The frame cannot be answered (no correlation id, or not the client protocol): drop it and count it. */
    public static final int DROP = -1;

    private static final int HEADER = ClientProtocol.HEADER_LENGTH;

    private final Route[] routes = new Route[Route.MAX_TEMPLATE_ID];
    private int templateId;
    private int version;
    private int blockLength;
    private long correlationId;
    private long tokenHi;
    private long tokenLo;
    private long uin;
    private Route route;

    /**
     * @param routes the templates served; one route per template.
     * @throws IllegalArgumentException when a template is routed twice.
     */
    public ClientFrameDecoder(final List<Route> routes)
    {
        for (final Route route : routes)
        {
            if (null != this.routes[route.templateId()])
            {
                throw new IllegalArgumentException("template " + route.templateId() + " is routed twice");
            }
            this.routes[route.templateId()] = route;
        }
    }

    /**
     * Check a frame and read its prefix.
     *
     * @param buffer holds the frame.
     * @param offset of the frame's message header.
     * @param length of the frame.
     * @return an {@link ErrorCode} value (OK: the fields of this decoder describe a request to route), or
     * {@link #DROP}.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        templateId = 0;
        version = 0;
        blockLength = 0;
        correlationId = 0;
        tokenHi = 0;
        tokenLo = 0;
        uin = 0;
        route = null;
        if (length < HEADER + ClientProtocol.MIN_BLOCK_LENGTH || offset < 0 || offset + length > buffer.capacity())
        {
            return DROP;
        }
        if ((buffer.getShort(offset + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != ClientProtocol.SCHEMA_ID)
        {
            return DROP;
        }
        blockLength = buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        version = buffer.getShort(offset + 6, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        correlationId = buffer.getLong(offset + HEADER + ClientProtocol.CORRELATION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);

        if (version < ClientProtocol.MIN_SUPPORTED_VERSION || version > ClientProtocol.CURRENT_VERSION)
        {
            return ErrorCode.UNSUPPORTED_VERSION.value();
        }
        final Route candidate = templateId < Route.MAX_TEMPLATE_ID ? routes[templateId] : null;
        if (null == candidate)
        {
            return ErrorCode.UNKNOWN_REQUEST.value();
        }
        if (blockLength < candidate.minBlockLength() || HEADER + blockLength > length)
        {
            return ErrorCode.BAD_REQUEST.value();
        }
        if (candidate.requiresSession())
        {
            tokenHi = buffer.getLong(offset + HEADER + ClientProtocol.TOKEN_HI_OFFSET, ByteOrder.LITTLE_ENDIAN);
            tokenLo = buffer.getLong(offset + HEADER + ClientProtocol.TOKEN_LO_OFFSET, ByteOrder.LITTLE_ENDIAN);
            uin = buffer.getInt(offset + HEADER + ClientProtocol.UIN_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        }
        route = candidate;
        return ErrorCode.OK.value();
    }

    /** @return the last frame's template id (0 when it had no readable header). */
    public int templateId()
    {
        return templateId;
    }

    /** @return the last frame's schema version. */
    public int version()
    {
        return version;
    }

    /** @return the last frame's root block length. */
    public int blockLength()
    {
        return blockLength;
    }

    /** @return the last frame's correlation id. */
    public long correlationId()
    {
        return correlationId;
    }

    /** @return the last frame's token, high bits (requests that need a session). */
    public long tokenHi()
    {
        return tokenHi;
    }

    /** @return the last frame's token, low bits. */
    public long tokenLo()
    {
        return tokenLo;
    }

    /** @return the uin the last frame acts as: 0 (the session's own) or a UIN that must be the session's. */
    public long uin()
    {
        return uin;
    }

    /** @return the last frame's route when {@link #decode} returned OK, else null. */
    public Route route()
    {
        return route;
    }
}
