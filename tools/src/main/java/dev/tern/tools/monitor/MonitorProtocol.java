package dev.tern.tools.monitor;

import dev.tern.transport.EmbeddedDriver;
import io.aeron.CommonContext;
import org.agrona.ErrorHandler;

import java.io.File;

/**
 * How agents reach the monitoring center: one Aeron UDP stream to the center's listen endpoint, carrying the SBE
 * messages of {@code monitor-schema.xml} (IdValueReport, IdDeclaration).
 */
public final class MonitorProtocol
{
    /** Aeron stream id of monitor reports. */
    public static final int REPORT_STREAM_ID = 1001;

    /** Longest machine name a report may carry, bytes of printable ASCII. */
    public static final int MAX_MACHINE_LENGTH = 255;

    /** Longest ID name a declaration may carry, bytes of printable ASCII. */
    public static final int MAX_NAME_LENGTH = 380;

    /** Longest unit a declaration may carry, bytes of printable ASCII. */
    public static final int MAX_UNIT_LENGTH = 32;

    private MonitorProtocol()
    {
    }

    /**
     * @param endpoint {@code host:port}.
     * @return the Aeron UDP channel of that endpoint.
     */
    public static String channel(final String endpoint)
    {
        return "aeron:udp?endpoint=" + endpoint;
    }

    /**
     * Check an endpoint's form.
     *
     * @param field    the setting's name for the error message.
     * @param endpoint the value.
     * @return the endpoint.
     * @throws IllegalArgumentException naming the field when it is not {@code host:port} with a port in 1-65535.
     */
    public static String validateEndpoint(final String field, final String endpoint)
    {
        final int colon = null == endpoint ? -1 : endpoint.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException(field + "=" + endpoint + " must be host:port");
        }
        try
        {
            final int port = Integer.parseInt(endpoint.substring(colon + 1));
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException(field + "=" + endpoint + " must have a port in 1-65535");
            }
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(field + "=" + endpoint + " must be host:port", ex);
        }
        return endpoint;
    }

    /**
     * Launch the embedded media driver of an agent or a center, refusing a directory that a running driver uses:
     * deleting it on start would silently take that driver's files.
     *
     * @param aeronDir     the driver's directory.
     * @param errorHandler receives the driver's errors.
     * @param role         who asks, for the error message, e.g. {@code agent}.
     * @return the driver and its client.
     * @throws IllegalStateException when a running driver uses the directory.
     */
    public static EmbeddedDriver launchDriver(final String aeronDir, final ErrorHandler errorHandler, final String role)
    {
        if (new File(aeronDir, "cnc.dat").exists() &&
            CommonContext.isDriverActive(new File(aeronDir), 5_000, message -> {}))
        {
            throw new IllegalStateException("aeronDir=" + aeronDir + " belongs to a running media driver (another " +
                role + "?); give this " + role + " its own --aeron-dir");
        }
        return EmbeddedDriver.launch(new EmbeddedDriver.Context().aeronDir(aeronDir).errorHandler(errorHandler));
    }

    /**
     * @param value a printable ASCII text such as a machine name.
     * @return true when every character is printable ASCII without spaces (0x21-0x7e).
     */
    public static boolean isPrintableAscii(final CharSequence value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e)
            {
                return false;
            }
        }
        return true;
    }
}
