package dev.tern.engine;

import dev.tern.transport.TransportConfiguration;
import io.aeron.CommonContext;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;

/**
 * System properties of the engine process (what runs where), and their defaults. The only place they are read.
 * A config file given to {@code tern run --config} sets these same names (and those of the gateway, services,
 * account and transport) unless the command line sets them with -D.
 */
public final class EngineConfiguration
{
    /** The parts this process runs: comma-separated kv, gateway, seq, and service names, or all. */
    public static final String PARTS_PROP_NAME = "tern.engine.parts";
    public static final String PARTS_DEFAULT = "all";

    /** The process's name: its monitor file, its Aeron directory. Default: engine, or engine-&lt;parts&gt;. */
    public static final String NAME_PROP_NAME = "tern.engine.name";

    /** Where the in-process KVSvr group keeps its data. */
    public static final String DATA_DIR_PROP_NAME = "tern.engine.data.dir";
    public static final String DATA_DIR_DEFAULT = "data";

    /** shared (default): the gateway and the services' I/O agents share one thread; dedicated: a thread each. */
    public static final String THREADING_PROP_NAME = "tern.engine.threading";
    public static final String THREADING_DEFAULT = "shared";

    /** The replicas of the KVSvr group: the in-process group binds them, services connect to them. */
    public static final String KV_REPLICAS_PROP_NAME = "tern.engine.kv.replicas";
    public static final String KV_REPLICAS_DEFAULT = "127.0.0.1:7081,127.0.0.1:7082,127.0.0.1:7083";

    /** A KVSvr cluster file for the services (several groups); replaces tern.engine.kv.replicas for them. */
    public static final String KV_CLUSTER_FILE_PROP_NAME = "tern.engine.kv.cluster.file";

    /** host:port the services' KV clients receive on; port 0 for any. */
    public static final String KV_CLIENT_ENDPOINT_PROP_NAME = "tern.engine.kv.client.endpoint";
    public static final String KV_CLIENT_ENDPOINT_DEFAULT = "127.0.0.1:0";

    /** Split deployment: host:port where services in other processes send replies to the gateway. */
    public static final String GATEWAY_REPLY_ENDPOINT_PROP_NAME = "tern.engine.gateway.reply.endpoint";
    public static final String GATEWAY_REPLY_ENDPOINT_DEFAULT = "127.0.0.1:7071";

    /** Split deployment: host:port where the sequence allocator takes requests from send services in other processes. */
    public static final String SEQ_ENDPOINT_PROP_NAME = "tern.engine.seq.endpoint";
    public static final String SEQ_ENDPOINT_DEFAULT = "127.0.0.1:7079";

    /** Split deployment: host:port where a service in another process than the gateway takes requests. */
    public static final String SERVICE_ENDPOINT_PROP_NAME_PREFIX = "tern.engine.service.";
    public static final String SERVICE_ENDPOINT_PROP_NAME_SUFFIX = ".endpoint";
    public static final int SERVICE_ENDPOINT_BASE_PORT = 7071;

    private EngineConfiguration()
    {
    }

    public static String parts()
    {
        return System.getProperty(PARTS_PROP_NAME, PARTS_DEFAULT);
    }

    /** @return the process name when set, else null (derived from the parts). */
    public static String name()
    {
        return System.getProperty(NAME_PROP_NAME);
    }

    public static String dataDir()
    {
        return System.getProperty(DATA_DIR_PROP_NAME, DATA_DIR_DEFAULT);
    }

    public static String threading()
    {
        return System.getProperty(THREADING_PROP_NAME, THREADING_DEFAULT);
    }

    public static String kvReplicas()
    {
        return System.getProperty(KV_REPLICAS_PROP_NAME, KV_REPLICAS_DEFAULT);
    }

    /** @return the cluster file when set, else null. */
    public static String kvClusterFile()
    {
        return System.getProperty(KV_CLUSTER_FILE_PROP_NAME);
    }

    public static String kvClientEndpoint()
    {
        return System.getProperty(KV_CLIENT_ENDPOINT_PROP_NAME, KV_CLIENT_ENDPOINT_DEFAULT);
    }

    public static String seqEndpoint()
    {
        return System.getProperty(SEQ_ENDPOINT_PROP_NAME, SEQ_ENDPOINT_DEFAULT);
    }

    public static String gatewayReplyEndpoint()
    {
        return System.getProperty(GATEWAY_REPLY_ENDPOINT_PROP_NAME, GATEWAY_REPLY_ENDPOINT_DEFAULT);
    }

    /**
     * @param service the service.
     * @return {@code tern.engine.service.<name>.endpoint}, default 127.0.0.1:(7071 + service id).
     */
    public static String serviceEndpoint(final ServiceCatalog service)
    {
        return System.getProperty(SERVICE_ENDPOINT_PROP_NAME_PREFIX + service.serviceName() +
            SERVICE_ENDPOINT_PROP_NAME_SUFFIX, "127.0.0.1:" + (SERVICE_ENDPOINT_BASE_PORT + service.serviceId()));
    }

    /**
     * @param processName the process's name.
     * @return {@code tern.aeron.dir} when set, else Aeron's default directory with {@code -tern-<name>}, so that
     * several Tern processes on one machine each embed their own driver.
     */
    public static String aeronDir(final String processName)
    {
        return System.getProperty(TransportConfiguration.AERON_DIR_PROP_NAME,
            CommonContext.getAeronDirectoryName() + "-tern-" + processName);
    }

    /**
     * Load a config file: each of its settings becomes a system property unless the command line set it already
     * (-D wins). Call it before creating any Context.
     *
     * @param file lines {@code tern.<setting>=<value>} (or {@code aeron.*}), '#' comments.
     * @throws IllegalArgumentException when the file cannot be read or names a setting outside tern.* and aeron.*.
     */
    public static void load(final File file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file.toPath(), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + ex.getMessage(), ex);
        }
        for (final String name : properties.stringPropertyNames())
        {
            if (!name.startsWith("tern.") && !name.startsWith("aeron."))
            {
                throw new IllegalArgumentException(file + ": setting '" + name + "' is not a tern.* or aeron.* name");
            }
            if (null == System.getProperty(name))
            {
                System.setProperty(name, properties.getProperty(name).trim());
            }
        }
    }
}
