package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.History;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults injected at the providers and the inventory, and what the saga undoes for each. */
@StandaloneIT
class CompensationIT {

    @Autowired
    JdbcTemplate jdbc;
    Api api;
    String laptop;
    String mouse;

    @BeforeEach
    void setUp() {
        laptop = uniqueSku("LAPTOP");
        mouse = uniqueSku("MOUSE");
        api.setStock(laptop, 10);
        api.setStock(mouse, 20);
    }

    @Test
    void aDeclinedPaymentReleasesTheStockAndShipsNothing() {
        JsonNode laptopBefore = api.stock(laptop);
        JsonNode mouseBefore = api.stock(mouse);
        api.fault("payment.charge", false, "DECLINED");

        String orderId = api.placeAcceptedOrder(order(null, laptop, 2, "999.90", mouse, 3, "19.99"));

        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", Duration.ofSeconds(15));
        assertThat(cancelled.get("reason").asText()).startsWith("Payment declined");
        assertThat(api.stock(laptop)).isEqualTo(laptopBefore);
        assertThat(api.stock(mouse)).isEqualTo(mouseBefore);
        History history = History.of(api.history(orderId));
        assertThat(history.types()).as(history.describe())
                .containsSubsequence("PaymentDeclinedEvent", "CompensationStartedEvent", "StockReleasedEvent",
                        "StockReleasedEvent", "OrderCancelledEvent")
                .doesNotContain("ShipmentScheduledEvent", "PaymentChargedEvent");
        assertThat(count("shipping_simulator_ledger", "order_id = ?", orderId)).isZero();
    }

    @Test
    void aShipmentTheCarrierRefusesIsRefundedReleasedAndCancelled() {
        JsonNode laptopBefore = api.stock(laptop);
        api.fault("shipping.schedule", false, "DECLINED");

        String orderId = api.placeAcceptedOrder(order(null, laptop, 1, "999.90"));

        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", Duration.ofSeconds(15));
        assertThat(cancelled.get("reason").asText()).startsWith("Shipment failed");
        History history = History.of(api.history(orderId));
        assertThat(history.types()).as(history.describe()).containsSubsequence("PaymentChargedEvent",
                "ShipmentFailedEvent", "CompensationStartedEvent", "PaymentRefundedEvent", "StockReleasedEvent",
                "OrderCancelledEvent");
        assertThat(history.first("PaymentRefundedEvent").get("payload").get("amount").decimalValue())
                .isEqualByComparingTo("999.90");
        assertThat(api.stock(laptop)).isEqualTo(laptopBefore);
    }

    @Test
    void anInventoryThatStaysDownIsTriedAsOftenAsItsPolicySaysThenTheOrderIsCancelledNamingTheStep() {
        JsonNode mouseBefore = api.stock(mouse);
        api.fault("inventory.reserve", true, "UNAVAILABLE");

        String orderId = api.placeAcceptedOrder(order(null, mouse, 1, "19.99"));

        // 5 attempts, 4 backoffs of ≈1, 2, 4 and 8 s (± 20 %)
        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", Duration.ofSeconds(40));
        String reason = cancelled.get("reason").asText();
        assertThat(reason).contains("RESERVE_STOCK").contains(mouse).contains("after 5 attempts")
                .contains("ServiceUnavailableException");
        History history = History.of(api.history(orderId));
        assertThat(history.ofStep("StepAttemptFailedEvent", "RESERVE_STOCK")).as(history.describe()).hasSize(5);
        assertThat(history.ofStep("StepRetryScheduledEvent", "RESERVE_STOCK"))
                .extracting(retry -> retry.get("payload").get("delayMillis").asLong())
                .hasSize(4)
                .satisfies(delays -> assertThat(delays.get(3)).isGreaterThan(delays.get(0) * 4));
        assertThat(history.ofStep("StepFailedEvent", "RESERVE_STOCK")).hasSize(1);
        assertThat(history.types()).doesNotContain("PaymentChargedEvent", "StockReservedEvent");
        assertThat(api.stock(mouse)).isEqualTo(mouseBefore);
    }

    private int count(String table, String where, Object... arguments) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + where, Integer.class, arguments);
    }
}
