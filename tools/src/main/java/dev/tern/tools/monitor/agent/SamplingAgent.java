package dev.tern.tools.monitor.agent;

import dev.tern.codecs.monitor.Monitor;
import dev.tern.codecs.monitor.MonitorId;
import dev.tern.codecs.monitor.MonitorFileReader;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's duty cycle: on each interval boundary, sample every monitor file ({@link FileSampler}), encode the
 * sample and any new IDs into the {@link ReportBuffer}; on every cycle, send what the center's publication takes and
 * answer pending {@code /metrics} requests. It alone touches the mapped files, so a file is never unmapped under a
 * reader.
 * <p>
 * Sample times are aligned to multiples of the interval, so that reports of different machines line up in the
 * center's sums.
 */
final class SamplingAgent implements Agent
{
    private static final int SCRAPES_PER_CYCLE = 4;

    /** A {@code /metrics} request handed from an HTTP thread to the agent thread. */
    static final class ScrapeRequest
    {
        final CompletableFuture<String> body = new CompletableFuture<>();
    }

    private final long intervalMs;
    private final long declareIntervalMs;
    private final String machine;
    private final EpochClock clock;
    private final FileSampler sampler;
    private final IdTable table;
    private final ReportEncoder encoder;
    private final ReportBuffer buffer;
    private final ReportPublisher publisher;
    private final Monitor monitor;
    private final ManyToOneConcurrentArrayQueue<ScrapeRequest> scrapes = new ManyToOneConcurrentArrayQueue<>(64);
    private long nextSampleMs;
    private long lastSampleMs;
    private long nextDeclareAllMs;
    private long reportedSent;
    private long reportedDropped;
    private long reportedBackPressure;
    private long reportedReplaced;

    SamplingAgent(
        final long intervalMs,
        final long declareIntervalMs,
        final String machine,
        final EpochClock clock,
        final FileSampler sampler,
        final IdTable table,
        final ReportEncoder encoder,
        final ReportBuffer buffer,
        final ReportPublisher publisher,
        final Monitor monitor)
    {
        this.intervalMs = intervalMs;
        this.declareIntervalMs = declareIntervalMs;
        this.machine = machine;
        this.clock = clock;
        this.sampler = sampler;
        this.table = table;
        this.encoder = encoder;
        this.buffer = buffer;
        this.publisher = publisher;
        this.monitor = monitor;
    }

    public void onStart()
    {
        final long nowMs = clock.time();
        sampler.scan(nowMs);
        lastSampleMs = nowMs;
        nextSampleMs = nowMs - nowMs % intervalMs + intervalMs;
        nextDeclareAllMs = nowMs + declareIntervalMs;
    }

    public int doWork()
    {
        final long nowMs = clock.time();
        int work = 0;
        if (nowMs >= nextSampleMs || nowMs < lastSampleMs)
        {
            sample(nowMs);
            work++;
        }
        work += publisher.drain(buffer);
        work += serveScrapes();
        updateCounters();
        return work;
    }

    public void onClose()
    {
        ScrapeRequest request;
        while (null != (request = scrapes.poll()))
        {
            request.body.completeExceptionally(new IllegalStateException("agent closed"));
        }
        sampler.close();
    }

    public String roleName()
    {
        return "tern-agent";
    }

    /**
     * Queue a {@code /metrics} request for the agent thread; any thread.
     *
     * @return the request, or null when too many are pending.
     */
    ScrapeRequest requestScrape()
    {
        final ScrapeRequest request = new ScrapeRequest();
        return scrapes.offer(request) ? request : null;
    }

    private void sample(final long nowMs)
    {
        final long startNs = System.nanoTime();
        final long sampleTimeMs = nowMs - nowMs % intervalMs;
        // a wall clock stepped back (NTP) must not stall sampling nor claim a negative interval
        final long sinceLastMs = sampleTimeMs - lastSampleMs;
        final int coveredMs = (int)(sinceLastMs > 0 && sinceLastMs <= Integer.MAX_VALUE ? sinceLastMs : intervalMs);
        lastSampleMs = sampleTimeMs;
        nextSampleMs = sampleTimeMs + intervalMs;

        final int ids = sampler.sample(sampleTimeMs);
        if (nowMs >= nextDeclareAllMs)
        {
            table.redeclareAll();
            nextDeclareAllMs = nowMs + declareIntervalMs;
        }
        monitor.add(MonitorId.AGENT_DECLARATIONS_SENT, encoder.encodeDeclarations(table, buffer));
        encoder.encodeReport(table, buffer, sampleTimeMs, coveredMs);

        monitor.add(MonitorId.AGENT_SAMPLES, 1);
        monitor.set(MonitorId.AGENT_SAMPLE_NANOS, System.nanoTime() - startNs);
        monitor.set(MonitorId.AGENT_IDS, ids);
        monitor.set(MonitorId.AGENT_FILES, liveFiles());
        monitor.set(MonitorId.AGENT_FILES_INVALID, sampler.invalidFiles());
    }

    private int liveFiles()
    {
        int live = 0;
        for (final FileSampler.TrackedFile file : sampler.files())
        {
            if (file.isLive())
            {
                live++;
            }
        }
        return live;
    }

    private void updateCounters()
    {
        monitor.set(MonitorId.AGENT_REPORTS_BUFFERED, buffer.batches());
        monitor.add(MonitorId.AGENT_REPORTS_SENT, publisher.sent() - reportedSent);
        reportedSent = publisher.sent();
        monitor.add(MonitorId.AGENT_REPORTS_DROPPED, buffer.droppedBatches() - reportedDropped);
        reportedDropped = buffer.droppedBatches();
        monitor.add(MonitorId.AGENT_BACK_PRESSURE, publisher.backPressured() - reportedBackPressure);
        reportedBackPressure = publisher.backPressured();
        monitor.add(MonitorId.AGENT_FILES_REPLACED, sampler.filesReplaced() - reportedReplaced);
        reportedReplaced = sampler.filesReplaced();
    }

    private int serveScrapes()
    {
        int served = 0;
        ScrapeRequest request;
        while (served < SCRAPES_PER_CYCLE && null != (request = scrapes.poll()))
        {
            try
            {
                request.body.complete(renderMetrics());
            }
            catch (final RuntimeException | InternalError ex)
            {
                request.body.completeExceptionally(ex);
                monitor.errorHandler().onError(ex);
            }
            monitor.add(MonitorId.AGENT_SCRAPES, 1);
            served++;
        }
        return served;
    }

    /** Current values, read from the live files now; allocates, but only when scraped. */
    private String renderMetrics()
    {
        final Map<Integer, PrometheusFormat.Family> families = new TreeMap<>();
        for (final FileSampler.TrackedFile file : sampler.files())
        {
            if (!file.isLive() || file.reader.liveness() != MonitorFileReader.Liveness.ALIVE || file.reader.isTruncated())
            {
                continue;
            }
            final String process = file.processName;
            file.reader.forEach((id, kind, unit, name, value) ->
            {
                if (null != kind && kind != MonitorKind.NULL_VAL)
                {
                    families.computeIfAbsent(id, k -> new PrometheusFormat.Family(id, name, kind, unit))
                        .add(process, value);
                }
            });
        }
        final StringBuilder out = new StringBuilder(256 + families.size() * 160);
        PrometheusFormat.write(families.values(), machine, out);
        return out.toString();
    }
}
