package dev.tern.tools.monitor.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(10)
class MonitorAgentContextTest
{
    private static String errorOf(final MonitorAgent.Context ctx)
    {
        return assertThrows(IllegalArgumentException.class, ctx::conclude).getMessage();
    }

    @Test
    void shouldFillDefaultsFromTheConfiguration()
    {
        final MonitorAgent.Context ctx = new MonitorAgent.Context().conclude();

        assertEquals(AgentConfiguration.INTERVAL_MS_DEFAULT, ctx.intervalMs());
        assertEquals(AgentConfiguration.CENTER_DEFAULT, ctx.centerEndpoint());
        assertEquals(AgentConfiguration.BUFFER_REPORTS_DEFAULT, ctx.bufferReports());
        assertNotNull(ctx.monitorDir());
        assertFalse(ctx.machine().isEmpty());
        assertTrue(ctx.aeronDir().endsWith("-agent"));
    }

    @Test
    void shouldNameTheBadField()
    {
        assertTrue(errorOf(new MonitorAgent.Context().intervalMs(5)).startsWith("intervalMs=5"));
        assertTrue(errorOf(new MonitorAgent.Context().centerEndpoint("host")).startsWith("center=host"));
        assertTrue(errorOf(new MonitorAgent.Context().centerEndpoint("host:99999")).startsWith("center=host:99999"));
        assertTrue(errorOf(new MonitorAgent.Context().machine("two words")).startsWith("machine=two words"));
        assertTrue(errorOf(new MonitorAgent.Context().httpPort(-2)).startsWith("httpPort=-2"));
        assertTrue(errorOf(new MonitorAgent.Context().bufferReports(0)).startsWith("bufferReports=0"));
        assertTrue(errorOf(new MonitorAgent.Context().bufferBytes(1000)).startsWith("bufferBytes=1000"));
        assertTrue(errorOf(new MonitorAgent.Context().declareIntervalMs(10)).startsWith("declareIntervalMs=10"));
        assertTrue(errorOf(new MonitorAgent.Context().idleMaxParkMs(0)).startsWith("idleMaxParkMs=0"));
    }
}
