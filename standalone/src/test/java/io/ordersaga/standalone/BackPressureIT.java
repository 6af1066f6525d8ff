package io.ordersaga.standalone;

import io.ordersaga.order.web.OrderIds;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Back-pressure at the door: with the bound on orders in progress set low and reached (orders held by a payment
 * outage), a burst is answered {@code 503} with {@code Retry-After}, nothing is stored for those requests, every
 * accepted order completes once the outage is over, and clients that retry with the same Idempotency-Key get their
 * orders accepted, once each.
 */
@StandaloneIT
@TestPropertySource(properties = {
        "ordersaga.admission.max-open-orders=10",
        "ordersaga.admission.refresh=0s",
        "ordersaga.saga.steps.CHARGE_PAYMENT.max-attempts=100",
        "ordersaga.saga.steps.CHARGE_PAYMENT.max-interval=1s"
})
class BackPressureIT {

    private static final int BOUND = 10;
    private static final int BURST = 30;

    Api api;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void refusesABurstBeyondTheBoundWithRetryAfterStoresNothingForItAndTakesItOnceThereIsRoom() throws Exception {
        String sku = uniqueSku("BUSY");
        api.setStock(sku, 1000);
        api.fault("payment.charge", true, "UNAVAILABLE");
        List<String> held = IntStream.range(0, BOUND)
                .mapToObj(i -> api.placeAcceptedOrder(order(null, sku, 1, "9.99"))).toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM order_summary WHERE status = 'PLACED'", Integer.class) == BOUND);

        Map<String, Api.Response> burst = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = IntStream.range(0, BURST).<Future<?>>mapToObj(i -> clients.submit(() -> {
                String key = sku + "-" + i;
                burst.put(key, api.placeOrder(order(null, sku, 1, "9.99"), "Idempotency-Key", key));
            })).toList();
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            clients.shutdown();
        }

        OrderIds ids = new OrderIds();
        assertThat(burst).hasSize(BURST);
        burst.forEach((key, answer) -> {
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.header("Retry-After")).isEqualTo("5");
            assertThat(answer.json().get("detail").asText()).contains(BOUND + " orders are in progress");
            String orderId = ids.forIdempotencyKey(key);
            assertThat(api.get("/orders/" + orderId).status()).as("nothing stored for " + key).isEqualTo(404);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry"
                    + " WHERE ordersaga_event_order_id(payload) = ?", Integer.class, orderId)).isZero();
        });

        api.clearFaults();
        held.forEach(orderId -> api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60)));
        for (String key : new TreeMap<>(burst).keySet()) {
            Api.Response retried = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.placeOrder(order(null, sku, 1, "9.99"), "Idempotency-Key", key),
                            answer -> answer.status() == 202);
            assertThat(retried.json().get("orderId").asText()).isEqualTo(ids.forIdempotencyKey(key));
        }
        burst.keySet().forEach(key -> api.awaitStatus(ids.forIdempotencyKey(key), "COMPLETED",
                Duration.ofSeconds(60)));
        assertThat(api.stock(sku).get("onHand").asInt()).as("each order taken once").isEqualTo(1000 - BOUND - BURST);
    }
}
