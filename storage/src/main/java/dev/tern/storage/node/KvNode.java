package dev.tern.storage.node;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.storage.StorageNode;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.replication.Replica;
import dev.tern.storage.replication.ReplicaAgent;
import dev.tern.storage.replication.ReplicaStats;
import dev.tern.storage.replication.StorageReplicaStore;
import dev.tern.transport.IdleStrategies;
import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;

/**
 * One KVSvr replica: a {@link StorageNode} (the off-heap store and its Chronicle Queue binlog), the
 * {@link Replica} protocol on top of it, served over Aeron UDP by a {@link ReplicaAgent} on its own thread, and its
 * counters in a monitor file. {@code tern kv-node} runs one per process; {@code tern run} runs a group of three
 * inside the engine.
 */
public final class KvNode implements AutoCloseable
{
    private final Context ctx;
    private final StorageReplicaStore store;
    private final ReplicaAgent agent;
    private final AgentRunner runner;
    private final Monitor monitor;
    private final boolean ownsMonitor;

    private KvNode(final Context ctx)
    {
        this.ctx = ctx;
        ownsMonitor = null == ctx.monitor;
        monitor = ownsMonitor ? Monitor.launch(new Monitor.Context()
            .name("kv-g" + ctx.groupId + "-r" + ctx.replicaIndex)) : ctx.monitor;
        StorageReplicaStore createdStore = null;
        try
        {
            monitor.declare(kvIds());
            final StorageNode.Context nodeContext = null != ctx.storageContext ? ctx.storageContext :
                new StorageNode.Context();
            final Replica[] replicaRef = new Replica[1];
            nodeContext.dir(ctx.dataDir).monitor(monitor).errorHandler(monitor.errorHandler())
                .binlogRetentionFloor(() -> null == replicaRef[0] ? Long.MAX_VALUE :
                    replicaRef[0].retentionFloorLogIndex());
            createdStore = new StorageReplicaStore(nodeContext, ctx.replicaIndex, ctx.appliedRequests);
            final ClusterConfig cluster = ctx.cluster;
            final Replica.Context replicaContext = null != ctx.replicaContext ? ctx.replicaContext :
                new Replica.Context();
            replicaContext
                .groupId(ctx.groupId)
                .replicaIndex(ctx.replicaIndex)
                .replicaCount(cluster.replicas(ctx.groupId).size())
                .store(createdStore)
                .router(cluster::groupOf);
            final ErrorHandler errorHandler = null != ctx.errorHandler ? ctx.errorHandler : monitor.errorHandler();
            agent = new ReplicaAgent(replicaContext, ctx.aeron, cluster.replicas(ctx.groupId), SystemNanoClock.INSTANCE,
                errorHandler, ctx.maxClients);
            final Replica replica = agent.replica();
            replicaRef[0] = replica;
            createdStore.replayFloor(replica::oldestNeededLogIndex);
            replica.recover();
            agent.statsPublisher(this::publishStats);
            store = createdStore;
            runner = new AgentRunner(IdleStrategies.of(ctx.idleStrategy), errorHandler, null, agent);
            AgentRunner.startOnThread(runner);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(createdStore);
            if (ownsMonitor)
            {
                CloseHelper.quietClose(monitor);
            }
            throw ex;
        }
    }

    /**
     * Recover the replica's store (snapshot and binlog) and start serving. Closes what it opened when start-up fails.
     *
     * @param ctx settings; concluded here.
     * @return the running node.
     */
    public static KvNode launch(final Context ctx)
    {
        ctx.conclude();
        return new KvNode(ctx);
    }

