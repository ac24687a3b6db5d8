package dev.tern.transport.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM that a test starts, with the test's classpath and Tern's JVM flags, its output kept in a file.
 * For claims about processes: crash isolation, kill -9, pause, external readers.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final File output;
    private final String description;

    private ChildJvm(final Process process, final File output, final String description)
    {
        this.process = process;
        this.output = output;
        this.description = description;
    }

    /**
     * @param mainClass the class whose main runs in the child.
     * @return a builder.
     */
    public static Builder builder(final Class<?> mainClass)
    {
        return new Builder(mainClass.getName());
    }

    public static Builder builder(final String mainClassName)
    {
        return new Builder(mainClassName);
    }

    public long pid()
    {
        return process.pid();
    }

    public Process process()
    {
        return process;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** @return everything the child wrote to stdout and stderr so far. */
    public String output()
    {
        try
        {
            return output.exists() ? Files.readString(output.toPath(), StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the file holding the child's output. */
    public File outputFile()
    {
        return output;
    }

    /**
     * Wait until the child's output contains a text.
     *
     * @return the output at that moment.
     */
    public String awaitOutput(final String text, final Duration timeout)
    {
        Await.await(() -> output().contains(text) || !process.isAlive(), timeout,
            () -> description + " to print '" + text + "'; output so far:\n" + output());
        final String out = output();
        if (!out.contains(text))
        {
            throw new AssertionError(description + " exited (" + process.exitValue() + ") before printing '" + text +
                "'; output:\n" + out);
        }
        return out;
    }

    /** kill -9: the child gets no chance to clean up. */
    public void kill9()
    {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** kill -STOP: pause the child. */
    public void pause()
    {
        signal("STOP");
    }

    /** kill -CONT: resume a paused child. */
    public void resume()
    {
        signal("CONT");
    }

    /**
     * @return the exit code.
     * @throws AssertionError when the child does not exit in time.
     */
    public int waitFor(final Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new AssertionError(description + " did not exit within " + timeout + "; output:\n" + output());
            }
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /** Ask the child to stop (SIGTERM, running shutdown hooks), then kill it if it does not exit in time. */
    public void close()
    {
        if (process.isAlive())
        {
            resume();
            process.destroy();
            try
            {
                if (!process.waitFor(20, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    process.waitFor(20, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private void signal(final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
            {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /**
     * Builds and starts a {@link ChildJvm}.
     */
    public static final class Builder
    {
        private final String mainClassName;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private File output;
        private String heap = "256m";

        private Builder(final String mainClassName)
        {
            this.mainClassName = mainClassName;
        }

        public Builder arg(final String... values)
        {
            args.addAll(List.of(values));
            return this;
        }

        public Builder property(final String name, final String value)
        {
            properties.put(name, value);
            return this;
        }

        public Builder jvmArg(final String value)
        {
            jvmArgs.add(value);
            return this;
        }

        public Builder heap(final String heap)
        {
            this.heap = heap;
            return this;
        }

        /**
         * @param output where stdout and stderr go; by default a temp file kept after the test.
         */
        public Builder output(final File output)
        {
            this.output = output;
            return this;
        }

        public ChildJvm start()
        {
            final List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            final String flags = System.getProperty("tern.test.jvmFlags", "");
            for (final String flag : flags.trim().split("\\s+"))
            {
                if (!flag.isEmpty())
                {
                    command.add(flag);
                }
            }
            command.add("-Xmx" + heap);
            command.add("-XX:+UseSerialGC");
            command.addAll(jvmArgs);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClassName);
            command.addAll(args);

            try
            {
                final File out = null != output ? output :
                    File.createTempFile("tern-child-" + simpleName(mainClassName) + "-", ".log");
                final Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                    .start();
                return new ChildJvm(process, out, simpleName(mainClassName) + " pid=" + process.pid());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        private static String simpleName(final String className)
        {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }
}
