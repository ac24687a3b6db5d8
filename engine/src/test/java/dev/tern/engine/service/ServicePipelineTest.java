package dev.tern.engine.service;

import dev.tern.codecs.client.sbe.ContactListEncoder;
import dev.tern.codecs.client.sbe.ErrorCode;
import dev.tern.codecs.client.sbe.MessageHeaderEncoder;
import dev.tern.codecs.client.sbe.ResponseDecoder;
import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.service.contacts.ContactsPipeline;
import dev.tern.engine.test.ServiceHarness;
import dev.tern.transport.Channels;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.test.TestMediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A pipeline's back-pressure and exception handling, with a stage that can be stalled or made to throw, over real
 * Aeron IPC as the gateway reaches it.
 */
@Timeout(60)
class ServicePipelineTest
{
    private static final int REQUEST_STREAM = 900;
    private static final int REPLY_STREAM = 901;
    private static final long POISON = 666;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    File dir;

    private EmbeddedDriver driver;
    private Monitor monitor;
    private ServicePipeline pipeline;
    private AgentRunner runner;
    private ServiceHarness gateway;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean stall;
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(128);

    /** Answers OK, after waiting for the test when stalled; throws on the poison correlation id. */
    private final class TestStage extends ServiceStage
    {
        TestStage(final ManyToOneConcurrentArrayQueue<ServiceOp> handOff)
        {
            super(handOff, true);
        }

        protected void onOp(final ServiceOp op)
        {
            if (POISON == op.correlationId)
            {
                throw new IllegalStateException("poison request");
            }
            if (stall)
            {
                try
                {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            replyCode(op, ErrorCode.OK);
        }
    }

    @BeforeEach
    void start()
    {
        driver = TestMediaDriver.launch();
        monitor = Monitor.launch(new Monitor.Context().dir(dir).name("pipeline-test").heartbeatIntervalMs(0));
        gateway = new ServiceHarness(driver.aeron(), Channels.IPC, REQUEST_STREAM, REPLY_STREAM);
    }

    private void launch(final int ringSize, final int maxInFlight)
    {
        pipeline = ServicePipeline.launch(new ServicePipeline.Context()
            .name("test")
            .aeron(driver.aeron())
            .monitor(monitor)
            .monitorIds(ContactsPipeline.MONITOR_IDS)
            .requestChannel(Channels.IPC, REQUEST_STREAM)
            .replyChannel(Channels.IPC, REPLY_STREAM)
            .ringSize(ringSize)
            .maxInFlight(maxInFlight), ServiceOp::new, (disruptor, handOff) ->
            {
                final TestStage stage = new TestStage(handOff);
                disruptor.handleEventsWith(stage);
                return new ServiceStage[]{ stage };
            });
        runner = new AgentRunner(IdleStrategies.of("backoff"), Throwable::printStackTrace, null, pipeline.agent());
        AgentRunner.startOnThread(runner);
        gateway.awaitConnected();
    }

    @AfterEach
    void stop()
    {
        release.countDown();
        CloseHelper.quietCloseAll(runner, pipeline, gateway, monitor, driver);
    }

    private void send(final long correlationId)
    {
        final ContactListEncoder list = new ContactListEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder())
            .correlationId(correlationId);
        list.token().hi(1).lo(2);
        list.uin(0).fromUin(0).maxContacts(10);
        gateway.send(frame, MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength(), 10_001);
    }

    private ErrorCode awaitAnswer(final long correlationId)
    {
        final UnsafeBuffer response = gateway.awaitResponse(correlationId);
        return new ResponseDecoder().wrapAndApplyHeader(response, 0,
            new dev.tern.codecs.client.sbe.MessageHeaderDecoder().wrap(response, 0)).code();
    }

    @Test
    void shouldAnswerBusyAtOnceWhenEveryOpIsInFlight()
    {
        launch(8, 2);
        stall = true;
        send(1);
        send(2);

        send(3);

        assertEquals(ErrorCode.BUSY, awaitAnswer(3));
        release.countDown();
        assertEquals(ErrorCode.OK, awaitAnswer(1));
        assertEquals(ErrorCode.OK, awaitAnswer(2));
        assertEquals(1, monitor.get(ContactsPipeline.MONITOR_IDS.reject(ErrorCode.BUSY)));
    }

    @Test
    void shouldAnswerBusyAtOnceWhenTheRingIsFull()
    {
        launch(2, 16);
        stall = true;
        for (long id = 1; id <= 4; id++)
        {
            send(id);
        }

        assertEquals(ErrorCode.BUSY, awaitAnswer(4));
        release.countDown();
        assertEquals(ErrorCode.OK, awaitAnswer(1));
        assertEquals(ErrorCode.OK, awaitAnswer(2));
    }

    @Test
    void shouldAnswerInternalAndKeepServingWhenAStageThrows()
    {
        launch(8, 4);

        send(POISON);
        send(7);

        assertEquals(ErrorCode.INTERNAL, awaitAnswer(POISON));
        assertEquals(ErrorCode.OK, awaitAnswer(7));
        assertEquals(1, monitor.get(ContactsPipeline.MONITOR_IDS.errors()));
        for (long id = 10; id < 20; id++)
        {
            send(POISON);
            send(id);
            assertEquals(ErrorCode.OK, awaitAnswer(id));
        }
    }

    @Test
    void shouldNameTheBadFieldOfItsContext()
    {
        final ServicePipeline.Context ctx = new ServicePipeline.Context().name("test").aeron(driver.aeron())
            .monitor(monitor).monitorIds(ContactsPipeline.MONITOR_IDS).requestChannel(Channels.IPC, 1)
            .replyChannel(Channels.IPC, 2);

        assertEquals("ringSize=1000 must be a power of two >= 2",
            assertThrows(IllegalArgumentException.class, () -> ctx.ringSize(1000).conclude()).getMessage());
        ctx.ringSize(8);
        assertEquals("wait strategy=spin must be one of blocking, sleeping, yielding, busy",
            assertThrows(IllegalArgumentException.class, () -> ctx.waitStrategy("spin").conclude()).getMessage());
        ctx.waitStrategy("blocking");
        assertThrows(IllegalArgumentException.class, () -> ctx.maxInFlight(0).conclude());
        ctx.maxInFlight(4);
        assertThrows(IllegalArgumentException.class, () -> ctx.name("Bad Name").conclude());
    }
}
