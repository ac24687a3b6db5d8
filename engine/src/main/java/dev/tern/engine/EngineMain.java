package dev.tern.engine;

import dev.tern.transport.Channels;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.concurrent.Callable;

/**
 * {@code tern run}: the engine, whole or in parts, until Ctrl-C (SIGINT) or SIGTERM.
 */
@Command(
    name = "tern run",
    mixinStandardHelpOptions = true,
    description = {
        "Run the Tern engine: by default all of it in this process (an embedded media driver, a 3-replica KVSvr " +
            "group, the gateway and every logic service); with --services only some parts, the others running in " +
            "other processes started from the same --config file.",
        "Exit codes: 0 stopped, 1 failed to start, 2 bad usage."
    })
public final class EngineMain implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE",
        description = "Settings file: lines 'tern.<setting>=<value>' (the -D names; -D on the command line wins).")
    private File config;

    @Option(names = "--services", paramLabel = "PARTS",
        description = "Parts to run, comma-separated: all (default), kv, gateway, seq, account, contacts, " +
            "send-text, send-media, sync.")
    private String parts;

    @Option(names = "--gateway", paramLabel = "HOST:PORT",
        description = "Where clients connect (default 127.0.0.1:7070; tern.gateway.endpoint).")
    private String gatewayEndpoint;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Data of the in-process KVSvr group (default ./data; tern.engine.data.dir).")
    private File dataDir;

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new EngineMain()).execute(args));
    }

    public Integer call()
    {
        final Engine.Context ctx;
        try
        {
            if (null != config)
            {
                EngineConfiguration.load(config);
            }
            ctx = new Engine.Context();
            if (null != parts)
            {
                ctx.parts(parts);
            }
            if (null != dataDir)
            {
                ctx.dataDir(dataDir);
            }
            if (null != gatewayEndpoint)
            {
                ctx.gateway().endpoint(gatewayEndpoint);
            }
            ctx.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("tern run: " + ex.getMessage());
            return 2;
        }

        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            final Engine engine;
            try
            {
                engine = Engine.launch(ctx);
            }
            catch (final RuntimeException ex)
            {
                System.err.println("tern run: failed to start: " + ex);
                ex.printStackTrace(System.err);
                return 1;
            }
            printSummary(engine);
            barrier.await();
            System.out.println("tern run: stopping");
            engine.close();
        }
        return 0;
    }

    private static void printSummary(final Engine engine)
    {
        System.out.println("Tern engine '" + engine.name() + "' running: " + String.join(", ", engine.parts()));
        if (null != engine.gatewayEndpoint())
        {
            System.out.println("  clients connect to " + engine.gatewayEndpoint() + " (" +
                Channels.udp(engine.gatewayEndpoint()) + ", stream " + Channels.CLIENT_REQUEST_STREAM_ID + ")");
            System.out.println("  try: bin/tern chat --gateway " + engine.gatewayEndpoint());
        }
        for (int group = 0; group < engine.cluster().groupCount(); group++)
        {
            System.out.println("  KVSvr group " + group + ": replicas " +
                String.join(", ", engine.cluster().replicas(group)));
        }
        if (null != engine.kvClusterFile())
        {
            System.out.println("  try: bin/tern kv --cluster " + engine.kvClusterFile().getPath() + " get some-key");
        }
        System.out.println("  counters: bin/tern counters (monitor file " + engine.monitor().file() + ")");
        System.out.println("  Aeron directory: " + engine.aeronDirectoryName());
        System.out.println("  Ctrl-C to stop");
        System.out.flush();
    }
}
