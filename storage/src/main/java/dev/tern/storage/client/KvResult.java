package dev.tern.storage.client;

import dev.tern.storage.ResultCode;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A completed KV request as plain Java objects, for scripts, tools and tests (see {@link KvBlockingClient}).
 *
 * @param result  a {@link ResultCode}.
 * @param version the key's version after a write, or the version read.
 * @param value   the value of a GET, else empty.
 * @param rows    the rows of a ROW_GET or SCAN, else empty.
 * @param more    SCAN: rows remain after the last returned.
 */
public record KvResult(int result, long version, byte[] value, List<Row> rows, boolean more)
{
    /**
     * A row of a table.
     *
     * @param key     the row key.
     * @param value   the row value.
     * @param version the table version that wrote the row.
     */
    public record Row(byte[] key, byte[] value, long version)
    {
        @Override
        public String toString()
        {
            return new String(key, StandardCharsets.UTF_8) + "=" + new String(value, StandardCharsets.UTF_8) +
                " (v" + version + ")";
        }
    }

    public boolean isOk()
    {
        return result == ResultCode.OK;
    }

    public String valueAsString()
    {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return ResultCode.describe(result) + " version=" + version +
            (value.length > 0 ? " value=" + valueAsString() : "") + (rows.isEmpty() ? "" : " rows=" + rows) +
            (more ? " (more)" : "");
    }
}
