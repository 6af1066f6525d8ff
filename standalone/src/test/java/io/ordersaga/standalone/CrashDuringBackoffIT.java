package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.AppProcess;
import io.ordersaga.standalone.support.History;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app killed with SIGKILL while an order waits out a backoff: the retry is a deadline in PostgreSQL, so
 * after the restart it fires and the order completes — charged once and shipped once.
 */
class CrashDuringBackoffIT {

    private final Path work = Path.of("target", "it-crash", UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();
    private final AppProcess app = new AppProcess(work.resolve("data"), work.resolve("logs"))
            .withArguments("--ordersaga.saga.steps.RESERVE_STOCK.initial-interval=8s",
                    "--ordersaga.saga.steps.RESERVE_STOCK.jitter=0");

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void aRetryDueWhileTheAppIsDownFiresAfterTheRestartAndTheOrderCompletesWithOneChargeAndOneShipment() {
        Api api = app.start().api();
        api.fault("inventory.reserve", false, "UNAVAILABLE");
        String orderId = api.placeAcceptedOrder(order("+31612345678", "MONITOR-27", 1, "249.00"));
        api.awaitRetryScheduled(orderId, "RESERVE_STOCK", Duration.ofSeconds(10));
        assertThat(api.order(orderId).get("status").asText()).isEqualTo("PLACED");

        app.kill();
        Instant restart = Instant.now();
        Api restarted = app.start().api();

        restarted.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60));
        History history = History.of(restarted.history(orderId));
        JsonNode retry = history.first("StepRetryScheduledEvent");
        assertThat(retry.get("payload").get("delayMillis").asLong()).isEqualTo(8000);
        assertThat(History.timestamp(history.first("StockReservedEvent")))
                .as("the reservation was retried after the restart " + history.describe()).isAfter(restart);
        assertThat(history.types()).as(history.describe())
                .containsOnlyOnce("StepAttemptFailedEvent", "StepRetryScheduledEvent", "StockReservedEvent",
                        "PaymentChargedEvent", "ShipmentScheduledEvent", "EmailSentEvent", "OrderCompletedEvent");

        JdbcTemplate providers = app.database();
        assertThat(providers.queryForObject("SELECT count(*) FROM payment_simulator_ledger WHERE idempotency_key = ?",
                Integer.class, orderId + ":charge")).as("charges at the payment provider").isEqualTo(1);
        assertThat(providers.queryForObject("SELECT count(*) FROM shipping_simulator_ledger WHERE order_id = ?",
                Integer.class, orderId)).as("bookings at the carrier").isEqualTo(1);
        assertThat(providers.queryForObject(
                "SELECT count(*) FROM notification_simulator_outbox WHERE idempotency_key LIKE ?", Integer.class,
                orderId + ":%")).as("messages sent").isEqualTo(2);
    }
}
