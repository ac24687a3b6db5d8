package dev.tern.transport.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports that are free on 127.0.0.1 for both UDP and TCP, never handed out twice by this JVM.
 */
public final class FreePorts
{
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts()
    {
    }

    public static synchronized int next()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
            {
                final int port = udp.getLocalPort();
                if (HANDED_OUT.contains(port))
                {
                    continue;
                }
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
                {
                    HANDED_OUT.add(port);
                    return tcp.getLocalPort();
                }
                catch (final IOException ignore)
                {
                    // taken for TCP: try another
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        throw new IllegalStateException("no free port found on 127.0.0.1");
    }

    /** @return {@code 127.0.0.1:<free port>}. */
    public static String endpoint()
    {
        return "127.0.0.1:" + next();
    }
}
