package dev.tern.storage.replication;

import dev.tern.codecs.replication.sbe.RowOp;
import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvBlockingClient;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResult;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.storage.replication.sim.MemoryReplicaStore;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.test.FreePorts;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three replicas over real Aeron UDP on 127.0.0.1 with a real KvClient: the wiring of ReplicaAgent and KvClient.
 * (The protocol itself is checked by the simulation; the real store by the node tests.)
 */
@Timeout(60)
class ReplicaAgentTest
{
    private EmbeddedDriver driver;
    private final AgentRunner[] runners = new AgentRunner[3];
    private KvBlockingClient client;

    @BeforeEach
    void start()
    {
        driver = TestMediaDriver.launch();
        final List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            endpoints.add(FreePorts.endpoint());
        }
        final ClusterConfig cluster = ClusterConfig.singleGroup(endpoints);
        for (int i = 0; i < 3; i++)
        {
            startReplica(i, endpoints);
        }
        client = new KvBlockingClient(KvClient.connect(new KvClient.Context()
            .aeron(driver.aeron())
            .cluster(cluster)));
    }

    private void startReplica(final int index, final List<String> endpoints)
    {
        final ReplicaAgent agent = new ReplicaAgent(new Replica.Context()
            .groupId(0)
            .replicaIndex(index)
            .replicaCount(3)
            .store(new MemoryReplicaStore(index)), driver.aeron(), endpoints, SystemNanoClock.INSTANCE,
            Throwable::printStackTrace, 64);
        agent.replica().recover();
        runners[index] = new AgentRunner(IdleStrategies.of("backoff"), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(runners[index]);
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietClose(client);
        CloseHelper.quietCloseAll(runners);
        CloseHelper.quietClose(driver);
    }

    private static byte[] b(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPutAndGetThroughTheGroup()
    {
        final KvResult put = client.put(b("user:1"), b("alice"));
        final KvResult get = client.get(b("user:1"));

        assertEquals(ResultCode.OK, put.result(), put.toString());
        assertEquals(1, put.version());
        assertEquals(ResultCode.OK, get.result(), get.toString());
        assertArrayEquals(b("alice"), get.value());
        assertEquals(1, get.version());
    }

    @Test
    void shouldReportAFailedConditionWithoutChangingTheVersion()
    {
        client.put(b("k"), b("v1"));

        final KvResult cas = client.putIfVersion(b("k"), 7, b("v2"));

        assertEquals(ResultCode.VERSION_MISMATCH, cas.result());
        assertEquals(1, cas.version());
        assertEquals(1, client.get(b("k")).version());
    }

    @Test
    void shouldScanTableRowsInOrder()
    {
        client.rowAppend(b("inbox"), b("0001"), b("hello"));
        client.rowAppend(b("inbox"), b("0002"), b("world"));
        client.tableBatch(b("inbox"), new RowOp[]{ RowOp.APPEND, RowOp.APPEND },
            new byte[][]{ b("0003"), b("0004") }, new byte[][]{ b("c"), b("d") });

        final KvResult scan = client.scan(b("inbox"), b("0002"), new byte[0], 2);

        assertEquals(ResultCode.OK, scan.result(), scan.toString());
        assertEquals(3, scan.version());
        assertEquals(2, scan.rows().size());
        assertArrayEquals(b("0002"), scan.rows().get(0).key());
        assertArrayEquals(b("0003"), scan.rows().get(1).key());
        assertEquals(true, scan.more());
    }

    @Test
    void shouldKeepServingWithOneReplicaStopped()
    {
        client.put(b("a"), b("1"));
        runners[1].close();
        runners[1] = null;

        final KvResult put = client.put(b("a"), b("2"));
        final KvResult get = client.get(b("a"));

        assertEquals(ResultCode.OK, put.result(), put.toString());
        assertArrayEquals(b("2"), get.value());
        assertEquals(2, get.version());
    }
}
