package io.ordersaga.order.parking;

import org.axonframework.eventhandling.scheduling.SchedulingException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What parks an order and what is only tried again. */
class TransienceTest {

    @Test
    void aConnectionClosedUnderThePoolIsTheWorldsFailureEvenWithoutAnSqlState() {
        SQLException closed = new SQLException("Connection is closed"); // as Hikari throws it, with no SQLSTATE
        assertThat(Transience.isTransient(new SchedulingException("An error occurred while scheduling an event.",
                closed))).isTrue();
    }

    @Test
    void aServerShuttingDownOrAConflictIsTheWorlds() {
        assertThat(Transience.isTransient(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(Transience.isTransient(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(Transience.isTransient(new CannotCreateTransactionException("no connection"))).isTrue();
    }

    @Test
    void dataOnlyThisOrderCouldCauseIsTheOrders() {
        assertThat(Transience.isTransient(new RuntimeException(
                new SQLException("value too long for type character varying(64)", "22001")))).isFalse();
        assertThat(Transience.isTransient(new SQLException("duplicate key value", "23505"))).isFalse();
    }

    @Test
    void aFailureOfTheSagasOwnCodeIsTheOrders() {
        assertThat(Transience.isTransient(new IllegalStateException("cannot read the saga"))).isFalse();
        assertThat(Transience.isTransient(new NullPointerException())).isFalse();
    }
}
