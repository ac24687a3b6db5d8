package dev.tern.engine;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.engine.gateway.GatewayAgent;
import dev.tern.engine.gateway.ServiceLink;
import dev.tern.engine.kv.LocalKvGroup;
import dev.tern.engine.seq.SeqAgent;
import dev.tern.engine.service.ServiceConfiguration;
import dev.tern.engine.service.ServicePipeline;
import dev.tern.engine.service.account.AccountPipeline;
import dev.tern.engine.service.message.MessagePipelines;
import dev.tern.storage.cluster.ClusterConfig;
import dev.tern.transport.Channels;
import dev.tern.transport.EmbeddedDriver;
import dev.tern.transport.IdleStrategies;
import dev.tern.transport.TransportConfiguration;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Tern engine, or the parts of it this process runs: an embedded media driver, a monitor file, and any of the
 * in-process KVSvr group ({@code kv}), the {@code gateway}, the sequence allocator ({@code seq}) and the logic
 * services. All parts in one process talk over Aeron IPC; a gateway and a service (or a send service and the
 * allocator) in different processes talk over UDP endpoints from the configuration, so each part can be deployed
 * and restarted on its own.
 */
public final class Engine implements AutoCloseable
{
    /** The part name of the in-process KVSvr group. */
    public static final String KV = "kv";
    /** The part name of the gateway. */
    public static final String GATEWAY = "gateway";
    /** The part name of the sequence allocator. */
    public static final String SEQ = "seq";

    private final Context ctx;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Monitor monitor;
    private EmbeddedDriver driver;
    private LocalKvGroup kvGroup;
    private ClusterConfig cluster;
    private GatewayAgent gateway;
    private final List<ServicePipeline> services = new ArrayList<>();

    private Engine(final Context ctx)
    {
        this.ctx = ctx;
    }

