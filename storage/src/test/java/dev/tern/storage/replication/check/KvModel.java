package dev.tern.storage.replication.check;

import dev.tern.storage.ResultCode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sequential specification of one KVSvr key (docs/kvsvr-protocol.md and the store contract): a key-value
 * register or a table of rows, with a version that grows by one with every change. Row keys and values are
 * strings here (compared as the store compares bytes: unsigned lexicographic order of their ISO-8859-1 bytes).
 */
public final class KvModel implements Model<KvModel.State>
{
    public static final KvModel INSTANCE = new KvModel();

    /** The state of a key: never written is version 0, no value, not a table. */
    public record State(long version, boolean table, String value, SortedMap<String, RowState> rows)
    {
        State withVersion(final long newVersion, final boolean newTable, final String newValue,
            final SortedMap<String, RowState> newRows)
        {
            return new State(newVersion, newTable, newValue, Collections.unmodifiableSortedMap(newRows));
        }
    }

    public record RowState(String value, long version)
    {
    }

    /** Operations. */
    public sealed interface Op permits Put, Delete, PutIfVersion, PutIfAbsent, Get, RowPut, RowDelete, RowAppend,
        RowGet, Scan
    {
        default boolean isWrite()
        {
            return !(this instanceof Get || this instanceof RowGet || this instanceof Scan);
        }
    }

    public record Put(String value) implements Op
    {
    }

    public record Delete() implements Op
    {
    }

    public record PutIfVersion(long expected, String value) implements Op
    {
    }

    public record PutIfAbsent(String value) implements Op
    {
    }

    public record Get() implements Op
    {
    }

    public record RowPut(String row, String value) implements Op
    {
    }

    public record RowDelete(String row) implements Op
    {
    }

    public record RowAppend(String row, String value) implements Op
    {
    }

    public record RowGet(String row) implements Op
    {
    }

    /** Rows in [from, end) (end null: no end), at most limit. */
    public record Scan(String from, String end, int limit) implements Op
    {
    }

    /** A row in a response. */
    public record RowOut(String row, String value, long version)
    {
    }

    /** A response: result code, version, the value of a GET, the rows of a ROW_GET or SCAN, SCAN's more flag. */
    public record Result(int code, long version, String value, List<RowOut> rows, boolean more)
    {
        public static Result of(final int code, final long version)
        {
            return new Result(code, version, null, List.of(), false);
        }
    }

    private static final Comparator ROW_ORDER = new Comparator();

    private static final class Comparator implements java.util.Comparator<String>
    {
        public int compare(final String a, final String b)
        {
            return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                b.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    public State initial()
    {
        return new State(0, false, null, Collections.unmodifiableSortedMap(new TreeMap<>(ROW_ORDER)));
    }

    public State step(final State s, final Object input, final Object output)
    {
        Result expected;
        State next;
        final boolean present = !s.table() && null != s.value();
        if (input instanceof Put put)
        {
            if (s.table())
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else
            {
                next = s.withVersion(s.version() + 1, false, put.value(), new TreeMap<>(ROW_ORDER));
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof PutIfVersion cas)
        {
            if (s.table())
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else if (cas.expected() != s.version())
            {
                expected = Result.of(ResultCode.VERSION_MISMATCH, s.version());
                next = s;
            }
            else
            {
                next = s.withVersion(s.version() + 1, false, cas.value(), new TreeMap<>(ROW_ORDER));
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof PutIfAbsent put)
        {
            if (s.table())
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else if (present)
            {
                expected = Result.of(ResultCode.ALREADY_EXISTS, s.version());
                next = s;
            }
            else
            {
                next = s.withVersion(s.version() + 1, false, put.value(), new TreeMap<>(ROW_ORDER));
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof Delete ignored)
        {
            if (s.table())
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else if (!present)
            {
                expected = Result.of(ResultCode.NOT_FOUND, s.version());
                next = s;
            }
            else
            {
                next = s.withVersion(s.version() + 1, false, null, new TreeMap<>(ROW_ORDER));
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof Get ignored)
        {
            next = s;
            if (s.table())
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
            }
            else if (!present)
            {
                expected = Result.of(ResultCode.NOT_FOUND, s.version());
            }
            else
            {
                expected = new Result(ResultCode.OK, s.version(), s.value(), List.of(), false);
            }
        }
        else if (input instanceof RowPut put)
        {
            if (present)
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else
            {
                final TreeMap<String, RowState> rows = new TreeMap<>(s.rows());
                rows.put(put.row(), new RowState(put.value(), s.version() + 1));
                next = s.withVersion(s.version() + 1, true, null, rows);
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof RowAppend append)
        {
            if (present)
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else if (!s.rows().isEmpty() && ROW_ORDER.compare(s.rows().lastKey(), append.row()) >= 0)
            {
                expected = Result.of(ResultCode.ROW_KEY_NOT_LAST, s.version());
                next = s;
            }
            else
            {
                final TreeMap<String, RowState> rows = new TreeMap<>(s.rows());
                rows.put(append.row(), new RowState(append.value(), s.version() + 1));
                next = s.withVersion(s.version() + 1, true, null, rows);
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof RowDelete delete)
        {
            if (present)
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
                next = s;
            }
            else if (!s.rows().containsKey(delete.row()))
            {
                expected = Result.of(ResultCode.NOT_FOUND, s.version());
                next = s;
            }
            else
            {
                final TreeMap<String, RowState> rows = new TreeMap<>(s.rows());
                rows.remove(delete.row());
                next = s.withVersion(s.version() + 1, true, null, rows);
                expected = Result.of(ResultCode.OK, next.version());
            }
        }
        else if (input instanceof RowGet get)
        {
            next = s;
            final RowState row = s.rows().get(get.row());
            if (present)
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
            }
            else if (null == row)
            {
                expected = Result.of(ResultCode.NOT_FOUND, s.version());
            }
            else
            {
                expected = new Result(ResultCode.OK, s.version(), null,
                    List.of(new RowOut(get.row(), row.value(), row.version())), false);
            }
        }
        else if (input instanceof Scan scan)
        {
            next = s;
            if (present)
            {
                expected = Result.of(ResultCode.WRONG_TYPE, s.version());
            }
            else
            {
                final SortedMap<String, RowState> range = null == scan.end() ? s.rows().tailMap(scan.from()) :
                    ROW_ORDER.compare(scan.from(), scan.end()) >= 0 ? new TreeMap<>(ROW_ORDER) :
                    s.rows().subMap(scan.from(), scan.end());
                final List<RowOut> rows = new ArrayList<>();
                for (final Map.Entry<String, RowState> row : range.entrySet())
                {
                    if (rows.size() == scan.limit())
                    {
                        break;
                    }
                    rows.add(new RowOut(row.getKey(), row.getValue().value(), row.getValue().version()));
                }
                expected = new Result(ResultCode.OK, s.version(), null, rows, range.size() > rows.size());
            }
        }
        else
        {
            throw new IllegalArgumentException("unknown operation " + input);
        }

        if (null == output)
        {
            // unknown outcome: a write may have happened; a read constrains nothing
            return next;
        }
        return Objects.equals(expected, output) ? next : null;
    }
}
