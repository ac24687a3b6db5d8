package dev.tern.engine.service.account;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.LoginDecoder;
import dev.tern.codecs.client.sbe.RegisterDecoder;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes Register and Login on a view of exactly the request frame (a lying length hits the view's bounds check)
 * and checks every field; a bad request gets its error code here and is answered by the next stage.
 */
final class AccountDecodeStage extends ServiceStage
{
    /** Login's root block in version 1, before deviceId was added. */
    static final int LOGIN_V1_BLOCK_LENGTH = LoginDecoder.deviceIdEncodingOffset();
    static final int MIN_NAME_LENGTH = 3;
    static final int MIN_PASSWORD_LENGTH = 8;

    private final RegisterDecoder registerDecoder = new RegisterDecoder();
    private final LoginDecoder loginDecoder = new LoginDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    AccountDecodeStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
    {
        super(handOff, false);
    }

    protected void onOp(final ServiceOp op)
    {
        if (ServiceOp.REQUEST == op.eventType)
        {
            op.code = decode((AccountOp)op).value();
        }
    }

    /**
     * @param op an op holding a request frame.
     * @return OK with the op's fields set, or why the request is refused. Never throws.
     */
    ErrorCode decode(final AccountOp op)
    {
        try
        {
            switch (op.templateId)
            {
                case RegisterDecoder.TEMPLATE_ID:
                    return decodeRegister(op);
                case LoginDecoder.TEMPLATE_ID:
                    return decodeLogin(op);
                default:
                    return ErrorCode.UNKNOWN_REQUEST;
            }
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            return ErrorCode.BAD_REQUEST;
        }
    }

    private ErrorCode decodeRegister(final AccountOp op)
    {
        if (!blockFits(op, RegisterDecoder.BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        registerDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
        final int nameLength = registerDecoder.nameLength();
        if (nameLength < MIN_NAME_LENGTH || nameLength > AccountOp.MAX_NAME_LENGTH)
        {
            return ErrorCode.BAD_REQUEST;
        }
        registerDecoder.getName(op.name, 0, nameLength);
        op.nameLength = nameLength;
        final int passwordLength = registerDecoder.passwordLength();
        if (passwordLength < MIN_PASSWORD_LENGTH || passwordLength > AccountOp.MAX_PASSWORD_LENGTH)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.passwordLength = registerDecoder.getPassword(op.password, 0, passwordLength);
        if (registerDecoder.limit() != op.requestLength || !normaliseName(op))
        {
            return ErrorCode.BAD_REQUEST;
        }
        return ErrorCode.OK;
    }

    private ErrorCode decodeLogin(final AccountOp op)
    {
        if (!blockFits(op, op.version >= 2 ? LoginDecoder.BLOCK_LENGTH : LOGIN_V1_BLOCK_LENGTH))
        {
            return ErrorCode.BAD_REQUEST;
        }
        loginDecoder.wrap(op.requestView(view), ClientProtocol.HEADER_LENGTH, op.blockLength, op.version);
        final long deviceId = loginDecoder.deviceId();
        if (op.version >= 2 && deviceId == LoginDecoder.deviceIdNullValue())
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.loginDeviceId = op.version >= 2 ? deviceId : 0;
        final int nameLength = loginDecoder.nameLength();
        if (nameLength < 1 || nameLength > AccountOp.MAX_NAME_LENGTH)
        {
            return ErrorCode.BAD_REQUEST;
        }
        loginDecoder.getName(op.name, 0, nameLength);
        op.nameLength = nameLength;
        final int passwordLength = loginDecoder.passwordLength();
        if (passwordLength < 1 || passwordLength > AccountOp.MAX_PASSWORD_LENGTH)
        {
            return ErrorCode.BAD_REQUEST;
        }
        op.passwordLength = loginDecoder.getPassword(op.password, 0, passwordLength);
        if (loginDecoder.limit() != op.requestLength || !normaliseName(op))
        {
            return ErrorCode.BAD_REQUEST;
        }
        return ErrorCode.OK;
    }

    /** Names are letters and digits, compared without case: kept in lower case. */
    private static boolean normaliseName(final AccountOp op)
    {
        for (int i = 0; i < op.nameLength; i++)
        {
            final byte b = op.name.getByte(i);
            if (b >= 'A' && b <= 'Z')
            {
                op.name.putByte(i, (byte)(b + ('a' - 'A')));
            }
            else if (!(b >= 'a' && b <= 'z') && !(b >= '0' && b <= '9'))
            {
                return false;
            }
        }
        return true;
    }
}