    /**
     * Start the parts. Closes everything it started when a part fails to start.
     *
     * @param ctx the settings; concluded here.
     * @return the running engine.
     */
    public static Engine launch(final Context ctx)
    {
        ctx.conclude();
        final Engine engine = new Engine(ctx);
        try
        {
            engine.start();
            return engine;
        }
        catch (final RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
    }

    private void start()
    {
        monitor = Monitor.launch(new Monitor.Context().dir(ctx.monitorDir).name(ctx.name));
        closeables.add(monitor);
        driver = EmbeddedDriver.launch(ctx.driver.aeronDir(null == ctx.driver.aeronDir() ?
            EngineConfiguration.aeronDir(ctx.name) : ctx.driver.aeronDir()).errorHandler(monitor.errorHandler()));
        closeables.add(driver);

        if (ctx.parts.contains(KV))
        {
            kvGroup = LocalKvGroup.launch(driver.aeron(), ctx.kvReplicas,
                new File(ctx.dataDir, "kv"), ctx.monitorDir, ctx.name);
            closeables.add(kvGroup);
        }
        cluster = null != ctx.cluster ? ctx.cluster : ClusterConfig.singleGroup(ctx.kvReplicas);

        final boolean hasGateway = ctx.parts.contains(GATEWAY);
        final boolean hasSeq = ctx.parts.contains(SEQ);
        final List<Agent> agents = new ArrayList<>();
        if (hasSeq)
        {
            agents.add(launchSeq());
        }
        for (final ServiceCatalog service : ctx.services())
        {
            final ServicePipeline.Context serviceCtx = new ServicePipeline.Context()
                .name(service.serviceName())
                .aeron(driver.aeron())
                .monitor(monitor)
                .requestChannel(hasGateway ? Channels.IPC : Channels.udp(ctx.serviceEndpoints.get(service)),
                    service.requestStreamId())
                .replyChannel(hasGateway ? Channels.IPC : Channels.udp(ctx.gatewayReplyEndpoint),
                    Channels.SERVICE_REPLY_STREAM_ID)
                .cluster(cluster)
                .kvResponseEndpoint(ctx.kvClientEndpoint)
                .ringSize(ctx.serviceRingSize)
                .maxInFlight(ctx.serviceMaxInFlight)
                .waitStrategy(ctx.serviceWaitStrategy)
                .kvTimeoutNs(ctx.kvTimeoutNs);
            if (service.allocatesSequences())
            {
                serviceCtx.seqChannels(hasSeq ? Channels.IPC : Channels.udp(ctx.seqEndpoint),
                    hasSeq ? Channels.IPC : Channels.udp(host(ctx.kvClientEndpoint) + ":0"),
                    Channels.SEQ_REPLY_STREAM_ID_BASE + service.serviceId());
            }
            final ServicePipeline pipeline = service.launch(serviceCtx, ctx);
            services.add(pipeline);
            closeables.add(pipeline);
            agents.add(pipeline.agent());
        }

        if (hasGateway)
        {
            final List<ServiceLink> links = new ArrayList<>();
            boolean anyLocal = false;
            boolean anyRemote = false;
            for (final ServiceCatalog service : ServiceCatalog.values())
            {
                final boolean local = ctx.services().contains(service);
                anyLocal |= local;
                anyRemote |= !local;
                links.add(new ServiceLink(service.serviceId(), service.serviceName(),
                    local ? Channels.IPC : Channels.udp(ctx.serviceEndpoints.get(service)), service.requestStreamId()));
            }
            final List<String> replyChannels = new ArrayList<>();
            if (anyLocal)
            {
                replyChannels.add(Channels.IPC);
            }
            if (anyRemote)
            {
                replyChannels.add(Channels.udp(ctx.gatewayReplyEndpoint));
            }
            gateway = GatewayAgent.launch(ctx.gateway
                .aeron(driver.aeron())
                .monitor(monitor)
                .services(links)
                .replyChannels(replyChannels)
                .routes(ServiceCatalog.allRoutes()));
            agents.add(0, gateway);
        }

        startAgents(agents);
    }

    private SeqAgent launchSeq()
    {
        boolean anyLocal = false;
        boolean anyRemote = false;
        for (final ServiceCatalog service : ServiceCatalog.values())
        {
            if (service.allocatesSequences())
            {
                anyLocal |= ctx.services().contains(service);
                anyRemote |= !ctx.services().contains(service);
            }
        }
        final List<String> channels = new ArrayList<>();
        if (anyLocal)
        {
            channels.add(Channels.IPC);
        }
        if (anyRemote)
        {
            channels.add(Channels.udp(ctx.seqEndpoint));
        }
        final SeqAgent seq = SeqAgent.launch(ctx.seq
            .aeron(driver.aeron())
            .monitor(monitor)
            .cluster(cluster)
            .kvResponseEndpoint(ctx.kvClientEndpoint)
            .kvTimeoutNs(ctx.kvTimeoutNs)
            .requestChannels(channels));
        closeables.add(seq::onClose);
        return seq;
    }

    private static String host(final String endpoint)
    {
        return endpoint.substring(0, endpoint.lastIndexOf(':'));
    }

    private void startAgents(final List<Agent> agents)
    {
        if (agents.isEmpty())
        {
            return;
        }
        final List<Agent> groups = "shared".equals(ctx.threading) ?
            List.of(new CompositeAgent(agents)) : agents;
        for (final Agent agent : groups)
        {
            final AgentRunner runner = new AgentRunner(IdleStrategies.of(ctx.idleStrategy), monitor.errorHandler(),
                null, agent);
            // added last, so closed first: runners stop before the pipelines and the driver their agents use
            closeables.add(runner);
            AgentRunner.startOnThread(runner);
        }
    }

    /** @return where clients connect (host:port), or null when this process runs no gateway. */
    public String gatewayEndpoint()
    {
        return null == gateway ? null : gateway.endpoint();
    }

    /** @return the KVSvr cluster the services use. */
    /** @return the cluster file of the in-process KVSvr group (for {@code tern kv}), null when there is none. */
    public File kvClusterFile()
    {
        return null == kvGroup ? null : new File(new File(ctx.dataDir, "kv"), LocalKvGroup.CLUSTER_FILE);
    }

    public ClusterConfig cluster()
    {
        return cluster;
    }

    /** @return this process's monitor. */
    public Monitor monitor()
    {
        return monitor;
    }

    /** @return the embedded media driver's directory. */
    public String aeronDirectoryName()
    {
        return driver.aeronDirectoryName();
    }

    /** @return the parts this process runs. */
    public Set<String> parts()
    {
        return ctx.parts;
    }

    /** @return the name of this process: its monitor file, its Aeron directory. */
    public String name()
    {
        return ctx.name;
    }

    /** Stop every part, the last started first. */
    public void close()
    {
        final List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        CloseHelper.closeAll(reversed);
        closeables.clear();
    }

    /**
     * Settings of an {@link Engine}; defaults from {@link EngineConfiguration} and the parts' configurations.
     */
    public static final class Context
    {
        private Set<String> parts;
        private String partsSpec = EngineConfiguration.parts();
        private String name = EngineConfiguration.name();
        private File dataDir = new File(EngineConfiguration.dataDir());
        private File monitorDir = dev.tern.codecs.monitor.MonitorConfiguration.dir();
        private String threading = EngineConfiguration.threading();
        private String idleStrategy = TransportConfiguration.idleStrategy();
        private EmbeddedDriver.Context driver = new EmbeddedDriver.Context().aeronDir(null);
        private GatewayAgent.Context gateway = new GatewayAgent.Context();
        private AccountPipeline.Context account = new AccountPipeline.Context();
        private MessagePipelines.Context messages = new MessagePipelines.Context();
        private SeqAgent.Context seq = new SeqAgent.Context();
        private String seqEndpoint = EngineConfiguration.seqEndpoint();
        private int serviceRingSize = ServiceConfiguration.ringSize();
        private int serviceMaxInFlight = ServiceConfiguration.maxInFlight();
        private String serviceWaitStrategy = ServiceConfiguration.waitStrategy();
        private long kvTimeoutNs = TimeUnit.MILLISECONDS.toNanos(ServiceConfiguration.kvTimeoutMs());
        private List<String> kvReplicas = split(EngineConfiguration.kvReplicas());
        private ClusterConfig cluster;
        private String kvClientEndpoint = EngineConfiguration.kvClientEndpoint();
        private String gatewayReplyEndpoint = EngineConfiguration.gatewayReplyEndpoint();
        private final Map<ServiceCatalog, String> serviceEndpoints = new LinkedHashMap<>();
        private Set<ServiceCatalog> services;

        /**
         * Validate the settings and fill in what was not given.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad field.
         */
        public Context conclude()
        {
            parts = parseParts(partsSpec);
            services = EnumSet.noneOf(ServiceCatalog.class);
            for (final ServiceCatalog service : ServiceCatalog.values())
            {
                if (parts.contains(service.serviceName()))
                {
                    services.add(service);
                }
                serviceEndpoints.putIfAbsent(service, EngineConfiguration.serviceEndpoint(service));
            }
            if (null == name)
            {
                name = parts.size() == 3 + ServiceCatalog.values().length ? "engine" :
                    "engine-" + String.join("-", parts);
            }
            if (!name.matches("[A-Za-z0-9._-]{1,100}"))
            {
                throw new IllegalArgumentException("name=" + name + " must be 1-100 of [A-Za-z0-9._-]");
            }
            if (!"shared".equals(threading) && !"dedicated".equals(threading))
            {
                throw new IllegalArgumentException("threading=" + threading + " must be shared or dedicated");
            }
            IdleStrategies.of(idleStrategy);
            if (kvReplicas.isEmpty() || kvReplicas.size() % 2 == 0)
            {
                throw new IllegalArgumentException("kvReplicas=" + kvReplicas + " must name an odd number of host:port");
            }
            for (final Map.Entry<ServiceCatalog, String> entry : serviceEndpoints.entrySet())
            {
                if (!entry.getValue().matches("[^:\\s]+:\\d{1,5}"))
                {
                    throw new IllegalArgumentException("endpoint of service " + entry.getKey().serviceName() + "=" +
                        entry.getValue() + " must be host:port");
                }
            }
            if (!gatewayReplyEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("gatewayReplyEndpoint=" + gatewayReplyEndpoint +
                    " must be host:port");
            }
            if (!seqEndpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                throw new IllegalArgumentException("seqEndpoint=" + seqEndpoint + " must be host:port");
            }
            if (null == cluster && null != EngineConfiguration.kvClusterFile() && !services.isEmpty())
            {
                cluster = ClusterConfig.load(new File(EngineConfiguration.kvClusterFile()));
            }
            return this;
        }

        private static Set<String> parseParts(final String spec)
        {
            final Set<String> parts = new java.util.LinkedHashSet<>();
            for (final String part : spec.split(","))
            {
                final String trimmed = part.trim().toLowerCase(Locale.ROOT);
                if ("all".equals(trimmed))
                {
                    parts.add(KV);
                    parts.add(GATEWAY);
                    parts.add(SEQ);
                    for (final ServiceCatalog service : ServiceCatalog.values())
                    {
                        parts.add(service.serviceName());
                    }
                }
                else if (KV.equals(trimmed) || GATEWAY.equals(trimmed) || SEQ.equals(trimmed))
                {
                    parts.add(trimmed);
                }
                else
                {
                    try
                    {
                        parts.add(ServiceCatalog.byName(trimmed).serviceName());
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new IllegalArgumentException("parts=" + spec + ": '" + trimmed +
                            "' is not one of all, kv, gateway, seq, " + Arrays.toString(serviceNames()), ex);
                    }
                }
            }
            return Collections.unmodifiableSet(parts);
        }

        private static String[] serviceNames()
        {
            final ServiceCatalog[] services = ServiceCatalog.values();
            final String[] names = new String[services.length];
            for (int i = 0; i < services.length; i++)
            {
                names[i] = services[i].serviceName();
            }
            return names;
        }

        private static List<String> split(final String endpoints)
        {
            final List<String> list = new ArrayList<>();
            for (final String endpoint : endpoints.split(","))
            {
                if (!endpoint.isBlank())
                {
                    list.add(endpoint.trim());
                }
            }
            return list;
        }

        /** @return the services this process runs (after {@link #conclude()}). */
        Set<ServiceCatalog> services()
        {
            return services;
        }

        /** @param parts comma-separated kv, gateway, service names, or all. */
        public Context parts(final String parts)
        {
            this.partsSpec = parts;
            return this;
        }

        /** @param name this process's name: its monitor file and Aeron directory. */
        public Context name(final String name)
        {
            this.name = name;
            return this;
        }

        public Context dataDir(final File dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        public Context monitorDir(final File monitorDir)
        {
            this.monitorDir = monitorDir;
            return this;
        }

        /** @param threading shared or dedicated. */
        public Context threading(final String threading)
        {
            this.threading = threading;
            return this;
        }

        /** @param idleStrategy the idle strategy of the gateway and I/O agents (see IdleStrategies). */
        public Context idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /** @param driver the embedded media driver's settings; its directory defaults to one per process name. */
        public Context driver(final EmbeddedDriver.Context driver)
        {
            this.driver = driver;
            return this;
        }

        /** @return the gateway's settings, to adjust before launch. */
        public GatewayAgent.Context gateway()
        {
            return gateway;
        }

        /** @return the account service's settings, to adjust before launch. */
        public AccountPipeline.Context account()
        {
            return account;
        }

        /** @return the message services' settings (send-text, send-media, sync), to adjust before launch. */
        public MessagePipelines.Context messages()
        {
            return messages;
        }

        /** @return the sequence allocator's settings, to adjust before launch. */
        public SeqAgent.Context seq()
        {
            return seq;
        }

        /** @param seqEndpoint split deployment: where the allocator takes requests from other processes. */
        public Context seqEndpoint(final String seqEndpoint)
        {
            this.seqEndpoint = seqEndpoint;
            return this;
        }

        public Context serviceRingSize(final int serviceRingSize)
        {
            this.serviceRingSize = serviceRingSize;
            return this;
        }

        public Context serviceMaxInFlight(final int serviceMaxInFlight)
        {
            this.serviceMaxInFlight = serviceMaxInFlight;
            return this;
        }

        public Context serviceWaitStrategy(final String serviceWaitStrategy)
        {
            this.serviceWaitStrategy = serviceWaitStrategy;
            return this;
        }

        public Context kvTimeoutNs(final long kvTimeoutNs)
        {
            this.kvTimeoutNs = kvTimeoutNs;
            return this;
        }

        /** @param kvReplicas the KVSvr group's replicas, host:port each. */
        public Context kvReplicas(final List<String> kvReplicas)
        {
            this.kvReplicas = List.copyOf(kvReplicas);
            return this;
        }

        /** @param cluster the KVSvr cluster for the services; default: one group of {@link #kvReplicas}. */
        public Context cluster(final ClusterConfig cluster)
        {
            this.cluster = cluster;
            return this;
        }

        public Context kvClientEndpoint(final String kvClientEndpoint)
        {
            this.kvClientEndpoint = kvClientEndpoint;
            return this;
        }

        /** @param gatewayReplyEndpoint split deployment: where remote services send replies to the gateway. */
        public Context gatewayReplyEndpoint(final String gatewayReplyEndpoint)
        {
            this.gatewayReplyEndpoint = gatewayReplyEndpoint;
            return this;
        }

        /** @param endpoint split deployment: where a service takes requests from a gateway in another process. */
        public Context serviceEndpoint(final ServiceCatalog service, final String endpoint)
        {
            serviceEndpoints.put(service, endpoint);
            return this;
        }
    }
}
