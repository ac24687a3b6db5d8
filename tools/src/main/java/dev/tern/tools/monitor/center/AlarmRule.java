package dev.tern.tools.monitor.center;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One alarm rule of the center's rules file. One rule a line; {@code #} starts a comment:
 * <pre>
 *   rule NAME id=ID [machine=MACHINE] above THRESHOLD [over DURATION]
 *   rule NAME id=ID [machine=MACHINE] below THRESHOLD [over DURATION]
 *   rule NAME id=ID [machine=MACHINE] rate_of_change (&gt;|&lt;) PERCENT% over DURATION
 *   rule NAME id=ID [machine=MACHINE] vs_day_ago (&gt;|&lt;) PERCENT% [over DURATION]
 *   rule NAME id=ID [machine=MACHINE] vs_week_ago (&gt;|&lt;) PERCENT% [over DURATION]
 * </pre>
 * Durations: a number with ms, s, m, h or d. Without {@code machine=} a rule watches the ID summed over every
 * machine. What each kind compares is described on {@link Kind}; {@link AlarmEvaluator} evaluates them.
 * Immutable.
 */
public final class AlarmRule
{
    /** What a rule compares. */
    public enum Kind
    {
        /**
         * The window's aggregate is above the threshold: for a counter the sum of its deltas over the window (events
         * in the window), for a gauge its mean. Without {@code over}, the window is the latest sample.
         */
        ABOVE,
        /** The window's aggregate is below the threshold; as {@link #ABOVE}. */
        BELOW,
        /**
         * The latest sample's value changed by more (or less) than PERCENT against the sample DURATION earlier:
         * (now - then) / |then| x 100. A signed percent: {@code < -50%} fires on a fall by more than half.
         */
        RATE_OF_CHANGE,
        /**
         * The mean per sample over the window (default: the latest sample) as a percent of the mean over the same
         * window one day earlier: now / then x 100.
         */
        VS_DAY_AGO,
        /** As {@link #VS_DAY_AGO}, one week earlier. */
        VS_WEEK_AGO
    }

    private final String name;
    private final int id;
    private final String machine;
    private final Kind kind;
    private final boolean greater;
    private final double threshold;
    private final long windowMs;
    private final String condition;

    AlarmRule(final String name, final int id, final String machine, final Kind kind, final boolean greater,
        final double threshold, final long windowMs, final String condition)
    {
        this.name = name;
        this.id = id;
        this.machine = machine;
        this.kind = kind;
        this.greater = greater;
        this.threshold = threshold;
        this.windowMs = windowMs;
        this.condition = condition;
    }

    /** @return the rule's name, unique in its file. */
    public String name()
    {
        return name;
    }

    /** @return the monitor ID watched. */
    public int id()
    {
        return id;
    }

    /** @return the machine watched, or null for the sum over every machine. */
    public String machine()
    {
        return machine;
    }

    public Kind kind()
    {
        return kind;
    }

    /** @return true when the rule fires above the threshold ({@code above}, {@code >}), false below. */
    public boolean greater()
    {
        return greater;
    }

    /** @return the threshold: a value for above/below, a percent for the others. */
    public double threshold()
    {
        return threshold;
    }

    /** @return the window (above, below, vs_*) or look-back (rate_of_change), ms; 0 for the latest sample. */
    public long windowMs()
    {
        return windowMs;
    }

    /** @return the condition as written, e.g. {@code above 100 over 60s}. */
    public String condition()
    {
        return condition;
    }

    /**
     * @param value the quantity the rule compares, as computed by {@link AlarmEvaluator}.
     * @return whether it breaches the threshold.
     */
    public boolean breached(final double value)
    {
        return greater ? value > threshold : value < threshold;
    }

    public String toString()
    {
        return "rule " + name + " id=" + id + (null != machine ? " machine=" + machine : "") + " " + condition;
    }

    /**
     * Read a rules file.
     *
     * @param file the file.
     * @return its rules.
     * @throws IllegalArgumentException naming the file, line and problem.
     * @throws UncheckedIOException when the file cannot be read.
     */
    public static List<AlarmRule> parseFile(final Path file)
    {
        try
        {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read rules file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Parse rules.
     *
     * @param lines  the lines of a rules file.
     * @param source the file's name, for error messages.
     * @return the rules in file order.
     * @throws IllegalArgumentException naming the source, line and problem.
     */
    public static List<AlarmRule> parse(final List<String> lines, final String source)
    {
        final List<AlarmRule> rules = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++)
        {
            String line = lines.get(i);
            final int hash = line.indexOf('#');
            if (hash >= 0)
            {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty())
            {
                continue;
            }
            try
            {
                final AlarmRule rule = parseLine(line);
                if (!names.add(rule.name))
                {
                    throw new IllegalArgumentException("rule name '" + rule.name + "' is used twice");
                }
                rules.add(rule);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + ex.getMessage() + "\n  " +
                    lines.get(i).trim(), ex);
            }
        }
        return rules;
    }

