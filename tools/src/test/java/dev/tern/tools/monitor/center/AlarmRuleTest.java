package dev.tern.tools.monitor.center;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(10)
class AlarmRuleTest
{
    private static AlarmRule parseOne(final String line)
    {
        final List<AlarmRule> rules = AlarmRule.parse(List.of(line), "rules.txt");
        assertEquals(1, rules.size());
        return rules.get(0);
    }

    private static String errorOf(final String... lines)
    {
        return assertThrows(IllegalArgumentException.class, () -> AlarmRule.parse(List.of(lines), "rules.txt"))
            .getMessage();
    }

    @Test
    void shouldParseAboveWithAWindow()
    {
        final AlarmRule rule = parseOne("rule high_errors id=600 above 100 over 60s");

        assertEquals("high_errors", rule.name());
        assertEquals(600, rule.id());
        assertNull(rule.machine());
        assertEquals(AlarmRule.Kind.ABOVE, rule.kind());
        assertEquals(100.0, rule.threshold());
        assertEquals(60_000, rule.windowMs());
        assertEquals("above 100 over 60s", rule.condition());
        assertTrue(rule.breached(100.5));
        assertFalse(rule.breached(100));
    }

    @Test
    void shouldParseBelowForOneMachineWithoutAWindow()
    {
        final AlarmRule rule = parseOne("rule quiet id=1000 machine=box-1 below 2.5");

        assertEquals("box-1", rule.machine());
        assertEquals(AlarmRule.Kind.BELOW, rule.kind());
        assertEquals(0, rule.windowMs());
        assertTrue(rule.breached(2));
        assertFalse(rule.breached(3));
    }

    @Test
    void shouldParseRateOfChangeWithASignedPercent()
    {
        final AlarmRule rise = parseOne("rule spike id=1 rate_of_change > 50% over 5m");
        final AlarmRule fall = parseOne("rule drop id=1 rate_of_change < -50% over 2h");

        assertEquals(AlarmRule.Kind.RATE_OF_CHANGE, rise.kind());
        assertTrue(rise.greater());
        assertEquals(50.0, rise.threshold());
        assertEquals(300_000, rise.windowMs());
        assertFalse(fall.greater());
        assertEquals(-50.0, fall.threshold());
        assertEquals(7_200_000, fall.windowMs());
    }

    @Test
    void shouldParseDayAndWeekComparisons()
    {
        final AlarmRule day = parseOne("rule busier id=1 vs_day_ago > 200%");
        final AlarmRule week = parseOne("rule quieter id=1 vs_week_ago < 50% over 10m");

        assertEquals(AlarmRule.Kind.VS_DAY_AGO, day.kind());
        assertEquals(200.0, day.threshold());
        assertEquals(0, day.windowMs());
        assertEquals(AlarmRule.Kind.VS_WEEK_AGO, week.kind());
        assertEquals(600_000, week.windowMs());
    }

    @Test
    void shouldIgnoreCommentsAndBlankLines()
    {
        final List<AlarmRule> rules = AlarmRule.parse(List.of("# header", "", "rule a id=1 above 1  # trailing",
            "   ", "rule b id=2 below 1"), "rules.txt");

        assertEquals(List.of("a", "b"), rules.stream().map(AlarmRule::name).toList());
    }

    @Test
    void shouldNameTheFileAndLineOfABadRule()
    {
        final String message = errorOf("# ok", "rule a id=1 abve 100");

        assertTrue(message.startsWith("rules.txt:2: unknown condition 'abve'"), message);
    }

    @Test
    void shouldRejectMalformedRules()
    {
        assertTrue(errorOf("rule a id=x above 1").contains("id 'x' is not a number"));
        assertTrue(errorOf("rule a above 1").contains("expected id=ID"));
        assertTrue(errorOf("rule a id=1 above").contains("missing a threshold"));
        assertTrue(errorOf("rule a id=1 above 1 over 5").contains("needs a unit"));
        assertTrue(errorOf("rule a id=1 above 1 over 0s").contains("must be positive"));
        assertTrue(errorOf("rule a id=1 rate_of_change > 50%").contains("needs 'over DURATION'"));
        assertTrue(errorOf("rule a id=1 vs_day_ago >= 50%").contains("expected > or <"));
        assertTrue(errorOf("rule a id=1 vs_day_ago > 50").contains("must end with %"));
        assertTrue(errorOf("rule a id=1 above 1 extra").contains("expected 'over'"));
        assertTrue(errorOf("rule a id=1 above 1", "rule a id=2 above 1").contains("used twice"));
        assertTrue(errorOf("alarm a id=1 above 1").contains("expected 'rule'"));
    }
}