    private static MonitorId[] kvIds()
    {
        return new MonitorId[]{
            MonitorId.KV_REQUESTS, MonitorId.KV_READS, MonitorId.KV_DECIDED, MonitorId.KV_FAST_PATH,
            MonitorId.KV_PREPARES, MonitorId.KV_REJECTED, MonitorId.KV_REPROPOSALS, MonitorId.KV_FETCHES,
            MonitorId.KV_INSTALLS, MonitorId.KV_TIMEOUTS, MonitorId.KV_MALFORMED, MonitorId.KV_STREAM_GAPS,
            MonitorId.KV_CATCH_UPS, MonitorId.KV_RECORDS_SHIPPED, MonitorId.KV_RECORDS_RECEIVED,
            MonitorId.KV_IN_FLIGHT, MonitorId.KV_ACTIVE_KEYS, MonitorId.KV_BUSY, MonitorId.KV_WRONG_GROUP,
            MonitorId.KV_DUPLICATES, MonitorId.KV_CLIENTS, MonitorId.KV_CATCH_UP_LAG, MonitorId.KV_STREAM_RESETS,
            MonitorId.KV_STATE_TRANSFERS, MonitorId.KV_STATE_TRANSFER_KEYS, MonitorId.KV_STATE_TRANSFERS_ACTIVE,
        };
    }

    private void publishStats()
    {
        final Replica replica = agent.replica();
        final ReplicaStats s = replica.stats();
        monitor.set(MonitorId.KV_REQUESTS, s.requests);
        monitor.set(MonitorId.KV_READS, s.reads);
        monitor.set(MonitorId.KV_DECIDED, s.decided);
        monitor.set(MonitorId.KV_FAST_PATH, s.fastPathWrites);
        monitor.set(MonitorId.KV_PREPARES, s.preparesSent);
        monitor.set(MonitorId.KV_REJECTED, s.preparesRejected + s.acceptsRejected);
        monitor.set(MonitorId.KV_REPROPOSALS, s.reproposals);
        monitor.set(MonitorId.KV_FETCHES, s.fetchesSent);
        monitor.set(MonitorId.KV_INSTALLS, s.keysInstalled);
        monitor.set(MonitorId.KV_TIMEOUTS, s.opsTimedOut);
        monitor.set(MonitorId.KV_MALFORMED, s.malformed);
        monitor.set(MonitorId.KV_STREAM_GAPS, s.streamGaps);
        monitor.set(MonitorId.KV_CATCH_UPS, s.catchUpRequests);
        monitor.set(MonitorId.KV_RECORDS_SHIPPED, s.recordsShipped);
        monitor.set(MonitorId.KV_RECORDS_RECEIVED, s.recordsReceived);
        monitor.set(MonitorId.KV_IN_FLIGHT, replica.inFlight());
        monitor.set(MonitorId.KV_ACTIVE_KEYS, replica.activeKeys());
        monitor.set(MonitorId.KV_BUSY, s.busy);
        monitor.set(MonitorId.KV_WRONG_GROUP, s.wrongGroup);
        monitor.set(MonitorId.KV_DUPLICATES, s.duplicatesAnswered);
        monitor.set(MonitorId.KV_CLIENTS, agent.clients());
        monitor.set(MonitorId.KV_CATCH_UP_LAG, replica.catchUpLag());
        monitor.set(MonitorId.KV_STREAM_RESETS, s.streamResets);
        monitor.set(MonitorId.KV_STATE_TRANSFERS, s.stateTransfersCompleted);
        monitor.set(MonitorId.KV_STATE_TRANSFER_KEYS, s.stateTransferKeys);
        monitor.set(MonitorId.KV_STATE_TRANSFERS_ACTIVE, replica.stateTransfersActive());
    }

    /** @return the replica's counters (read from another thread: approximate). */
    public ReplicaStats stats()
    {
        return agent.replica().stats();
    }

    /** @return records of peers' streams not yet received (read from another thread: approximate). */
    public long catchUpLag()
    {
        return agent.replica().catchUpLag();
    }

    /**
     * @return records of this replica's own stream that a peer has not reported holding (read from another thread:
     * approximate).
     */
    public long peerStreamLag(final int peer)
    {
        return agent.replica().peerStreamLag(peer);
    }

