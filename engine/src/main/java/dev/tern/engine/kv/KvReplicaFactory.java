package dev.tern.engine.kv;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.storage.cluster.ClusterConfig;
import io.aeron.Aeron;

import java.io.File;

/**
 * Starts one KVSvr replica inside this process, for {@code tern run}'s in-process group. The one seam between the
 * engine and the storage node: {@code (aeron, cluster, group, index, dir, monitor) -> KvNode.launch(...)}.
 */
@FunctionalInterface
public interface KvReplicaFactory
{
    /**
     * @param aeron        a connected client of this process's media driver.
     * @param cluster      the cluster the replica belongs to.
     * @param groupId      its group.
     * @param replicaIndex its index in the group.
     * @param dataDir      its own data directory.
     * @param monitor      its own monitor file.
     * @return the running replica; closing it stops it.
     */
    AutoCloseable launch(Aeron aeron, ClusterConfig cluster, int groupId, int replicaIndex, File dataDir,
        Monitor monitor);
}