    private static AlarmRule parseLine(final String line)
    {
        final String[] tokens = line.split("\\s+");
        int next = 0;
        expect(tokens, next++, "rule");
        final String name = token(tokens, next++, "a rule name");
        if (!name.matches("[A-Za-z0-9_.-]{1,100}"))
        {
            throw new IllegalArgumentException("rule name '" + name + "' must be 1-100 characters of [A-Za-z0-9_.-]");
        }
        final String idToken = token(tokens, next++, "id=ID");
        if (!idToken.startsWith("id="))
        {
            throw new IllegalArgumentException("expected id=ID after the rule name, found '" + idToken + "'");
        }
        final int id;
        try
        {
            id = Integer.parseInt(idToken.substring(3));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("id '" + idToken.substring(3) + "' is not a number", ex);
        }
        if (id < 0)
        {
            throw new IllegalArgumentException("id=" + id + " must not be negative");
        }
        String machine = null;
        if (next < tokens.length && tokens[next].startsWith("machine="))
        {
            machine = tokens[next++].substring("machine=".length());
            if (machine.isEmpty())
            {
                throw new IllegalArgumentException("machine= needs a machine name");
            }
        }

        final int conditionStart = next;
        final String kindToken = token(tokens, next++, "a condition (above, below, rate_of_change, vs_day_ago, vs_week_ago)");
        final Kind kind;
        boolean greater;
        double threshold;
        long windowMs = 0;
        switch (kindToken.toLowerCase(Locale.ROOT))
        {
            case "above":
            case "below":
                kind = kindToken.equalsIgnoreCase("above") ? Kind.ABOVE : Kind.BELOW;
                greater = kind == Kind.ABOVE;
                threshold = number(token(tokens, next++, "a threshold"), false);
                break;
            case "rate_of_change":
            case "vs_day_ago":
            case "vs_week_ago":
                kind = kindToken.equalsIgnoreCase("rate_of_change") ? Kind.RATE_OF_CHANGE :
                    kindToken.equalsIgnoreCase("vs_day_ago") ? Kind.VS_DAY_AGO : Kind.VS_WEEK_AGO;
                final String comparison = token(tokens, next++, "> or <");
                if (!comparison.equals(">") && !comparison.equals("<"))
                {
                    throw new IllegalArgumentException("expected > or < after " + kindToken + ", found '" +
                        comparison + "'");
                }
                greater = comparison.equals(">");
                threshold = number(token(tokens, next++, "a percent such as 50%"), true);
                break;
            default:
                throw new IllegalArgumentException("unknown condition '" + kindToken +
                    "'; expected above, below, rate_of_change, vs_day_ago or vs_week_ago");
        }
        if (next < tokens.length)
        {
            expect(tokens, next++, "over");
            windowMs = duration(token(tokens, next++, "a duration such as 60s"));
        }
        if (next < tokens.length)
        {
            throw new IllegalArgumentException("unexpected '" + tokens[next] + "' after the condition");
        }
        if (kind == Kind.RATE_OF_CHANGE && windowMs == 0)
        {
            throw new IllegalArgumentException("rate_of_change needs 'over DURATION', e.g. over 5m");
        }
        if ((kind == Kind.VS_DAY_AGO && windowMs > 86_400_000L) || (kind == Kind.VS_WEEK_AGO && windowMs > 7 * 86_400_000L))
        {
            throw new IllegalArgumentException(kindToken + " window must not exceed its look-back");
        }
        final String condition = String.join(" ", Arrays.copyOfRange(tokens, conditionStart, tokens.length));
        return new AlarmRule(name, id, machine, kind, greater, threshold, windowMs, condition);
    }

    private static void expect(final String[] tokens, final int index, final String expected)
    {
        final String token = token(tokens, index, "'" + expected + "'");
        if (!token.equalsIgnoreCase(expected))
        {
            throw new IllegalArgumentException("expected '" + expected + "', found '" + token + "'");
        }
    }

    private static String token(final String[] tokens, final int index, final String expected)
    {
        if (index >= tokens.length)
        {
            throw new IllegalArgumentException("missing " + expected);
        }
        return tokens[index];
    }

    private static double number(final String text, final boolean percent)
    {
        String digits = text;
        if (percent)
        {
            if (!text.endsWith("%"))
            {
                throw new IllegalArgumentException("percent '" + text + "' must end with %");
            }
            digits = text.substring(0, text.length() - 1);
        }
        try
        {
            final double value = Double.parseDouble(digits);
            if (!Double.isFinite(value))
            {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not a number", ex);
        }
    }

    /**
     * @param text a duration such as {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}, {@code 1d}.
     * @return the duration, ms.
     * @throws IllegalArgumentException when malformed or not positive.
     */
    static long duration(final String text)
    {
        final String lower = text.toLowerCase(Locale.ROOT);
        final long unitMs;
        final String digits;
        if (lower.endsWith("ms"))
        {
            unitMs = 1;
            digits = lower.substring(0, lower.length() - 2);
        }
        else if (lower.endsWith("s") || lower.endsWith("m") || lower.endsWith("h") || lower.endsWith("d"))
        {
            final char unit = lower.charAt(lower.length() - 1);
            unitMs = unit == 's' ? 1000 : unit == 'm' ? 60_000 : unit == 'h' ? 3_600_000 : 86_400_000;
            digits = lower.substring(0, lower.length() - 1);
        }
        else
        {
            throw new IllegalArgumentException("duration '" + text + "' needs a unit: ms, s, m, h or d");
        }
        try
        {
            final long amount = Long.parseLong(digits);
            if (amount <= 0 || amount > 366L * 86_400_000 / unitMs)
            {
                throw new IllegalArgumentException("duration '" + text + "' must be positive and at most a year");
            }
            return amount * unitMs;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("duration '" + text + "' is not a number with a unit", ex);
        }
    }
}
