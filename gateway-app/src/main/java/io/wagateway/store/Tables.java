package io.wagateway.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** Asks the driver's metadata whether a table exists in the connection's own database. */
final class Tables {

    private Tables() {
    }

    static boolean exists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        // '_' is a wildcard in metadata patterns: escape it so only this exact name matches.
        String escape = meta.getSearchStringEscape();
        String pattern = escape == null ? table : table.replace("_", escape + "_");
        try (var rs = meta.getTables(c.getCatalog(), c.getSchema(), pattern, new String[] {"TABLE"})) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equals(table)) {
                    return true;
                }
            }
            return false;
        }
    }
}
