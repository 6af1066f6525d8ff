package io.ordersaga.platform.web;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.NestedTransactionNotSupportedException;

import java.lang.reflect.Field;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Which failures are "the database cannot be reached" (worth a 503 and a retry) and which are not, however deeply
 * Axon, Spring and the controller wrap them.
 */
class DatabaseUnavailableTest {

    private static PSQLException refused() {
        return new PSQLException("Connection to localhost:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                new ConnectException("Connection refused"));
    }

    @Test
    void recognisesARefusedConnectionBehindHikariSpringAxonAndTheController() {
        Throwable hikari = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 1000ms.", refused());
        Throwable spring = new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                hikari);
        Throwable axon = new CommandExecutionException("Command failed",
                new EventStoreException("An event for aggregate [o-1] could not be stored", spring), null);
        Throwable placing = new IllegalStateException("Placing order o-1 failed", new ExecutionException(axon));

        assertThat(DatabaseUnavailable.evidenceIn(placing)).get().isInstanceOf(CannotCreateTransactionException.class);
        assertThat(DatabaseUnavailable.isCauseOf(placing)).isTrue();
    }

    @Test
    void recognisesEachOfSpringsAndJdbcsConnectionFailuresOnItsOwn() {
        assertThat(DatabaseUnavailable.isCauseOf(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new DataAccessResourceFailureException("gone"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new TransientDataAccessResourceException("gone"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(refused())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "08P01", "57P01", "57P02", "57P03"})
    void recognisesConnectionExceptionsAndTheServerGoingAwayBySqlState(String sqlState) {
        Throwable wrapped = new EventStoreException("Could not read events",
                new RuntimeException("JDBC failure", new SQLException("server says no", sqlState)));

        assertThat(DatabaseUnavailable.isCauseOf(wrapped)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "42P01", "42703", "40001", "40P01", "57014", "22003", "XX000"})
    void doesNotTakeOtherSqlStatesForAnOutage(String sqlState) {
        Throwable wrapped = new EventStoreException("Could not store",
                new RuntimeException("JDBC failure", new SQLException("server says no", sqlState)));

        assertThat(DatabaseUnavailable.isCauseOf(wrapped)).isFalse();
    }

    @Test
    void recognisesARollbackOnAConnectionThePoolHasMarkedAsBroken() throws Exception {
        // the stand-in Hikari swaps in for a connection it marked as broken (its "Connection is closed" has no SQLState)
        Field stand = Class.forName("com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection")
                .getDeclaredField("CLOSED_CONNECTION");
        stand.setAccessible(true);
        Connection closed = (Connection) stand.get(null);
        SQLException rollback = catchThrowableOfType(SQLException.class, closed::rollback);

        Throwable springsAnswer = new JpaSystemException(new org.hibernate.TransactionException(
                "Unable to rollback against JDBC Connection", rollback));

        assertThat(rollback.getSQLState()).isNull();
        assertThat(DatabaseUnavailable.isCauseOf(springsAnswer)).isTrue();
        assertThat(DatabaseUnavailable.isCauseOf(new SQLException("Connection is closed"))).as("not from the pool")
                .isFalse();
    }

    @Test
    void looksAtTheNextExceptionsOfABatch() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "25P02", new int[0]);
        batch.setNextException(new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE));

        assertThat(DatabaseUnavailable.isCauseOf(new RuntimeException(batch))).isTrue();
    }

    @Test
    void doesNotTurnGenuineBugsIntoOutages() {
        assertThat(DatabaseUnavailable.isCauseOf(new IllegalStateException("Placing order o-1 failed",
                new NullPointerException("items")))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new BadSqlGrammarException("select", "select nope",
                new SQLException("relation \"nope\" does not exist", "42P01")))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new NestedTransactionNotSupportedException(
                "nested transactions are not supported"))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new SQLException("no state"))).isFalse();
        assertThat(DatabaseUnavailable.isCauseOf(new CommandExecutionException("remote failure", null, null)))
                .isFalse();
    }

    @Test
    void ignoresAnOutageThatOnlyAccompaniesABug() {
        IllegalArgumentException bug = new IllegalArgumentException("no such step");
        bug.addSuppressed(new CannotCreateTransactionException("rollback could not reach the database"));

        assertThat(DatabaseUnavailable.isCauseOf(bug)).isFalse();
    }

    @Test
    void endsOnACycleOfCauses() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(DatabaseUnavailable.isCauseOf(first)).isFalse();
    }
}
