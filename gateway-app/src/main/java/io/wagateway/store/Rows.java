package io.wagateway.store;

import io.helidon.dbclient.DbRow;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.time.Instant;

/** Column readers that behave the same on H2 and MariaDB (their drivers differ in Java types). */
final class Rows {

    private Rows() {
    }

    /** The column's value, null for SQL NULL ({@code DbColumn.get()} throws on NULL). */
    private static Object value(DbRow row, String column) {
        return row.column(column).asOptional().orElse(null);
    }

    static String string(DbRow row, String column) {
        Object value = value(row, column);
        if (value instanceof Clob clob) {
            try {
                return clob.getSubString(1, (int) clob.length());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return value == null ? null : value.toString();
    }

    static long number(DbRow row, String column) {
        Object value = value(row, column);
        return ((Number) value).longValue();
    }

    static Instant instant(DbRow row, String column) {
        Object value = value(row, column);
        return value == null ? null : Instant.ofEpochMilli(((Number) value).longValue());
    }

    static byte[] bytes(DbRow row, String column) {
        Object value = value(row, column);
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
