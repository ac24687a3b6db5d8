package dev.tern.tools.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small HTTP plumbing the agent's {@code /metrics} and the center's page share, on the JDK's
 * {@code com.sun.net.httpserver}: no extra dependency, daemon worker threads, plain responses.
 */
public final class Http
{
    private Http()
    {
    }

    /**
     * A started server and its worker threads.
     */
    public static final class Server implements AutoCloseable
    {
        private final HttpServer server;
        private final ExecutorService executor;

        private Server(final HttpServer server, final ExecutorService executor)
        {
            this.server = server;
            this.executor = executor;
        }

        /** @return the bound port, useful when 0 asked for any free port. */
        public int port()
        {
            return server.getAddress().getPort();
        }

        /** @return the JDK server, to add contexts before or after start. */
        public HttpServer server()
        {
            return server;
        }

        public void close()
        {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /**
     * Bind and start a server.
     *
     * @param host    the address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}.
     * @param port    the port; 0 for any free port.
     * @param threads worker threads.
     * @param name    thread name prefix.
     * @return the started server, with no contexts yet.
     * @throws UncheckedIOException when the address cannot be bound, naming it.
     */
    public static Server start(final String host, final int port, final int threads, final String name)
    {
        final AtomicInteger counter = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(threads, runnable ->
        {
            final Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            server.setExecutor(executor);
            server.start();
            return new Server(server, executor);
        }
        catch (final IOException ex)
        {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot listen for HTTP on " + host + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Send a complete response and close the exchange.
     *
     * @param exchange    the request.
     * @param status      the HTTP status.
     * @param contentType the content type.
     * @param body        the body.
     * @throws IOException when the client went away.
     */
    public static void respond(final HttpExchange exchange, final int status, final String contentType,
        final byte[] body) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
        exchange.close();
    }

    /**
     * @see #respond(HttpExchange, int, String, byte[])
     */
    public static void respond(final HttpExchange exchange, final int status, final String contentType,
        final CharSequence body) throws IOException
    {
        respond(exchange, status, contentType, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answer anything but GET and HEAD with 405.
     *
     * @param exchange the request.
     * @return true when the request was answered (not a GET or HEAD).
     * @throws IOException when the client went away.
     */
    public static boolean rejectUnlessGet(final HttpExchange exchange) throws IOException
    {
        final String method = exchange.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method))
        {
            return false;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return true;
    }

    /**
     * @param exchange the request.
     * @return the query parameters, URL-decoded; the last value wins when a name repeats.
     */
    public static Map<String, String> query(final HttpExchange exchange)
    {
        final Map<String, String> params = new HashMap<>();
        final String raw = exchange.getRequestURI().getRawQuery();
        if (null == raw || raw.isEmpty())
        {
            return params;
        }
        for (final String pair : raw.split("&"))
        {
            final int eq = pair.indexOf('=');
            final String name = eq < 0 ? pair : pair.substring(0, eq);
            final String value = eq < 0 ? "" : pair.substring(eq + 1);
            try
            {
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
            catch (final IllegalArgumentException ex)
            {
                params.put(name, value);
            }
        }
        return params;
    }

    /**
     * Read a classpath resource whole, at start-up.
     *
     * @param path the resource path, absolute.
     * @return its bytes.
     * @throws IllegalStateException when the resource is missing from the build.
     */
    public static byte[] resource(final String path)
    {
        try (InputStream in = Http.class.getResourceAsStream(path))
        {
            if (null == in)
            {
                throw new IllegalStateException("resource " + path + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
