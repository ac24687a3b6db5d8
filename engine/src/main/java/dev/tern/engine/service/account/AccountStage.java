package dev.tern.engine.service.account;

import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.LoginResponseEncoder;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.RegisterDecoder;
import dev.tern.codecs.client.sbe.RegisterResponseEncoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.engine.service.KvKeys;
import dev.tern.engine.service.ServiceOp;
import dev.tern.engine.service.ServiceStage;
import dev.tern.storage.ResultCode;
import dev.tern.transport.client.ClientProtocol;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * The account logic, a state machine per request driven by KV completions.
 * <p>
 * Register: take a UIN from this service's block (a block of UINs is taken from the shared counter key by
 * compare-and-set, so UINs are unique across every account service and restart); write the profile (salted PBKDF2
 * hash) under the UIN; then bind the name to the UIN with put-if-absent, the strongly consistent step: of two
 * clients racing for a name exactly one wins, the other gets NAME_TAKEN (its profile stays unreferenced). A UIN is
 * never handed out twice; a failed registration wastes its UIN.
 * <p>
 * Login: name to UIN, UIN to profile, then the password is checked against the hash in constant time. An unknown
 * name costs a hash too, so the answer's timing does not tell which names exist. On success the reply carries the
 * UIN for the gateway to bind the session to.
 */
final class AccountStage extends ServiceStage
{
    static final int REGISTER_WAIT_BLOCK = 1;
    static final int REGISTER_READ_COUNTER = 2;
    static final int REGISTER_CLAIM_BLOCK = 3;
    static final int REGISTER_PUT_PROFILE = 4;
    static final int REGISTER_BIND_NAME = 5;
    static final int LOGIN_READ_NAME = 10;
    static final int LOGIN_READ_PROFILE = 11;

    private static final int MAX_CLAIM_ATTEMPTS = 16;

    private final Monitor monitor;
    private final int iterations;
    private final int blockSize;
    private final long firstUin;
    private final PasswordHasher hasher = new PasswordHasher();
    private final byte[] salt = new byte[PasswordHasher.SALT_LENGTH];
    private final byte[] storedHash = new byte[PasswordHasher.HASH_LENGTH];
    private final byte[] dummySalt = new byte[PasswordHasher.SALT_LENGTH];
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(KvKeys.MAX_KEY_LENGTH);
    private final ExpandableArrayBuffer value = new ExpandableArrayBuffer(Profile.MAX_LENGTH);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RegisterResponseEncoder registerResponse = new RegisterResponseEncoder();
    private final LoginResponseEncoder loginResponse = new LoginResponseEncoder();
    private final ArrayDeque<AccountOp> waitingForBlock = new ArrayDeque<>();
    private long blockNext;
    private long blockEnd;
    private boolean claiming;

    AccountStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff, final Monitor monitor, final int iterations,
        final int blockSize, final long firstUin)
    {
        super(handOff, true);
        this.monitor = monitor;
        this.iterations = iterations;
        this.blockSize = blockSize;
        this.firstUin = firstUin;
        hasher.newSalt(dummySalt);
    }

    protected void onOp(final ServiceOp serviceOp)
    {
        final AccountOp op = (AccountOp)serviceOp;
        if (ServiceOp.REQUEST == op.eventType)
        {
            if (ErrorCode.OK.value() != op.code)
            {
                replyCode(op, ErrorCode.get((short)op.code));
            }
            else if (RegisterDecoder.TEMPLATE_ID == op.templateId)
            {
                register(op);
            }
            else
            {
                readName(op);
            }
            return;
        }

        switch (op.state)
        {
            case REGISTER_WAIT_BLOCK:
                register(op);
                break;
            case REGISTER_READ_COUNTER:
                onCounterRead(op);
                break;
            case REGISTER_CLAIM_BLOCK:
                onBlockClaimed(op);
                break;
            case REGISTER_PUT_PROFILE:
                onProfilePut(op);
                break;
            case REGISTER_BIND_NAME:
                onNameBound(op);
                break;
            case LOGIN_READ_NAME:
                onNameRead(op);
                break;
            case LOGIN_READ_PROFILE:
                onProfileRead(op);
                break;
            default:
                throw new IllegalStateException("account op in unknown state " + op.state);
        }
    }

    // ---- register

    private void register(final AccountOp op)
    {
        if (blockNext < blockEnd)
        {
            op.accountUin = blockNext++;
            putProfile(op);
        }
        else if (claiming)
        {
            op.state = REGISTER_WAIT_BLOCK;
            waitingForBlock.addLast(op);
            parked(op);
        }
        else
        {
            claiming = true;
            readCounter(op);
        }
    }

    private void readCounter(final AccountOp op)
    {
        op.state = REGISTER_READ_COUNTER;
        op.kv.get(key, 0, KvKeys.uinCounter(key));
        kv(op);
    }

    private void onCounterRead(final AccountOp op)
    {
        final int keyLength = KvKeys.uinCounter(key);
        if (ResultCode.NOT_FOUND == op.kvResult)
        {
            op.blockStart = firstUin;
            value.putLong(0, firstUin + blockSize, ByteOrder.BIG_ENDIAN);
            op.state = REGISTER_CLAIM_BLOCK;
            op.kv.putIfAbsent(key, 0, keyLength, value, 0, 8);
            kv(op);
        }
        else if (ResultCode.OK == op.kvResult && 8 == kvValue(op, valueView))
        {
            final long next = valueView.getLong(0, ByteOrder.BIG_ENDIAN);
            if (next < firstUin || next + blockSize - 1 > ClientProtocol.MAX_UIN)
            {
                monitor.errorHandler().onError(new IllegalStateException("UIN counter at " + next +
                    ": no UINs left to hand out"));
                endClaim(op, ErrorCode.INTERNAL);
                return;
            }
            op.blockStart = next;
            value.putLong(0, next + blockSize, ByteOrder.BIG_ENDIAN);
            op.state = REGISTER_CLAIM_BLOCK;
            op.kv.putIfVersion(key, 0, keyLength, op.kvVersion, value, 0, 8);
            kv(op);
        }
        else
        {
            endClaim(op, ResultCode.OK == op.kvResult ? ErrorCode.INTERNAL : ErrorCode.UNAVAILABLE);
        }
    }

    private void onBlockClaimed(final AccountOp op)
    {
        if (ResultCode.OK == op.kvResult)
        {
            monitor.add(MonitorId.ACCOUNT_UIN_BLOCKS, 1);
            blockNext = op.blockStart;
            blockEnd = op.blockStart + blockSize;
            claiming = false;
            wakeWaiting();
            register(op);
        }
        else if ((ResultCode.VERSION_MISMATCH == op.kvResult || ResultCode.ALREADY_EXISTS == op.kvResult) &&
            ++op.attempts < MAX_CLAIM_ATTEMPTS)
        {
            // another account service took a block first: read the counter again
            readCounter(op);
        }
        else
        {
            endClaim(op, ErrorCode.UNAVAILABLE);
        }
    }

    /** The claim failed: this op and every op waiting for the block get the same answer. */
    private void endClaim(final AccountOp op, final ErrorCode code)
    {
        claiming = false;
        AccountOp waiting;
        while (null != (waiting = waitingForBlock.pollFirst()))
        {
            replyRegistered(waiting, code);
        }
        replyRegistered(op, code);
    }

    private void wakeWaiting()
    {
        AccountOp waiting;
        while (null != (waiting = waitingForBlock.pollFirst()))
        {
            resume(waiting);
        }
    }

    private void putProfile(final AccountOp op)
    {
        hasher.newSalt(salt);
        final byte[] hash = hasher.hash(op.password, op.passwordLength, salt, iterations);
        op.clearPassword();
        final int length = Profile.encode(value, iterations, salt, hash, op.name, op.nameLength);
        op.state = REGISTER_PUT_PROFILE;
        op.kv.put(key, 0, KvKeys.profile(key, op.accountUin), value, 0, length);
        kv(op);
    }

    private void onProfilePut(final AccountOp op)
    {
        if (ResultCode.OK != op.kvResult)
        {
            replyRegistered(op, ErrorCode.UNAVAILABLE);
            return;
        }
        op.state = REGISTER_BIND_NAME;
        KvKeys.uin(value, 0, op.accountUin);
        op.kv.putIfAbsent(key, 0, KvKeys.accountName(key, op.name, 0, op.nameLength), value, 0, 4);
        kv(op);
    }

    private void onNameBound(final AccountOp op)
    {
        switch (op.kvResult)
        {
            case ResultCode.OK:
                monitor.add(MonitorId.ACCOUNT_REGISTERED, 1);
                replyRegistered(op, ErrorCode.OK);
                break;
            case ResultCode.ALREADY_EXISTS:
                replyRegistered(op, ErrorCode.NAME_TAKEN);
                break;
            default:
                replyRegistered(op, ErrorCode.UNAVAILABLE);
                break;
        }
    }

    private void replyRegistered(final AccountOp op, final ErrorCode code)
    {
        op.clearPassword();
        op.code = code.value();
        registerResponse.wrapAndApplyHeader(op.reply, 0, headerEncoder)
            .correlationId(op.correlationId)
            .code(code)
            .uin(ErrorCode.OK == code ? op.accountUin : 0);
        op.replyLength = MessageHeaderEncoder.ENCODED_LENGTH + registerResponse.encodedLength();
        reply(op);
    }

    // ---- login

    private void readName(final AccountOp op)
    {
        op.state = LOGIN_READ_NAME;
        op.kv.get(key, 0, KvKeys.accountName(key, op.name, 0, op.nameLength));
        kv(op);
    }

    private void onNameRead(final AccountOp op)
    {
        if (ResultCode.NOT_FOUND == op.kvResult)
        {
            // as slow as a real check, so that timing does not reveal which names exist
            hasher.hash(op.password, op.passwordLength, dummySalt, iterations);
            replyLoggedIn(op, ErrorCode.BAD_CREDENTIALS);
        }
        else if (ResultCode.OK == op.kvResult && 4 == kvValue(op, valueView))
        {
            op.accountUin = KvKeys.readUin(valueView, 0);
            op.state = LOGIN_READ_PROFILE;
            op.kv.get(key, 0, KvKeys.profile(key, op.accountUin));
            kv(op);
        }
        else
        {
            replyLoggedIn(op, ResultCode.OK == op.kvResult ? ErrorCode.INTERNAL : ErrorCode.UNAVAILABLE);
        }
    }

    private void onProfileRead(final AccountOp op)
    {
        if (ResultCode.NOT_FOUND == op.kvResult)
        {
            hasher.hash(op.password, op.passwordLength, dummySalt, iterations);
            replyLoggedIn(op, ErrorCode.BAD_CREDENTIALS);
            return;
        }
        final int length = ResultCode.OK == op.kvResult ? kvValue(op, valueView) : -1;
        if (length < 0)
        {
            replyLoggedIn(op, ErrorCode.UNAVAILABLE);
            return;
        }
        if (!Profile.isValid(valueView, length))
        {
            monitor.errorHandler().onError(new IllegalStateException("unreadable profile of UIN " + op.accountUin));
            replyLoggedIn(op, ErrorCode.INTERNAL);
            return;
        }
        Profile.salt(valueView, salt);
        Profile.hash(valueView, storedHash);
        if (hasher.verify(op.password, op.passwordLength, salt, Profile.iterations(valueView), storedHash))
        {
            monitor.add(MonitorId.ACCOUNT_LOGINS, 1);
            op.authUin = op.accountUin;
            op.authDeviceId = op.loginDeviceId;
            replyLoggedIn(op, ErrorCode.OK);
        }
        else
        {
            replyLoggedIn(op, ErrorCode.BAD_CREDENTIALS);
        }
    }

    /** The gateway fills in the token and expiry of a successful login, since it owns the sessions. */
    private void replyLoggedIn(final AccountOp op, final ErrorCode code)
    {
        op.clearPassword();
        op.code = code.value();
        loginResponse.wrapAndApplyHeader(op.reply, 0, headerEncoder)
            .correlationId(op.correlationId)
            .code(code)
            .uin(ErrorCode.OK == code ? op.accountUin : 0)
            .expiresInMs(0)
            .token().hi(0).lo(0);
        op.replyLength = MessageHeaderEncoder.ENCODED_LENGTH + loginResponse.encodedLength();
        reply(op);
    }
}
