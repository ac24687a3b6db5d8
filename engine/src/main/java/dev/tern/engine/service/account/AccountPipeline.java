package dev.tern.engine.service.account;

import dev.tern.engine.service.ServiceMonitorIds;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.service.ServiceStage;
import dev.tern.transport.client.ClientProtocol;

import static dev.tern.codecs.monitor.MonitorId.*;

/**
 * The account service: register and login, accounts in KVSvr (name to UIN, UIN to profile).
 */
public final class AccountPipeline
{
    /** The service's monitor IDs (700-739). */
    public static final ServiceMonitorIds MONITOR_IDS = new ServiceMonitorIds(
        ACCOUNT_REQUESTS.id(), ACCOUNT_ERRORS.id(), ACCOUNT_LATENCY_MAX_US.id(), ACCOUNT_IN_FLIGHT.id(),
        ACCOUNT_KV_OPS.id(), ACCOUNT_KV_FAILURES.id(), ACCOUNT_REPLY_DROPPED.id(), 720,
        ACCOUNT_REQUESTS, ACCOUNT_ERRORS, ACCOUNT_LATENCY_MAX_US, ACCOUNT_IN_FLIGHT, ACCOUNT_KV_OPS,
        ACCOUNT_KV_FAILURES, ACCOUNT_REPLY_DROPPED, ACCOUNT_REGISTERED, ACCOUNT_LOGINS, ACCOUNT_UIN_BLOCKS,
        ACCOUNT_REJECT_BAD_REQUEST, ACCOUNT_REJECT_NAME_TAKEN, ACCOUNT_REJECT_BAD_CREDENTIALS, ACCOUNT_REJECT_BUSY,
        ACCOUNT_REJECT_UNAVAILABLE, ACCOUNT_REJECT_INTERNAL);

    private AccountPipeline()
    {
    }

    /**
     * Start the account service.
     *
     * @param ctx     the pipeline's settings; its name and monitor IDs are set here.
     * @param account the account settings; concluded here.
     * @return the running service.
     */
    public static ServicePipeline launch(final ServicePipeline.Context ctx, final Context account)
    {
        account.conclude();
        // ingress -> decode -> account (UIN block, profile, name via KV) -> reply
        return ServicePipeline.launch(ctx.monitorIds(MONITOR_IDS), AccountOp::new, (disruptor, handOff) ->
        {
            final AccountDecodeStage decode = new AccountDecodeStage(handOff);
            final AccountStage logic = new AccountStage(handOff, ctx.monitor(), account.pbkdf2Iterations,
                account.uinBlockSize, account.firstUin);
            disruptor.handleEventsWith(decode).then(logic);
            return new ServiceStage[]{ decode, logic };
        });
    }

    /**
     * Settings of the account service; defaults from {@link AccountConfiguration}.
     */
    public static final class Context
    {
        private int pbkdf2Iterations = AccountConfiguration.pbkdf2Iterations();
        private int uinBlockSize = AccountConfiguration.uinBlockSize();
        private long firstUin = AccountConfiguration.firstUin();

        /**
         * @return this, validated.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (pbkdf2Iterations < 1000)
            {
                throw new IllegalArgumentException("pbkdf2Iterations=" + pbkdf2Iterations + " must be >= 1000");
            }
            if (uinBlockSize < 1 || uinBlockSize > 1_000_000)
            {
                throw new IllegalArgumentException("uinBlockSize=" + uinBlockSize + " must be in [1, 1000000]");
            }
            if (firstUin < 1 || firstUin >= ClientProtocol.MAX_UIN)
            {
                throw new IllegalArgumentException("firstUin=" + firstUin + " must be in [1, 4294967294)");
            }
            return this;
        }

        public Context pbkdf2Iterations(final int pbkdf2Iterations)
        {
            this.pbkdf2Iterations = pbkdf2Iterations;
            return this;
        }

        public Context uinBlockSize(final int uinBlockSize)
        {
            this.uinBlockSize = uinBlockSize;
            return this;
        }

        public Context firstUin(final long firstUin)
        {
            this.firstUin = firstUin;
            return this;
        }
    }
}
