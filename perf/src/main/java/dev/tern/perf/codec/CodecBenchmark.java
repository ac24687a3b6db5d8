package dev.tern.perf.codec;

import dev.tern.codecs.client.sbe.LoginDecoder;
import dev.tern.codecs.replication.sbe.KvRequestDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode of the two requests on Tern's hot paths, the client's Login (client schema) and a KV put of
 * a 16-byte key and a 128-byte value (replication schema), with their ceiling in the same run: copying the encoded
 * frame's bytes ({@code copy*}), the least any codec must do. Off-heap buffers, as Aeron gives them.
 * <p>
 * Run: {@code java -jar perf/target/tern-benchmarks.jar CodecBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dsbe.enable.precedence.checks=false"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark
{
    private final Messages messages = new Messages();
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer copy = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer loginFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer kvFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final dev.tern.codecs.client.sbe.MessageHeaderDecoder clientHeader =
        new dev.tern.codecs.client.sbe.MessageHeaderDecoder();
    private final dev.tern.codecs.replication.sbe.MessageHeaderDecoder kvHeader =
        new dev.tern.codecs.replication.sbe.MessageHeaderDecoder();
    private final LoginDecoder login = new LoginDecoder();
    private final KvRequestDecoder kvRequest = new KvRequestDecoder();
    private int loginLength;
    private int kvLength;
    private long correlationId;

    @Setup(Level.Trial)
    public void setUp()
    {
        loginLength = messages.encodeClientRequest(loginFrame, 0, 1);
        kvLength = messages.encodeKvPutRequest(kvFrame, 0, 1);
    }

    @Benchmark
    public int clientRequestEncode()
    {
        return messages.encodeClientRequest(buffer, 0, ++correlationId);
    }

    /** Header, fields and both var-data fields, as the gateway and the account service read them. */
    @Benchmark
    public long clientRequestDecode()
    {
        clientHeader.wrap(loginFrame, 0);
        login.wrapAndApplyHeader(loginFrame, 0, clientHeader);
        final long sum = login.correlationId() + login.deviceId();
        login.wrapName(view);
        final int nameLength = view.capacity();
        login.wrapPassword(view);
        return sum + nameLength + view.capacity();
    }

    @Benchmark
    public int clientRequestCopy()
    {
        copy.putBytes(0, loginFrame, 0, loginLength);
        return loginLength;
    }

    @Benchmark
    public int kvPutRequestEncode()
    {
        return messages.encodeKvPutRequest(buffer, 0, ++correlationId);
    }

    /** Header, fields, the (empty) rows group and every var-data field, as a replica reads a request. */
    @Benchmark
    public long kvPutRequestDecode()
    {
        kvHeader.wrap(kvFrame, 0);
        kvRequest.wrapAndApplyHeader(kvFrame, 0, kvHeader);
        long sum = kvRequest.clientId() + kvRequest.requestSequence() + kvRequest.correlationId() +
            kvRequest.groupId() + kvRequest.expectedVersion() + kvRequest.rowLimit() + kvRequest.opRaw();
        final KvRequestDecoder.RowsDecoder rows = kvRequest.rows();
        while (rows.hasNext())
        {
            rows.next().skipRowKey();
            rows.skipRowValue();
        }
        kvRequest.wrapKey(view);
        sum += view.getLong(0);
        kvRequest.skipRowKey();
        kvRequest.skipRowKeyEnd();
        kvRequest.wrapValue(view);
        return sum + view.capacity();
    }

    @Benchmark
    public int kvPutRequestCopy()
    {
        copy.putBytes(0, kvFrame, 0, kvLength);
        return kvLength;
    }
}
