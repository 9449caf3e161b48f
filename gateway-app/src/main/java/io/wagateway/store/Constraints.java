package io.wagateway.store;

import java.sql.SQLException;

/** Recognises a unique-key violation across drivers (SQLState 23xxx: H2 23505, MariaDB 23000). */
public final class Constraints {

    private Constraints() {
    }

    public static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
