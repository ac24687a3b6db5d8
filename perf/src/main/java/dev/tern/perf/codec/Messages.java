package dev.tern.perf.codec;

import dev.tern.codecs.client.sbe.LoginEncoder;
import dev.tern.codecs.replication.sbe.KvOp;
import dev.tern.codecs.replication.sbe.KvRequestEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The messages the benchmarks encode, decode and send, so that every benchmark of a message uses the very same
 * bytes: a client request (a Login of an 8-letter name and a 16-byte password, client schema) and a KV put request
 * (16-byte key, 128-byte value, replication schema).
 */
public final class Messages
{
    /** The message names of the benchmarks' {@code message} parameter. */
    public static final String CLIENT_REQUEST = "client-request";
    /** A KV put of a 16-byte key and a 128-byte value. */
    public static final String KV_PUT_REQUEST = "kv-put-request";

    /** Bytes of a KV key. */
    public static final int KEY_LENGTH = 16;
    /** Bytes of a KV value. */
    public static final int VALUE_LENGTH = 128;

    private static final byte[] PASSWORD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME = "tern0001".getBytes(StandardCharsets.US_ASCII);

    private final dev.tern.codecs.client.sbe.MessageHeaderEncoder clientHeader =
        new dev.tern.codecs.client.sbe.MessageHeaderEncoder();
    private final dev.tern.codecs.replication.sbe.MessageHeaderEncoder kvHeader =
        new dev.tern.codecs.replication.sbe.MessageHeaderEncoder();
    private final LoginEncoder login = new LoginEncoder();
    private final KvRequestEncoder kvRequest = new KvRequestEncoder();
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);

    /**
     * Encode a Login request.
     *
     * @param buffer        where.
     * @param offset        at.
     * @param correlationId the request's correlation id.
     * @return the frame's length, message header included.
     */
    public int encodeClientRequest(final MutableDirectBuffer buffer, final int offset, final long correlationId)
    {
        login.wrapAndApplyHeader(buffer, offset, clientHeader)
            .correlationId(correlationId)
            .deviceId(1)
            .putName(NAME, 0, NAME.length)
            .putPassword(PASSWORD, 0, PASSWORD.length);
        return dev.tern.codecs.client.sbe.MessageHeaderEncoder.ENCODED_LENGTH + login.encodedLength();
    }

    /**
     * Encode a KV put request.
     *
     * @param buffer        where.
     * @param offset        at.
     * @param correlationId the request's correlation id (also its sequence).
     * @return the frame's length, message header included.
     */
    public int encodeKvPutRequest(final MutableDirectBuffer buffer, final int offset, final long correlationId)
    {
        key.putLong(KEY_LENGTH - 8, correlationId);
        kvRequest.wrapAndApplyHeader(buffer, offset, kvHeader)
            .clientId(42)
            .requestSequence(correlationId)
            .correlationId(correlationId)
            .groupId(0)
            .op(KvOp.PUT)
            .expectedVersion(0)
            .rowLimit(0)
            .rowsCount(0);
        kvRequest.putKey(key, 0, KEY_LENGTH)
            .putRowKey(key, 0, 0)
            .putRowKeyEnd(key, 0, 0)
            .putValue(value, 0, VALUE_LENGTH);
        return dev.tern.codecs.replication.sbe.MessageHeaderEncoder.ENCODED_LENGTH + kvRequest.encodedLength();
    }

    /**
     * @param message {@link #CLIENT_REQUEST} or {@link #KV_PUT_REQUEST}.
     * @param buffer  where.
     * @return the length of the message encoded there at offset 0.
     * @throws IllegalArgumentException on another name.
     */
    public int encode(final String message, final MutableDirectBuffer buffer)
    {
        switch (message)
        {
            case CLIENT_REQUEST:
                return encodeClientRequest(buffer, 0, 1);
            case KV_PUT_REQUEST:
                return encodeKvPutRequest(buffer, 0, 1);
            default:
                throw new IllegalArgumentException("message=" + message + " must be " + CLIENT_REQUEST + " or " +
                    KV_PUT_REQUEST);
        }
    }
}
