package dev.tern.tools.monitor;

/**
 * Writes JSON text for the center's API and webhook: strings escaped per RFC 8259, numbers that are not finite
 * written as {@code null}. No parsing: Tern reads no JSON.
 */
public final class Json
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json()
    {
    }

    /**
     * Append a quoted, escaped JSON string.
     *
     * @param out   where to append.
     * @param value the text; null is written as {@code null}.
     * @return out.
     */
    public static StringBuilder string(final StringBuilder out, final CharSequence value)
    {
        if (null == value)
        {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == '<')
                    {
                        // '<' escaped too so that text like "</script>" is inert inside a page
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }

    /**
     * Append a number; NaN and infinities become {@code null}.
     *
     * @param out   where to append.
     * @param value the number.
     * @return out.
     */
    public static StringBuilder number(final StringBuilder out, final double value)
    {
        if (!Double.isFinite(value))
        {
            return out.append("null");
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return out.append((long)value);
        }
        return out.append(value);
    }
}
