package dev.tern.perf.load;

import dev.tern.tools.TernTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class KvTargetTest
{
    private final File cluster = new File("/data/cluster.properties");
    private final File replicaDir = new File("/data/replica-2");
    private final File monitorDir = new File("/mon");

    @Test
    void shouldFillThePlaceholdersOfAGivenReplicaCommand()
    {
        final List<String> line = KvTarget.replicaCommand(
            "bin/tern kv-node --cluster {cluster} --group {group} --replica {replica} --dir={dir} -m {monitor}",
            cluster, 2, replicaDir, monitorDir);

        assertEquals(List.of("bin/tern", "kv-node", "--cluster", "/data/cluster.properties", "--group", "0",
            "--replica", "2", "--dir=/data/replica-2", "-m", "/mon"), line);
    }

    @Test
    void shouldRunTheBuiltInReplicaInAJvmLikeThisOne()
    {
        final List<String> line = KvTarget.replicaCommand(null, cluster, 1, replicaDir, monitorDir);

        assertTrue(line.get(0).endsWith(File.separator + "java"), line.get(0));
        assertTrue(line.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), line.toString());
        assertTrue(line.contains("-Dtern.monitor.dir=/mon"), line.toString());
        assertEquals(List.of(TernTool.class.getName(), "kv-node", "--cluster=/data/cluster.properties", "--group=0",
            "--replica=1", "--data-dir=/data/replica-2", "--aeron-dir=/data/replica-2/aeron", "--exit-with-parent"),
            line.subList(line.size() - 8, line.size()));
    }
}
