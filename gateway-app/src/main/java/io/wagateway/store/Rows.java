package io.wagateway.store;

import io.helidon.dbclient.DbRow;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.time.Instant;

/** Column readers that behave the same on H2 and MariaDB (their drivers differ in Java types). */
public final class Rows {

    private Rows() {
    }

    /** The column's value as the driver gave it, or null (DbColumn.get() throws on SQL NULL). */
    private static Object raw(DbRow row, String column) {
        return row.column(column).asOptional().orElse(null);
    }

    public static String string(DbRow row, String column) {
        Object value = raw(row, column);
        if (value instanceof Clob clob) {
            try {
                return clob.getSubString(1, (int) clob.length());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return value == null ? null : value.toString();
    }

    public static long number(DbRow row, String column) {
        Object value = raw(row, column);
        return ((Number) value).longValue();
    }

    public static Instant instant(DbRow row, String column) {
        Object value = raw(row, column);
        return value == null ? null : Instant.ofEpochMilli(((Number) value).longValue());
    }

    public static byte[] bytes(DbRow row, String column) {
        Object value = raw(row, column);
        if (value instanceof Blob blob) {
            try {
                return blob.getBytes(1, (int) blob.length());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return (byte[]) value;
    }
}
