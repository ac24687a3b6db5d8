package dev.tern.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A latency-by-percentile plot, the way HdrHistogram's plotter draws one: the x axis stretches the tail (0%, 90%,
 * 99%, 99.9%, ... evenly spaced), the y axis is latency on a log scale, one curve per histogram. Drawn with plain
 * Java2D into a PNG; needs no display ({@code java.awt.headless=true}).
 */
public final class PercentilePlot
{
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final int LEFT = 80;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 56;
    private static final int MAX_NINES = 6;
    private static final String[] UNITS = { "us", "ms", "s" };

    /**
     * One curve of the plot.
     *
     * @param label     its legend.
     * @param histogram latencies, ns.
     */
    public record Curve(String label, Histogram histogram)
    {
    }

    private PercentilePlot()
    {
    }

    /**
     * Draw the plot.
     *
     * @param title  the plot's title.
     * @param curves the curves; empty histograms are left out.
     * @param width  pixels, at least 320.
     * @param height pixels, at least 240.
     * @return the PNG's bytes.
     */
    public static byte[] png(final String title, final List<Curve> curves, final int width, final int height)
    {
        if (width < 320 || height < 240)
        {
            throw new IllegalArgumentException("plot size " + width + "x" + height + " must be at least 320x240");
        }
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            draw(g, title, curves, width, height);
        }
        finally
        {
            g.dispose();
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            ImageIO.write(image, "png", out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static void draw(final Graphics2D g, final String title, final List<Curve> curves, final int width,
        final int height)
    {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        // axis ranges: x in "nines" (log10 of 1 / (1 - p)), y in log10 of microseconds
        double nines = 2;
        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        for (final Curve curve : curves)
        {
            final Histogram h = curve.histogram();
            if (h.getTotalCount() > 0)
            {
                nines = Math.max(nines, Math.min(MAX_NINES, Math.ceil(Math.log10(h.getTotalCount()))));
                minUs = Math.min(minUs, Math.max(0.1, h.getMinValue() / 1e3));
                maxUs = Math.max(maxUs, h.getMaxValue() / 1e3);
            }
        }
        if (maxUs == 0)
        {
            minUs = 1;
            maxUs = 1000;
        }
        final double yLow = Math.floor(Math.log10(minUs));
        final double yHigh = Math.max(yLow + 1, Math.ceil(Math.log10(maxUs)));

        final int plotWidth = width - LEFT - RIGHT;
        final int plotHeight = height - TOP - BOTTOM;
        final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font);

        // grid and tick labels
        g.setStroke(new BasicStroke(1f));
        for (int k = 0; k <= nines; k++)
        {
            final int x = LEFT + (int)Math.round(plotWidth * k / nines);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, TOP, x, TOP + plotHeight);
            g.setColor(Color.DARK_GRAY);
            final String label = percentLabel(k);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 18);
        }
        for (int d = (int)yLow; d <= (int)yHigh; d++)
        {
            final int y = TOP + plotHeight - (int)Math.round(plotHeight * (d - yLow) / (yHigh - yLow));
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            final String label = latencyLabel(d);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        g.drawString(title, LEFT, TOP - 16);
        g.setFont(font);
        final String xTitle = "percentile (latency from the intended send time: coordinated omission corrected)";
        g.drawString(xTitle, LEFT + (plotWidth - g.getFontMetrics().stringWidth(xTitle)) / 2, height - 14);

        // curves and legend
        g.setStroke(new BasicStroke(2f));
        int legendRow = 0;
        int colour = 0;
        for (final Curve curve : curves)
        {
            final Histogram h = curve.histogram();
            if (h.getTotalCount() == 0)
            {
                continue;
            }
            g.setColor(PALETTE[colour++ % PALETTE.length]);
            final Path2D.Double path = new Path2D.Double();
            boolean first = true;
            for (final HistogramIterationValue value : h.percentiles(5))
            {
                final double p = value.getPercentileLevelIteratedTo() / 100.0;
                final double x = p >= 1 ? nines : Math.min(nines, Math.log10(1 / (1 - p)));
                final double us = Math.max(Math.pow(10, yLow), value.getValueIteratedTo() / 1e3);
                final double px = LEFT + plotWidth * x / nines;
                final double py = TOP + plotHeight - plotHeight * (Math.log10(us) - yLow) / (yHigh - yLow);
                if (first)
                {
                    path.moveTo(px, py);
                    first = false;
                }
                else
                {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            final int ly = TOP + 18 + 16 * legendRow++;
            g.drawLine(LEFT + 10, ly - 4, LEFT + 30, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(curve.label(), LEFT + 36, ly);
        }
    }

    private static String percentLabel(final int nines)
    {
        // nines k is the percentile 100 * (1 - 10^-k): 0%, 90%, 99%, 99.9%, 99.99%, ...
        switch (nines)
        {
            case 0:
                return "0%";
            case 1:
                return "90%";
            case 2:
                return "99%";
            default:
                return "99." + "9".repeat(nines - 2) + "%";
        }
    }

    private static String latencyLabel(final int decade)
    {
        // decade of microseconds: 0 -> 1 us, 3 -> 1 ms, 6 -> 1 s
        int unit = 0;
        int d = decade;
        while (d >= 3 && unit < UNITS.length - 1)
        {
            d -= 3;
            unit++;
        }
        if (d < 0)
        {
            return (int)Math.round(Math.pow(10, d + 3)) + " ns";
        }
        return (int)Math.pow(10, d) + " " + UNITS[unit];
    }
}
