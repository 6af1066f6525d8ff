package io.ordersaga.standalone;

import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.History;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order's events are stored one at a time, in the order their transactions decided them, whichever service stores
 * them ({@code V3__one_order_at_a_time.sql}): a failed attempt of a step that has answered meanwhile is not recorded
 * after the answer (the saga decided the record while it still waited; in five processes the answer can be stored
 * between the decision and the record).
 */
@StandaloneIT
class OneOrderAtATimeIT {

    @Autowired
    CommandGateway commands;
    @Autowired
    DataSource dataSource;
    Api api;
    String sku;

    @BeforeEach
    void setUp() {
        sku = uniqueSku("LOCKED");
        api.setStock(sku, 100);
    }

    @Test
    void aFailureReportedForAStepThatHasAnsweredIsNotRecordedOneForAStepStillWaitingIs() {
        api.fault("payment.charge", true, "UNAVAILABLE"); // the order waits at its charge; its stock is reserved
        String orderId = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitRetryScheduled(orderId, "CHARGE_PAYMENT", Duration.ofSeconds(15));

        // late: the reservation answered long ago
        commands.sendAndWait(new RecordStepFailureCommand(orderId, OrderStep.RESERVE_STOCK, sku, 1,
                "NoHandlerForCommandException", "No node known to accept command"));
        // the charge has not answered: this one is recorded
        commands.sendAndWait(new RecordStepFailureCommand(orderId, OrderStep.CHARGE_PAYMENT, null, 99,
                "TimeoutException", "recorded by the test"));

        History history = History.of(api.history(orderId));
        assertThat(history.ofStep("StepAttemptFailedEvent", "RESERVE_STOCK")).as(history.describe()).isEmpty();
        assertThat(history.ofStep("StepAttemptFailedEvent", "CHARGE_PAYMENT"))
                .anySatisfy(failed -> assertThat(failed.get("payload").get("attempt").asInt()).isEqualTo(99));
        api.clearFaults();
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60));
    }

    @Test
    void anEventAboutAnOrderIsStoredOnlyOnceAnotherTransactionAboutThatOrderHasEndedAndAfterIt() throws Exception {
        String held = "order-" + java.util.UUID.randomUUID();
        String other = "order-" + java.util.UUID.randomUUID();
        try (Connection first = dataSource.getConnection();
             Connection second = dataSource.getConnection();
             Connection third = dataSource.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            third.setAutoCommit(false);
            long firstIndex = append(first, held, "first");

            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> append(second, held, "second"));
            long otherIndex = CompletableFuture.supplyAsync(() -> append(third, other, "another order"))
                    .get(5, TimeUnit.SECONDS); // not held up by the first

            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> !waiting.isDone());
            first.rollback(); // the first transaction about the order ends: the second goes on
            long secondIndex = waiting.get(10, TimeUnit.SECONDS);
            // nothing of this test is kept: the app's processors never see these events
            second.rollback();
            third.rollback();

            assertThat(secondIndex).as("drawn after the first transaction ended").isGreaterThan(firstIndex)
                    .isGreaterThan(otherIndex);
        }
    }

    /** Appends an event about the order as Axon's event store would, in the connection's transaction. */
    private static long append(Connection connection, String orderId, String what) {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                time_stamp, payload_type, payload)
                VALUES (?, ?, 0, 'Test', '2026-12-03T00:00:00Z', 'test.Event', ?) RETURNING global_index""")) {
            insert.setString(1, java.util.UUID.randomUUID().toString());
            insert.setString(2, "test-" + java.util.UUID.randomUUID());
            insert.setBytes(3, ("{\"orderId\":\"" + orderId + "\",\"what\":\"" + what + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (var rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
