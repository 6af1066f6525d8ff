package io.ordersaga.order.parking;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure of the world (the database restarting, a lost connection, a serialization conflict) from a failure
 * of one order's own handling. The first passes: the batch is tried again, as it would succeed later for every order.
 * The second parks the order.
 *
 * <p>Every failure that reached the database as such is the world's — a connection closed under the pool, a server
 * shutting down, a conflict — except those that only this order's data could cause: a value the table refuses (data
 * exception, SQLSTATE class 22), a broken constraint (23), or SQL the database cannot run (42, 44). A failure in the
 * saga's own code (it cannot read a saga, a handler throws) is the order's.
 */
final class Transience {

    /** Data exception, integrity constraint violation, syntax error or access rule violation, check option. */
    private static final Set<String> DATA_SQL_STATE_CLASSES = Set.of("22", "23", "42", "44");

    private Transience() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.length() < 2 || !DATA_SQL_STATE_CLASSES.contains(state.substring(0, 2));
            }
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException || cause instanceof TransactionException
                    || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
