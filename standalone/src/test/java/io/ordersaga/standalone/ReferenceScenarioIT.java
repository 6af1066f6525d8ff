package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.History;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference scenario on the all-in-one app and real PostgreSQL: the inventory check times out, then finds the
 * service unavailable, is retried after ≈1 s and ≈2 s and succeeds; payment and shipping succeed; the e-mail is sent;
 * the SMS gateway is down, and that does not fail the order.
 */
@StandaloneIT
class ReferenceScenarioIT {

    Api api;

    @Test
    void retriesTheInventoryCheckAfterATimeoutAndAnOutageAndCompletesDespiteTheSmsGateway() {
        String laptop = uniqueSku("LAPTOP");
        api.setStock(laptop, 10);
        api.fault("inventory.reserve", false, "TIMEOUT", "UNAVAILABLE");
        api.fault("notification.sms", true, "UNAVAILABLE");

        String orderId = api.placeAcceptedOrder(order("+31612345678", laptop, 2, "999.90"));

        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(40));
        History history = History.of(api.history(orderId));
        String story = history.describe();

        List<JsonNode> inventoryFailures = history.ofStep("StepAttemptFailedEvent", "RESERVE_STOCK");
        assertThat(inventoryFailures).as(story).hasSize(2);
        assertThat(inventoryFailures.get(0).get("payload").get("error").asText()).isEqualTo("TimeoutException");
        assertThat(inventoryFailures.get(1).get("payload").get("error").asText())
                .isEqualTo("ServiceUnavailableException");
        assertThat(history.ofStep("StepRetryScheduledEvent", "RESERVE_STOCK")).as(story).hasSize(2)
                .extracting(retry -> retry.get("payload").get("attempt").asInt()).containsExactly(2, 3);

        JsonNode reserved = history.first("StockReservedEvent");
        Duration firstBackoff = History.between(inventoryFailures.get(0), inventoryFailures.get(1));
        Duration secondBackoff = History.between(inventoryFailures.get(1), reserved);
        assertThat(firstBackoff).as("retry after ≈1 s " + story)
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
        assertThat(secondBackoff).as("retry after ≈2 s " + story)
                .isBetween(Duration.ofMillis(1000), Duration.ofMillis(3000));

        assertThat(history.types()).as(story).containsSubsequence(
                "OrderPlacedEvent",
                "StepAttemptFailedEvent", "StepRetryScheduledEvent",
                "StepAttemptFailedEvent", "StepRetryScheduledEvent",
                "StockReservedEvent", "PaymentChargedEvent", "ShipmentScheduledEvent", "EmailSentEvent",
                "StepAttemptFailedEvent", "StepFailedEvent", "OrderCompletedEvent");
        assertThat(history.ofStep("StepFailedEvent", "SEND_SMS")).as("SMS failed " + story).hasSize(1);
        assertThat(history.types()).as(story).doesNotContain("SmsSentEvent", "CompensationStartedEvent")
                .containsOnlyOnce("PaymentChargedEvent", "ShipmentScheduledEvent", "EmailSentEvent");
    }
}
