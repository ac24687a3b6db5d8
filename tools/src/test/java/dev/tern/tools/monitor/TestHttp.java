package dev.tern.tools.monitor;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP for tests: GET a URL, and a webhook receiver on 127.0.0.1 that records every POST body.
 */
public final class TestHttp
{
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp()
    {
    }

    /**
     * @return the body of a GET, or null when the server is not reachable or answers other than 200.
     */
    public static String getOrNull(final String url)
    {
        try
        {
            final HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    /**
     * @return the status of a GET.
     */
    public static int status(final String url)
    {
        try
        {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
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
     * @return the numbers of a JSON array field such as {@code "sum":[1,null,2]}, nulls skipped; empty when absent.
     */
    public static List<Double> numbers(final String json, final String field)
    {
        final Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\":\\[([^\\]]*)]").matcher(json);
        final List<Double> numbers = new ArrayList<>();
        if (matcher.find())
        {
            for (final String item : matcher.group(1).split(","))
            {
                if (!item.isEmpty() && !item.equals("null"))
                {
                    numbers.add(Double.parseDouble(item));
                }
            }
        }
        return numbers;
    }

    /** Records the body of every POST to any path; answers 200, or 500 to the first few POSTs when asked to. */
    public static final class WebhookReceiver implements AutoCloseable
    {
        private final HttpServer server;
        private final List<String> bodies = new CopyOnWriteArrayList<>();
        private final AtomicInteger failuresLeft;

        public WebhookReceiver()
        {
            this(0);
        }

        /**
         * @param failFirst how many POSTs to answer with 500 (not recorded) before answering 200.
         */
        public WebhookReceiver(final int failFirst)
        {
            failuresLeft = new AtomicInteger(failFirst);
            try
            {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            server.createContext("/", exchange ->
            {
                int status = 200;
                try (InputStream in = exchange.getRequestBody())
                {
                    final String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (failuresLeft.getAndDecrement() > 0)
                    {
                        status = 500;
                    }
                    else if ("POST".equals(exchange.getRequestMethod()))
                    {
                        bodies.add(body);
                    }
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        public String url()
        {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        public List<String> bodies()
        {
            return bodies;
        }

        public void close()
        {
            server.stop(0);
        }
    }
}
