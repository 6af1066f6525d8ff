package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders placed over HTTP on the all-in-one app and real PostgreSQL that complete: the stock they take, their history,
 * an order without a phone number, an order sent twice. The ways an order is cancelled are {@link CompensationIT}'s.
 */
@StandaloneIT
class OrderFulfilmentIT {

    private static final Duration COMPLETION = Duration.ofSeconds(10);

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
        api.setStock(mouse, 50);
    }

    @Test
    void completesAnOrderAndTakesItsItemsOutOfStock() {
        String orderId = api.placeAcceptedOrder(order("+31612345678", laptop, 2, "999.90", mouse, 1, "19.99"));

        JsonNode completed = api.awaitStatus(orderId, "COMPLETED", COMPLETION);

        assertThat(completed.get("total").decimalValue()).isEqualByComparingTo("2019.79");
        assertThat(completed.get("items")).hasSize(2);
        assertThat(completed.has("reason")).isFalse();
        await().atMost(COMPLETION).untilAsserted(() -> {
            assertThat(api.stock(laptop).get("onHand").asInt()).isEqualTo(8);
            assertThat(api.stock(laptop).get("reserved").asInt()).isZero();
            assertThat(api.stock(mouse).get("available").asInt()).isEqualTo(49);
        });
    }

    @Test
    void historyListsTheEventsOfEveryAggregateOfTheOrderInTheOrderTheyHappened() {
        String orderId = api.placeAcceptedOrder(order("+31612345678", laptop, 1, "999.90", mouse, 2, "19.99"));
        api.awaitStatus(orderId, "COMPLETED", COMPLETION);
        api.awaitEvent(orderId, "StockCommittedEvent", COMPLETION);

        ArrayNode history = api.history(orderId);
        List<String> types = api.historyTypes(orderId);

        assertThat(types.subList(0, 3)).containsExactlyInAnyOrder(
                "OrderPlacedEvent", "StockReservedEvent", "StockReservedEvent");
        assertThat(types.get(0)).isEqualTo("OrderPlacedEvent");
        assertThat(types.subList(3, 8)).containsExactly("PaymentChargedEvent", "ShipmentScheduledEvent",
                "EmailSentEvent", "SmsSentEvent", "OrderCompletedEvent");
        assertThat(history.valueStream().map(event -> event.get("aggregateType").asText()).distinct())
                .containsExactly("Order", "StockItem", "Payment", "Shipment", "Notification");
        Map<String, Long> lastSequencePerAggregate = new HashMap<>();
        for (JsonNode event : history) {
            assertThat(Instant.parse(event.get("timestamp").asText())).isBefore(Instant.now());
            assertThat(event.get("payload").get("orderId").asText()).isEqualTo(orderId);
            long sequence = event.get("sequenceNumber").asLong();
            Long previous = lastSequencePerAggregate.put(event.get("aggregateId").asText(), sequence);
            assertThat(previous == null || previous < sequence).as("sequence numbers rise per aggregate").isTrue();
        }
        JsonNode placed = history.get(0).get("payload");
        assertThat(placed.get("contact").get("email").asText()).isEqualTo("a***@example.com");
        assertThat(placed.get("shippingAddress").get("street").asText()).isEqualTo("***");
        assertThat(placed.get("shippingAddress").get("country").asText()).isEqualTo("NL");
    }

    @Test
    void readsAnOrderBackRightAfterPlacingIt() {
        String orderId = api.placeAcceptedOrder(order(null, laptop, 1, "999.90"));

        assertThat(api.order(orderId).get("orderId").asText()).isEqualTo(orderId);
    }

    @Test
    void completesWithoutAnSmsWhenTheOrderHasNoPhoneNumber() {
        String orderId = api.placeAcceptedOrder(order(null, laptop, 1, "999.90"));

        api.awaitStatus(orderId, "COMPLETED", COMPLETION);
        assertThat(api.historyTypes(orderId)).contains("EmailSentEvent").doesNotContain("SmsSentEvent");
    }

    @Test
    void theSameIdempotencyKeyAndBodyPlaceOneOrder() {
        ObjectNode body = order(null, laptop, 1, "999.90");
        String key = "order-" + uniqueSku("K");

        Api.Response first = api.placeOrder(body, "Idempotency-Key", key);
        ObjectNode sameOrderWrittenDifferently = order(null, laptop, 1, "999.9");
        Api.Response second = api.placeOrder(sameOrderWrittenDifferently, "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        String orderId = first.json().get("orderId").asText();
        assertThat(second.json().get("orderId").asText()).isEqualTo(orderId);
        api.awaitStatus(orderId, "COMPLETED", COMPLETION);
        assertThat(api.historyTypes(orderId)).containsOnlyOnce("OrderPlacedEvent", "PaymentChargedEvent");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payment_simulator_ledger WHERE idempotency_key = ?",
                Integer.class, orderId + ":charge")).isEqualTo(1);
    }
}
