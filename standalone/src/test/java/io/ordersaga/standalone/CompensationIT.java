package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Each way a step cancels an order, one test each and written in the order of the saga's steps, and what the saga
 * undoes for it: a line out of stock, a line the inventory does not know, an inventory that stays down until the step
 * is given up, a declined payment, a shipment the carrier refuses. (An operator's cancel is {@link OperatorIT}'s.)
 */
@StandaloneIT
class CompensationIT {

    private static final Duration CANCELLATION = Duration.ofSeconds(10);

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
    void cancelsAnOrderForMoreThanIsInStockAndReleasesItsOtherLines() {
        JsonNode mouseBefore = api.stock(mouse);

        String orderId = api.placeAcceptedOrder(order("+31612345678", mouse, 3, "19.99", laptop, 11, "999.90"));

        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", CANCELLATION);
        assertThat(cancelled.get("reason").asText()).contains(laptop).contains("requested 11").contains("available 10");
        assertThat(api.stock(mouse)).isEqualTo(mouseBefore);
        assertThat(api.stock(laptop).get("reserved").asInt()).isZero();
        assertThat(api.historyTypes(orderId)).contains("StockReleasedEvent", "OrderCancelledEvent")
                .doesNotContain("PaymentChargedEvent", "ShipmentScheduledEvent");
    }

    @Test
    void cancelsAnOrderForASkuTheInventoryDoesNotKnow() {
        String unknown = uniqueSku("NEVER");

        String orderId = api.placeAcceptedOrder(order(null, unknown, 1, "5.00", laptop, 1, "999.90"));

        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", CANCELLATION);
        assertThat(cancelled.get("reason").asText()).isEqualTo("Unknown SKU " + unknown);
        assertThat(api.stock(laptop).get("reserved").asInt()).isZero();
        assertThat(api.get("/inventory/" + unknown).status()).isEqualTo(404);
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

    @Test
    void aDeclinedPaymentReleasesEveryLineShipsNothingAndCancels() {
        JsonNode laptopBefore = api.stock(laptop);
        JsonNode mouseBefore = api.stock(mouse);

        // more than 10,000.00: the payment simulator declines it
        String orderId = api.placeAcceptedOrder(order(null, laptop, 2, "6000.00", mouse, 3, "19.99"));

        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", CANCELLATION);
        assertThat(cancelled.get("reason").asText()).isEqualTo("Payment declined: insufficient funds");
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
        ObjectNode toAntarctica = order(null, laptop, 1, "999.90");
        ((ObjectNode) toAntarctica.get("shippingAddress")).put("country", "AQ"); // the carrier simulator refuses it

        String orderId = api.placeAcceptedOrder(toAntarctica);

        JsonNode cancelled = api.awaitStatus(orderId, "CANCELLED", CANCELLATION);
        assertThat(cancelled.get("reason").asText()).startsWith("Shipment failed: undeliverable");
        History history = History.of(api.history(orderId));
        assertThat(history.types()).as(history.describe()).containsSubsequence("PaymentChargedEvent",
                "ShipmentFailedEvent", "CompensationStartedEvent", "PaymentRefundedEvent", "StockReleasedEvent",
                "OrderCancelledEvent");
        assertThat(history.first("PaymentRefundedEvent").get("payload").get("amount").decimalValue())
                .isEqualByComparingTo("999.90");
        assertThat(count("payment_simulator_ledger", "idempotency_key = ?", orderId + ":refund")).isEqualTo(1);
        JsonNode laptopAfter = api.stock(laptop);
        assertThat(laptopAfter).isEqualTo(laptopBefore);
        assertThat(laptopAfter.get("reserved").asInt()).isZero();
        assertThat(laptopAfter.get("onHand").asInt()).isEqualTo(10);
    }

    private int count(String table, String where, Object... arguments) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + where, Integer.class, arguments);
    }
}