    /** @return how many peers' whole state this replica is installing (read from another thread: approximate). */
    public int stateTransfersActive()
    {
        return agent.replica().stateTransfersActive();
    }

    public int groupId()
    {
        return ctx.groupId;
    }

    public int replicaIndex()
    {
        return ctx.replicaIndex;
    }

    /** @return the UDP endpoint this replica serves on. */
    public String endpoint()
    {
        return ctx.cluster.replicas(ctx.groupId).get(ctx.replicaIndex);
    }

    /** Stop serving, then close the store (its binlog stays for the next start) and the monitor file. */
    public void close()
    {
        CloseHelper.quietClose(runner);
        CloseHelper.quietClose(store);
        if (ownsMonitor)
        {
            CloseHelper.quietClose(monitor);
        }
    }

    /**
     * Settings of a {@link KvNode}.
     */
    public static final class Context
    {
        private Aeron aeron;
        private ClusterConfig cluster;
        private int groupId;
        private int replicaIndex = -1;
        private File dataDir;
        private Monitor monitor;
        private ErrorHandler errorHandler;
        private StorageNode.Context storageContext;
        private Replica.Context replicaContext;
        private String idleStrategy = IdleStrategies.DEFAULT;
        private int appliedRequests = 1 << 18;
        private int maxClients = 1024;

        /**
         * @return this, validated.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            if (null == aeron)
            {
                throw new IllegalArgumentException("aeron must be set");
            }
            if (null == cluster)
            {
                throw new IllegalArgumentException("cluster must be set");
            }
            if (groupId < 0 || groupId >= cluster.groupCount())
            {
                throw new IllegalArgumentException("groupId=" + groupId + " must be in [0, " + cluster.groupCount() +
                    ")");
            }
            if (replicaIndex < 0 || replicaIndex >= cluster.replicas(groupId).size())
            {
                throw new IllegalArgumentException("replicaIndex=" + replicaIndex + " must be in [0, " +
                    cluster.replicas(groupId).size() + ")");
            }
            if (null == dataDir)
            {
                throw new IllegalArgumentException("dataDir must be set");
            }
            if (appliedRequests < 1024)
            {
                throw new IllegalArgumentException("appliedRequests=" + appliedRequests + " must be >= 1024");
            }
            IdleStrategies.of(idleStrategy);
            return this;
        }

        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public Context cluster(final ClusterConfig cluster)
        {
            this.cluster = cluster;
            return this;
        }

        public Context groupId(final int groupId)
        {
            this.groupId = groupId;
            return this;
        }

        public Context replicaIndex(final int replicaIndex)
        {
            this.replicaIndex = replicaIndex;
            return this;
        }

        /** @param dataDir the replica's own directory: binlog, snapshots. */
        public Context dataDir(final File dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        /** @param monitor where the replica's and store's counters go; by default its own monitor file. */
        public Context monitor(final Monitor monitor)
        {
            this.monitor = monitor;
            return this;
        }

        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** @param storageContext storage settings (memory, durability, snapshots); the directory is set here. */
        public Context storageContext(final StorageNode.Context storageContext)
        {
            this.storageContext = storageContext;
            return this;
        }

        /** @param replicaContext protocol settings (timeouts, batching); group and index are set here. */
        public Context replicaContext(final Replica.Context replicaContext)
        {
            this.replicaContext = replicaContext;
            return this;
        }

        /** @param idleStrategy of the replica's thread: backoff (default), sleep, yield, busy. */
        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /** @param appliedRequests decided requests remembered for at-most-once retries. */
        public Context appliedRequests(final int appliedRequests)
        {
            this.appliedRequests = appliedRequests;
            return this;
        }

        public Context maxClients(final int maxClients)
        {
            this.maxClients = maxClients;
            return this;
        }
    }
}
