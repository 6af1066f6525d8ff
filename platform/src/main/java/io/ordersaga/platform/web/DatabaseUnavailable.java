package io.ordersaga.platform.web;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.TransactionSuspensionNotSupportedException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a failure is the database being unreachable — stopped, restarting, or the pool unable to hand out a
 * connection — rather than a fault of the request or of the code. Such a failure is worth a retry a few seconds
 * later; anything else is not.
 *
 * <p>The whole chain of causes is searched (Axon wraps the data access failure in an {@code EventStoreException},
 * a {@code CommandExecutionException}, the controller in an {@code IllegalStateException}, a future in an
 * {@code ExecutionException}). It counts when one of them is:
 * <ul>
 *   <li>Spring's {@link CannotCreateTransactionException} (no connection to begin a transaction on) — but not its
 *       subclasses {@link NestedTransactionNotSupportedException} and {@link TransactionSuspensionNotSupportedException},
 *       which are configuration bugs;</li>
 *   <li>Spring's {@link DataAccessResourceFailureException} (with {@code CannotGetJdbcConnectionException}) or
 *       {@link TransientDataAccessResourceException};</li>
 *   <li>JDBC's {@link SQLTransientConnectionException} (Hikari: no connection within its timeout) or
 *       {@link SQLNonTransientConnectionException} (a connection failure, SQLState class 08);</li>
 *   <li>any {@link SQLException} (and its {@link SQLException#getNextException() next exceptions}) whose SQLState is
 *       of class {@code 08} (connection exception) or is PostgreSQL's {@code 57P01} (admin shutdown), {@code 57P02}
 *       (crash shutdown) or {@code 57P03} (cannot connect now: starting up or shutting down);</li>
 *   <li>Hikari's "Connection is closed" from the stand-in it puts in place of a connection it has marked as broken
 *       (it does so on exactly such SQLStates). A query on a pooled connection that the server dropped fails with
 *       {@code 08006}; Spring then rolls back on that connection, the rollback fails, and Spring throws the rollback's
 *       failure in place of the query's ("Application exception overridden by rollback exception", logged): this
 *       stand-in is all that is left of the outage in the exception.</li>
 * </ul>
 * Suppressed exceptions are not searched: a failed rollback after a genuine bug does not make the bug transient.
 */
public final class DatabaseUnavailable {

    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");
    private static final String HIKARI_CLOSED_CONNECTION = "com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection";

    private DatabaseUnavailable() {
    }

    /** Whether {@code failure}, or any of its causes, says that the database could not be reached. */
    public static boolean isCauseOf(Throwable failure) {
        return evidenceIn(failure).isPresent();
    }

    /**
     * The exception in {@code failure}'s chain of causes that says the database could not be reached; empty when
     * none does.
     */
    public static Optional<Throwable> evidenceIn(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (isUnavailable(cause)) {
                return Optional.of(cause);
            }
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql.getNextException(); next != null && seen.add(next);
                     next = next.getNextException()) {
                    if (isUnavailable(next)) {
                        return Optional.of(next);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isUnavailable(Throwable exception) {
        if (exception instanceof CannotCreateTransactionException) {
            return !(exception instanceof NestedTransactionNotSupportedException
                    || exception instanceof TransactionSuspensionNotSupportedException);
        }
        if (exception instanceof DataAccessResourceFailureException
                || exception instanceof TransientDataAccessResourceException
                || exception instanceof SQLTransientConnectionException
                || exception instanceof SQLNonTransientConnectionException) {
            return true;
        }
        return exception instanceof SQLException sql
                && (isConnectionState(sql.getSQLState()) || isFromConnectionClosedByPool(sql));
    }

    private static boolean isFromConnectionClosedByPool(SQLException exception) {
        StackTraceElement[] trace = exception.getStackTrace();
        return exception.getSQLState() == null && trace.length > 0
                && HIKARI_CLOSED_CONNECTION.equals(trace[0].getClassName());
    }

    /** SQLState class 08 (connection exception), or the PostgreSQL server shutting down or starting up. */
    static boolean isConnectionState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || SERVER_GOING_AWAY.contains(sqlState));
    }
}
