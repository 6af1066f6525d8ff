package io.ordersaga.standalone;

import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.History;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

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
 * them: a failed attempt of a step that has answered meanwhile is not recorded after the answer (the saga decided the
 * record while it still waited; in five processes the answer can be stored between the decision and the record).
 */
@StandaloneIT
class OneOrderAtATimeIT {

    @LocalServerPort
    int port;
    @Autowired
    CommandGateway commands;
    @Autowired
    DataSource dataSource;
    Api api;
    String sku;

    @BeforeEach
    void setUp() {
        api = Api.onPort(port);
        sku = uniqueSku("LOCKED");
        api.setStock(sku, 100);
    }

    @AfterEach
    void clearFaults() {
        api.clearFaults();
    }

    @Test
    void aFailureReportedForAStepThatHasAnsweredIsNotRecordedOneForAStepStillWaitingIs() {
        api.fault("payment.charge", true, "UNAVAILABLE"); // the order waits at its charge; its stock is reserved
        String orderId = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        await().atMost(Duration.ofSeconds(15)).until(() -> History.of(api.history(orderId))
                .ofStep("StepRetryScheduledEvent", "CHARGE_PAYMENT").size() >= 1);

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
    void aCommandAboutAnOrderWaitsWhileAnotherTransactionHoldsThatOrderNotOthers() throws Exception {
        String held = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        String other = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitStatus(held, "COMPLETED", Duration.ofSeconds(30));
        api.awaitStatus(other, "COMPLETED", Duration.ofSeconds(30));

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, held);
                lock.executeQuery().close();
            }
            CompletableFuture<Object> waiting = commands.send(new RecordStepFailureCommand(held,
                    OrderStep.CHARGE_PAYMENT, null, 1, "TimeoutException", "late"));
            CompletableFuture<Object> free = commands.send(new RecordStepFailureCommand(other,
                    OrderStep.CHARGE_PAYMENT, null, 1, "TimeoutException", "late"));

            free.get(10, TimeUnit.SECONDS);
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> !waiting.isDone());
            connection.commit(); // the other transaction about the order ends
            waiting.get(10, TimeUnit.SECONDS);
        }
    }
}
