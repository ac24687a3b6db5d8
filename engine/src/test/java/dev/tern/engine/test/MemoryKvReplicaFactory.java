package dev.tern.engine.test;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.kv.KvReplicaFactory;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.replication.Replica;
import dev.tern.storage.replication.ReplicaAgent;
import dev.tern.storage.replication.sim.MemoryReplicaStore;
import dev.tern.transport.IdleStrategies;
import io.aeron.Aeron;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;

import java.io.File;

/**
 * Replicas over real Aeron UDP with the replication logic of the storage module and its in-memory store, until the
 * storage node (KvNode) lands: the data dir is not used. Public with a no-argument constructor, so that a child JVM
 * can name it in {@code tern.engine.kv.replica.factory}.
 */
public final class MemoryKvReplicaFactory implements KvReplicaFactory
{
    public AutoCloseable launch(final Aeron aeron, final ClusterConfig cluster, final int groupId,
        final int replicaIndex, final File dataDir, final Monitor monitor)
    {
        final ReplicaAgent agent = new ReplicaAgent(new Replica.Context()
            .groupId(groupId)
            .replicaIndex(replicaIndex)
            .replicaCount(cluster.replicas(groupId).size())
            .store(new MemoryReplicaStore(replicaIndex)), aeron, cluster.replicas(groupId), SystemNanoClock.INSTANCE,
            monitor.errorHandler(), 256);
        final AgentRunner runner = new AgentRunner(IdleStrategies.of("backoff"), monitor.errorHandler(), null, agent);
        AgentRunner.startOnThread(runner);
        return runner;
    }
}
