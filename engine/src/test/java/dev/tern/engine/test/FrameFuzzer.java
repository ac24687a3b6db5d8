package dev.tern.engine.test;

import dev.tern.codecs.client.sbe.ClientHelloEncoder;
import dev.tern.codecs.client.sbe.ContactAddEncoder;
import dev.tern.codecs.client.sbe.ContactBlockEncoder;
import dev.tern.codecs.client.sbe.ContactListEncoder;
import dev.tern.codecs.client.sbe.ContactRemoveEncoder;
import dev.tern.codecs.client.sbe.ContactUnblockEncoder;
import dev.tern.codecs.client.sbe.LoginEncoder;
import dev.tern.codecs.client.sbe.LogoutEncoder;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.RegisterEncoder;
import dev.tern.codecs.client.sbe.SendImageEncoder;
import dev.tern.codecs.client.sbe.SendTextEncoder;
import dev.tern.codecs.client.sbe.SendVideoEncoder;
import dev.tern.codecs.client.sbe.SendVoiceEncoder;
import dev.tern.codecs.client.sbe.SyncEncoder;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Client frames for fuzzing the decode paths, from a seed: valid frames of every request template (the corpus),
 * then random and structured mutations of them: truncations, bit flips, lying block and var-data lengths, other
 * schemas, versions and templates, garbage appended, and plain random bytes.
 */
public final class FrameFuzzer
{
    private static final int HEADER = ClientProtocol.HEADER_LENGTH;

    private final Random random;
    private final List<byte[]> corpus;

    /**
     * @param seed    the seed: the same seed gives the same frames.
     * @param tokenHi the token valid frames carry.
     * @param tokenLo the token valid frames carry.
     * @param uin     the uin valid frames act as.
     */
    public FrameFuzzer(final long seed, final long tokenHi, final long tokenLo, final long uin)
    {
        random = new Random(seed);
        corpus = validFrames(tokenHi, tokenLo, uin);
    }

    /** @return the valid frames mutations start from. */
    public List<byte[]> corpus()
    {
        return corpus;
    }

    /** @return the next frame: a valid one now and then, mostly mutations. */
    public byte[] next()
    {
        final byte[] seed = corpus.get(random.nextInt(corpus.size()));
        switch (random.nextInt(10))
        {
            case 0:
                return randomBytes(random.nextInt(160));
            case 1:
                return Arrays.copyOf(seed, random.nextInt(seed.length + 1));
            case 2:
                return flipBits(seed.clone(), 1 + random.nextInt(4));
            case 3:
                return withShort(seed.clone(), 0, lyingLength(seed.length));
            case 4:
                return withShort(seed.clone(), 2, random.nextBoolean() ? random.nextInt(300) : random.nextInt(65536));
            case 5:
                return withShort(seed.clone(), 4, random.nextBoolean() ? random.nextInt(8) : random.nextInt(65536));
            case 6:
                return withShort(seed.clone(), 6,
                    new int[]{ 0, 1, 2, 3, 4, 65535, random.nextInt(65536) }[random.nextInt(7)]);
            case 7:
                return lieAboutVarData(seed.clone());
            case 8:
                final byte[] longer = Arrays.copyOf(seed, seed.length + 1 + random.nextInt(64));
                System.arraycopy(randomBytes(longer.length - seed.length), 0, longer, seed.length,
                    longer.length - seed.length);
                return longer;
            default:
                return random.nextInt(4) == 0 ? seed.clone() : flipBits(seed.clone(), 1);
        }
    }

