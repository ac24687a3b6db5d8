package dev.tern.perf.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class PercentilePlotTest
{
    @Test
    void shouldDrawAPngOfTheRequestedSizeWithCurves() throws IOException
    {
        final byte[] png = PercentilePlot.png("latency", List.of(
            new PercentilePlot.Curve("fast", Results.uniformUs(10_000)),
            new PercentilePlot.Curve("slow", scaled(Results.uniformUs(10_000), 100))), 800, 500);

        final BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        assertTrue(png.length > 1000, "png of " + png.length + " bytes");
        assertTrue(countOfColour(image, 0x1f77b4) > 100, "first curve drawn");
        assertTrue(countOfColour(image, 0xd62728) > 100, "second curve drawn");
    }

    @Test
    void shouldDrawAxesWhenThereIsNoData() throws IOException
    {
        final byte[] png = PercentilePlot.png("empty", List.of(
            new PercentilePlot.Curve("none", new Histogram(LoadSenderAgent.HIGHEST_NS, 3))), 320, 240);
        final BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(320, image.getWidth());
        assertNotEquals(0, countOfColour(image, 0x000000));
    }

    @Test
    void shouldRejectATinyPlot()
    {
        assertThrows(IllegalArgumentException.class, () -> PercentilePlot.png("x", List.of(), 100, 100));
    }

    private static Histogram scaled(final Histogram histogram, final int factor)
    {
        final Histogram scaled = new Histogram(LoadSenderAgent.HIGHEST_NS, 3);
        histogram.recordedValues().forEach(v -> scaled.recordValueWithCount(
            v.getValueIteratedTo() * factor, v.getCountAtValueIteratedTo()));
        return scaled;
    }

    private static int countOfColour(final BufferedImage image, final int rgb)
    {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                count += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return count;
    }
}
