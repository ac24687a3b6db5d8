package dev.tern.tools.monitor;

import dev.tern.codecs.monitor.MonitorConfiguration;
import dev.tern.codecs.monitor.MonitorFileLayout;
import dev.tern.codecs.monitor.MonitorFileReader;
import dev.tern.codecs.monitor.sbe.MonitorKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code tern counters}: prints the counters of every Tern process on this machine from their monitor files, the
 * way Aeron's AeronStat reads the CnC file. It reads the files only and links no engine code.
 */
@Command(
    name = "counters",
    mixinStandardHelpOptions = true,
    description = {
        "Print the ID-Value counters of every Tern process on this machine, read from their monitor files",
        "(like Aeron's AeronStat). One-shot by default; --watch redraws.",
        "",
        "Example: bin/tern counters --watch --name 'agent\\..*'"
    })
public final class CountersCommand implements Callable<Integer>
{
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Monitor directory. Default: -Dtern.monitor.dir, else /dev/shm/tern-<user>/monitor.")
    private File dir;

    @Option(names = "--watch", description = "Redraw every --interval until Ctrl-C.")
    private boolean watch;

    @Option(names = "--interval", paramLabel = "MS", defaultValue = "1000",
        description = "Redraw interval of --watch, ms. Default: ${DEFAULT-VALUE}.")
    private long intervalMs;

    @Option(names = "--id", paramLabel = "ID[,ID...]", split = ",", description = "Show only these monitor IDs.")
    private List<Integer> ids;

    @Option(names = "--name", paramLabel = "REGEX", description = "Show only IDs whose name matches, e.g. 'agent\\..*'.")
    private String namePattern;

    @Option(names = "--process", paramLabel = "REGEX", description = "Show only files of processes whose name matches.")
    private String processPattern;

    @Option(names = "--errors", description = "Also print each file's error log (distinct errors with counts).")
    private boolean errors;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Pattern name;
        final Pattern process;
        try
        {
            name = null != namePattern ? Pattern.compile(namePattern) : null;
            process = null != processPattern ? Pattern.compile(processPattern) : null;
        }
        catch (final PatternSyntaxException ex)
        {
            spec.commandLine().getErr().println("tern counters: bad regex: " + ex.getMessage());
            return 2;
        }
        if (intervalMs < 10)
        {
            spec.commandLine().getErr().println("tern counters: --interval=" + intervalMs + " must be at least 10");
            return 2;
        }
        final File directory = null != dir ? dir : MonitorConfiguration.dir();
        final Set<Integer> idFilter = null != ids ? new HashSet<>(ids) : null;
        do
        {
            if (watch)
            {
                out.print("\033[H\033[2J");
            }
            print(out, directory, idFilter, name, process);
            out.flush();
            if (watch)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
            }
        }
        while (watch && !Thread.currentThread().isInterrupted());
        return 0;
    }

    private void print(final PrintWriter out, final File directory, final Set<Integer> idFilter, final Pattern name,
        final Pattern process)
    {
        final long nowMs = System.currentTimeMillis();
        out.println("Monitor directory " + directory + "   " + TIME.format(Instant.ofEpochMilli(nowMs)));
        final String[] names = directory.list((d, file) -> file.endsWith(MonitorFileLayout.FILE_SUFFIX) &&
            !file.startsWith("."));
        if (null == names || names.length == 0)
        {
            out.println("No monitor files (is a Tern process running? Choose the directory with --dir or " +
                "-D" + MonitorConfiguration.DIR_PROP_NAME + ")");
            return;
        }
        Arrays.sort(names);
        for (final String fileName : names)
        {
            final String processName = fileName.substring(0, fileName.length() - MonitorFileLayout.FILE_SUFFIX.length());
            if (null != process && !process.matcher(processName).matches())
            {
                continue;
            }
            try (MonitorFileReader reader = MonitorFileReader.open(new File(directory, fileName)))
            {
                if (null == reader || reader.isTruncated())
                {
                    out.println();
                    out.println("== " + fileName + ": not a valid Tern monitor file (skipped)");
                    continue;
                }
                printFile(out, reader, processName, nowMs, idFilter, name);
            }
        }
    }

    private void printFile(final PrintWriter out, final MonitorFileReader reader, final String processName,
        final long nowMs, final Set<Integer> idFilter, final Pattern name)
    {
        final MonitorFileReader.Liveness liveness = reader.liveness();
        final String mark = liveness == MonitorFileReader.Liveness.ALIVE ? "" : "  " + liveness;
        out.println();
        out.printf("== %s  pid %d  host %s  %s  heartbeat %.1f s ago%s%n", processName, reader.pid(), reader.host(),
            liveness, (nowMs - reader.heartbeatMs()) / 1000.0,
            liveness == MonitorFileReader.Liveness.ALIVE ? "" : "  (values as last written)");
        out.printf("%10s  %-40s %-8s %-12s %20s%n", "ID", "NAME", "KIND", "UNIT", "VALUE");
        try
        {
            reader.forEach((id, kind, unit, label, value) ->
            {
                if ((null == idFilter || idFilter.contains(id)) && (null == name || name.matcher(label).matches()))
                {
                    out.printf("%10d  %-40s %-8s %-12s %20d%s%n", id, label,
                        kind == MonitorKind.COUNTER ? "counter" : "gauge", unit, value, mark);
                }
            });
        }
        catch (final RuntimeException | InternalError ex)
        {
            out.println("   (file unreadable past this point: " + ex.getMessage() + ")");
        }
        if (errors)
        {
            final int distinct = reader.readErrors((count, firstMs, lastMs, text) ->
            {
                out.printf("   error x%d, first %s, last %s:%n", count, TIME.format(Instant.ofEpochMilli(firstMs)),
                    TIME.format(Instant.ofEpochMilli(lastMs)));
                for (final String line : text.split("\n"))
                {
                    out.println("      " + line);
                }
            });
            out.println("   " + distinct + " distinct error(s)");
        }
    }
}
