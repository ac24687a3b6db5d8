package dev.tern.tools.kv;

import dev.tern.storage.ResultCode;
import dev.tern.storage.client.KvBlockingClient;
import dev.tern.storage.client.KvClient;
import dev.tern.storage.client.KvResult;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tern kv}: read and write a KVSvr cluster by hand. Keys, rows and values are UTF-8 text; each command prints
 * the result code and the key's version, and exits 0 on OK, 3 on NOT_FOUND, 4 on a failed condition, 1 otherwise.
 */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    description = "Read and write a KVSvr cluster: get, put, del, cas, scan and table rows.",
    subcommands = {
        KvCommand.Get.class,
        KvCommand.Put.class,
        KvCommand.Del.class,
        KvCommand.Cas.class,
        KvCommand.RowGet.class,
        KvCommand.RowPut.class,
        KvCommand.RowDel.class,
        KvCommand.RowAppend.class,
        KvCommand.Scan.class,
    })
public final class KvCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every kv subcommand takes. */
    static final class Connection
    {
        @Option(names = "--cluster", required = true, description = "Cluster file (groups, replicas, slots).")
        File cluster;

        @Option(names = "--timeout-ms", defaultValue = "5000", description = "Give up after this long (default ${DEFAULT-VALUE}).")
        long timeoutMs;

        @Option(names = "--response-endpoint", defaultValue = "127.0.0.1:0",
            description = "Where replies come back, host:port (default ${DEFAULT-VALUE}: a free port on loopback).")
        String responseEndpoint;
    }

    abstract static class KvAction implements Callable<Integer>
    {
        @CommandLine.Mixin
        Connection connection = new Connection();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract KvResult run(KvBlockingClient client);

        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final ClusterConfig cluster = ClusterConfig.load(connection.cluster);
            try (EmbeddedDriver driver = EmbeddedDriver.launch(new EmbeddedDriver.Context()
                    .aeronDir(CommonContext.generateRandomDirName())
                    .termLength(1024 * 1024)
                    .idleStrategy("backoff"));
                KvBlockingClient client = new KvBlockingClient(KvClient.connect(new KvClient.Context()
                    .aeron(driver.aeron())
                    .cluster(cluster)
                    .responseEndpoint(connection.responseEndpoint)
                    .requestTimeoutNs(TimeUnit.MILLISECONDS.toNanos(connection.timeoutMs)))))
            {
                final KvResult result = run(client);
                print(out, result);
                out.flush();
                return exitCode(result.result());
            }
        }

        void print(final PrintWriter out, final KvResult result)
        {
            out.println(ResultCode.describe(result.result()) + " version=" + result.version());
            if (result.value().length > 0)
            {
                out.println(new String(result.value(), StandardCharsets.UTF_8));
            }
            for (final KvResult.Row row : result.rows())
            {
                out.println(text(row.key()) + "\t" + text(row.value()) + "\t(v" + row.version() + ")");
            }
            if (result.more())
            {
                out.println("... more rows");
            }
        }
    }

    static int exitCode(final int result)
    {
        switch (result)
        {
            case ResultCode.OK:
                return 0;
            case ResultCode.NOT_FOUND:
                return 3;
            case ResultCode.VERSION_MISMATCH:
            case ResultCode.ALREADY_EXISTS:
            case ResultCode.ROW_KEY_NOT_LAST:
            case ResultCode.WRONG_TYPE:
                return 4;
            default:
                return 1;
        }
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a key's value and version.")
    static final class Get extends KvAction
    {
        @Parameters(index = "0", description = "The key.")
        String key;

        KvResult run(final KvBlockingClient client)
        {
            return client.get(bytes(key));
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Set a key's value.")
    static final class Put extends KvAction
    {
        @Parameters(index = "0", description = "The key.")
        String key;

        @Parameters(index = "1", description = "The value.")
        String value;

        @Option(names = "--if-absent", description = "Only when the key has no value (ALREADY_EXISTS otherwise).")
        boolean ifAbsent;

        KvResult run(final KvBlockingClient client)
        {
            return ifAbsent ? client.putIfAbsent(bytes(key), bytes(value)) : client.put(bytes(key), bytes(value));
        }
    }

    @Command(name = "cas", mixinStandardHelpOptions = true,
        description = "Set a key's value only if its version is the expected one (VERSION_MISMATCH otherwise).")
    static final class Cas extends KvAction
    {
        @Parameters(index = "0", description = "The key.")
        String key;

        @Parameters(index = "1", description = "The expected version.")
        long expected;

        @Parameters(index = "2", description = "The new value.")
        String value;

        KvResult run(final KvBlockingClient client)
        {
            return client.putIfVersion(bytes(key), expected, bytes(value));
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete a key (its version stays).")
    static final class Del extends KvAction
    {
        @Parameters(index = "0", description = "The key.")
        String key;

        KvResult run(final KvBlockingClient client)
        {
            return client.delete(bytes(key));
        }
    }

    @Command(name = "row-get", mixinStandardHelpOptions = true, description = "Print one row of a table.")
    static final class RowGet extends KvAction
    {
        @Parameters(index = "0", description = "The table key.")
        String key;

        @Parameters(index = "1", description = "The row key.")
        String row;

        KvResult run(final KvBlockingClient client)
        {
            return client.rowGet(bytes(key), bytes(row));
        }
    }

    @Command(name = "row-put", mixinStandardHelpOptions = true, description = "Insert or replace a row of a table.")
    static final class RowPut extends KvAction
    {
        @Parameters(index = "0", description = "The table key.")
        String key;

        @Parameters(index = "1", description = "The row key.")
        String row;

        @Parameters(index = "2", description = "The row value.")
        String value;

        KvResult run(final KvBlockingClient client)
        {
            return client.rowPut(bytes(key), bytes(row), bytes(value));
        }
    }

    @Command(name = "row-del", mixinStandardHelpOptions = true, description = "Delete a row of a table.")
    static final class RowDel extends KvAction
    {
        @Parameters(index = "0", description = "The table key.")
        String key;

        @Parameters(index = "1", description = "The row key.")
        String row;

        KvResult run(final KvBlockingClient client)
        {
            return client.rowDelete(bytes(key), bytes(row));
        }
    }

    @Command(name = "row-append", mixinStandardHelpOptions = true,
        description = "Append a row whose key sorts after every row of the table.")
    static final class RowAppend extends KvAction
    {
        @Parameters(index = "0", description = "The table key.")
        String key;

        @Parameters(index = "1", description = "The row key.")
        String row;

        @Parameters(index = "2", description = "The row value.")
        String value;

        KvResult run(final KvBlockingClient client)
        {
            return client.rowAppend(bytes(key), bytes(row), bytes(value));
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true, description = "Print a table's rows in row key order.")
    static final class Scan extends KvAction
    {
        @Parameters(index = "0", description = "The table key.")
        String key;

        @Option(names = "--from", defaultValue = "", description = "First row key (inclusive); default: the start.")
        String from;

        @Option(names = "--to", defaultValue = "", description = "End row key (exclusive); default: no end.")
        String to;

        @Option(names = "--limit", defaultValue = "100", description = "Most rows (1-1000, default ${DEFAULT-VALUE}).")
        int limit;

        KvResult run(final KvBlockingClient client)
        {
            return client.scan(bytes(key), bytes(from), bytes(to), limit);
        }
    }
}
