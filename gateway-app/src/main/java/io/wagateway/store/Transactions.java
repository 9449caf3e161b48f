package io.wagateway.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.util.function.Function;

/** Runs work in one database transaction: committed when it returns, rolled back when it throws. */
public final class Transactions {

    private Transactions() {
    }

    /**
     * @return what {@code work} returned, once committed
     * @throws RuntimeException what {@code work} or the commit threw, after the rollback
     */
    public static <T> T inTransaction(DbClient db, Function<DbTransaction, T> work) {
        DbTransaction tx = db.transaction();
        try {
            T result = work.apply(tx);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            try {
                tx.rollback();
            } catch (RuntimeException alreadyEnded) {
                // The client ends a transaction whose statement failed itself: the first error is the one to report.
                e.addSuppressed(alreadyEnded);
            }
            throw e;
        }
    }
}
