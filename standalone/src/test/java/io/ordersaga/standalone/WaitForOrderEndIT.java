package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /orders/{id}} with {@code Prefer: wait=N} (RFC 7240): the answer comes as soon as the order has ended, or
 * after N seconds with the order as it is then; a preference that cannot be used is ignored.
 */
@StandaloneIT
class WaitForOrderEndIT {

    Api api;
    String sku;

    record Timed(Api.Response response, Duration took) {
    }

    @BeforeEach
    void setUp() {
        sku = uniqueSku("CHARGER");
        api.setStock(sku, 100);
    }

    private Timed get(String orderId, String prefer) {
        long start = System.nanoTime();
        Api.Response response = api.send(api.request("/orders/" + orderId).header("Prefer", prefer).GET());
        return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void answersWithTheOrderAsItIsAfterTheWaitWhileItsPaymentIsHeld() {
        api.fault("payment.charge", true, "UNAVAILABLE");
        String orderId = api.placeAcceptedOrder(order(null, sku, 1, "24.50"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.order(orderId).path("lastFailure").asText()).contains("CHARGE_PAYMENT"));

        Timed waited = get(orderId, "wait=2");

        assertThat(waited.response().status()).as(waited.response().body()).isEqualTo(200);
        assertThat(waited.took()).isGreaterThanOrEqualTo(Duration.ofMillis(1800)).isLessThan(Duration.ofSeconds(10));
        assertThat(waited.response().header("Preference-Applied")).isEqualTo("wait=2");
        JsonNode order = waited.response().json();
        assertThat(order.get("orderId").asText()).isEqualTo(orderId);
        assertThat(order.get("status").asText()).isNotIn("COMPLETED", "CANCELLED");
        assertThat(order.get("step").asText()).isEqualTo("CHARGE_PAYMENT");
    }

    @Test
    void answersAsSoonAsTheOrderHasEnded() {
        String orderId = api.placeAcceptedOrder(order("+31612345678", sku, 1, "24.50"));

        Timed waited = get(orderId, "wait=30");

        assertThat(waited.response().status()).as(waited.response().body()).isEqualTo(200);
        assertThat(waited.response().json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(waited.took()).as("well before the 30 s asked for").isLessThan(Duration.ofSeconds(10));
        assertThat(waited.response().header("Preference-Applied")).isEqualTo("wait=30");
        assertThat(waited.response().json()).isEqualTo(api.order(orderId));
    }

    @Test
    void answersAnOrderThatHasEndedAtOnceAndCutsAWaitOverSixtySecondsToSixty() {
        api.fault("payment.charge", false, "DECLINED");
        String orderId = api.placeAcceptedOrder(order(null, sku, 1, "24.50"));
        api.awaitStatus(orderId, "CANCELLED", Duration.ofSeconds(15));

        Timed waited = get(orderId, "wait=999");

        assertThat(waited.response().status()).as(waited.response().body()).isEqualTo(200);
        assertThat(waited.response().json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(waited.took()).isLessThan(Duration.ofSeconds(2));
        assertThat(waited.response().header("Preference-Applied")).isEqualTo("wait=60");
    }

    @Test
    void ignoresAPreferenceItCannotUseAndAnswersAtOnce() {
        api.fault("payment.charge", true, "UNAVAILABLE");
        String orderId = api.placeAcceptedOrder(order(null, sku, 1, "24.50"));

        for (String prefer : List.of("wait=5s", "wait=-5", "wait=", "return=minimal")) {
            Timed answered = get(orderId, prefer);

            assertThat(answered.response().status()).as(prefer + ": " + answered.response().body()).isEqualTo(200);
            assertThat(answered.took()).as(prefer).isLessThan(Duration.ofMillis(1500));
            assertThat(answered.response().header("Preference-Applied")).as(prefer).isNull();
            assertThat(answered.response().json().get("status").asText()).as(prefer).isEqualTo("PLACED");
        }
    }

    @Test
    void answersAnUnknownOrderWithNotFoundAtOnce() {
        for (String orderId : List.of(UUID.randomUUID().toString(), "not-an-order")) {
            Timed answered = get(orderId, "wait=10");

            assertThat(answered.response().status()).isEqualTo(404);
            assertThat(answered.response().contentType()).startsWith("application/problem+json");
            assertThat(answered.took()).isLessThan(Duration.ofSeconds(2));
        }
    }
}