    private int lyingLength(final int frameLength)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return 0;
            case 1:
                return 65535;
            case 2:
                return frameLength - HEADER + 1 + random.nextInt(8);
            default:
                return random.nextInt(64);
        }
    }

    /** Var-data lengths (uint16) follow the root block: claim more (or less) than there is. */
    private byte[] lieAboutVarData(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int blockLength = buffer.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int lengthOffset = HEADER + blockLength;
        if (lengthOffset + 2 > frame.length)
        {
            return flipBits(frame, 2);
        }
        final int[] lies = { 65535, 32768, frame.length, frame.length - lengthOffset - 1, 0, random.nextInt(65536) };
        buffer.putShort(lengthOffset, (short)lies[random.nextInt(lies.length)], ByteOrder.LITTLE_ENDIAN);
        return frame;
    }

    private byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length >= HEADER && random.nextBoolean())
        {
            // a plausible header makes the random body reach further into the decoders
            new UnsafeBuffer(bytes).putShort(4, (short)ClientProtocol.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
            new UnsafeBuffer(bytes).putShort(6, (short)(1 + random.nextInt(ClientProtocol.CURRENT_VERSION)),
                ByteOrder.LITTLE_ENDIAN);
        }
        return bytes;
    }

    private byte[] flipBits(final byte[] frame, final int flips)
    {
        for (int i = 0; i < flips && frame.length > 0; i++)
        {
            frame[random.nextInt(frame.length)] ^= (byte)(1 << random.nextInt(8));
        }
        return frame;
    }

    private static byte[] withShort(final byte[] frame, final int offset, final int value)
    {
        if (frame.length >= offset + 2)
        {
            new UnsafeBuffer(frame).putShort(offset, (short)value, ByteOrder.LITTLE_ENDIAN);
        }
        return frame;
    }

    /**
     * @return one valid frame of each request template, version 1 Login included.
     */
    public static List<byte[]> validFrames(final long tokenHi, final long tokenLo, final long uin)
    {
        final List<byte[]> frames = new ArrayList<>();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] password = "correct horse".getBytes(StandardCharsets.UTF_8);

        final ClientHelloEncoder hello = new ClientHelloEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1).responseStreamId(21).responseChannel("aeron:udp?endpoint=127.0.0.1:40123");
        frames.add(copy(buffer, HEADER + hello.encodedLength()));

        final RegisterEncoder register = new RegisterEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(2).name("Alice42");
        register.putPassword(password, 0, password.length);
        frames.add(copy(buffer, HEADER + register.encodedLength()));

        final LoginEncoder login = new LoginEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(3).deviceId(7).name("alice42");
        login.putPassword(password, 0, password.length);
        frames.add(copy(buffer, HEADER + login.encodedLength()));
        frames.add(loginVersion1(3, "alice42", password));

        final LogoutEncoder logout = new LogoutEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(4);
        logout.token().hi(tokenHi).lo(tokenLo);
        logout.uin(uin);
        frames.add(copy(buffer, HEADER + logout.encodedLength()));

        final ContactAddEncoder add = new ContactAddEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(5);
        add.token().hi(tokenHi).lo(tokenLo);
        add.uin(0).contactUin(uin + 1);
        frames.add(copy(buffer, HEADER + add.encodedLength()));

        final ContactRemoveEncoder remove = new ContactRemoveEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(6);
        remove.token().hi(tokenHi).lo(tokenLo);
        remove.uin(uin).contactUin(uin + 2);
        frames.add(copy(buffer, HEADER + remove.encodedLength()));

        final ContactListEncoder list = new ContactListEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(7);
        list.token().hi(tokenHi).lo(tokenLo);
        list.uin(0).fromUin(0).maxContacts(100);
        frames.add(copy(buffer, HEADER + list.encodedLength()));

        final ContactBlockEncoder block = new ContactBlockEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(8);
        block.token().hi(tokenHi).lo(tokenLo);
        block.uin(0).contactUin(uin + 3);
        frames.add(copy(buffer, HEADER + block.encodedLength()));

        final ContactUnblockEncoder unblock = new ContactUnblockEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(9);
        unblock.token().hi(tokenHi).lo(tokenLo);
        unblock.uin(uin).contactUin(uin + 3);
        frames.add(copy(buffer, HEADER + unblock.encodedLength()));

        frames.addAll(messageFrames(tokenHi, tokenLo, uin));
        return frames;
    }

    /**
     * @return one valid frame of each message template: SendText, SendVoice, SendImage, SendVideo, Sync.
     */
    public static List<byte[]> messageFrames(final long tokenHi, final long tokenLo, final long uin)
    {
        final List<byte[]> frames = new ArrayList<>();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] body = "hello there".getBytes(StandardCharsets.UTF_8);

        final SendTextEncoder text = new SendTextEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(20);
        text.token().hi(tokenHi).lo(tokenLo);
        text.uin(0).toUin(uin + 1).clientMessageId(1).putText(body, 0, body.length);
        frames.add(copy(buffer, HEADER + text.encodedLength()));

        final SendVoiceEncoder voice = new SendVoiceEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(21);
        voice.token().hi(tokenHi).lo(tokenLo);
        voice.uin(uin).toUin(uin + 1).clientMessageId(2).durationMs(1500).putVoice(body, 0, body.length);
        frames.add(copy(buffer, HEADER + voice.encodedLength()));

        final SendImageEncoder image = new SendImageEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(22);
        image.token().hi(tokenHi).lo(tokenLo);
        image.uin(0).toUin(uin + 2).clientMessageId(3).sizeBytes(4096).mediaRef("blob:abc").mediaType("image/png")
            .putThumbnail(body, 0, body.length);
        frames.add(copy(buffer, HEADER + image.encodedLength()));

        final SendVideoEncoder video = new SendVideoEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(23);
        video.token().hi(tokenHi).lo(tokenLo);
        video.uin(0).toUin(uin + 2).clientMessageId(4).sizeBytes(1 << 20).durationMs(60_000)
            .mediaRef("https://cdn.example/v.mp4").mediaType("video/mp4").putThumbnail(body, 0, 0);
        frames.add(copy(buffer, HEADER + video.encodedLength()));

        final SyncEncoder sync = new SyncEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(24);
        sync.token().hi(tokenHi).lo(tokenLo);
        sync.uin(0).syncKey(17).maxMessages(50);
        frames.add(copy(buffer, HEADER + sync.encodedLength()));
        return frames;
    }

    /**
     * A Login as a version 1 client encodes it: no deviceId, an 8-byte root block, version 1 in the header.
     *
     * @return the frame.
     */
    public static byte[] loginVersion1(final long correlationId, final String name, final byte[] password)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[HEADER + 8 + 2 + nameBytes.length + 2 + password.length]);
        frame.putShort(0, (short)8, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(2, (short)LoginEncoder.TEMPLATE_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(4, (short)ClientProtocol.SCHEMA_ID, ByteOrder.LITTLE_ENDIAN);
        frame.putShort(6, (short)1, ByteOrder.LITTLE_ENDIAN);
        frame.putLong(HEADER, correlationId, ByteOrder.LITTLE_ENDIAN);
        int offset = HEADER + 8;
        frame.putShort(offset, (short)nameBytes.length, ByteOrder.LITTLE_ENDIAN);
        frame.putBytes(offset + 2, nameBytes);
        offset += 2 + nameBytes.length;
        frame.putShort(offset, (short)password.length, ByteOrder.LITTLE_ENDIAN);
        frame.putBytes(offset + 2, password);
        return frame.byteArray();
    }

    private static byte[] copy(final ExpandableArrayBuffer buffer, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }
}
