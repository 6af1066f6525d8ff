package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The saga waits on durable deadlines, not in threads: fifty orders each waiting out a 5 s backoff do not delay an
 * order that meets no fault. Its own app, where a stock reservation's first backoff is 5 s.
 */
@StandaloneIT
@TestPropertySource(properties = {
        "ordersaga.saga.steps.RESERVE_STOCK.initial-interval=5s",
        "ordersaga.saga.steps.RESERVE_STOCK.jitter=0"
})
class NonBlockingIT {

    private static final int WAITING = 50;

    Api api;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiftyOrdersInABackoffDoNotDelayANewOrder() {
        String sku = uniqueSku("CABLE");
        api.setStock(sku, 1000);
        api.fault("inventory.reserve", false, Collections.nCopies(WAITING, "UNAVAILABLE").toArray(String[]::new));
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            waiting.add(api.placeAcceptedOrder(order(null, sku, 1, "4.99")));
        }
        await().atMost(Duration.ofSeconds(4)).until(() -> retriesScheduled() == WAITING);

        long start = System.nanoTime();
        String fresh = api.placeAcceptedOrder(order(null, sku, 1, "4.99"));
        api.awaitStatus(fresh, "COMPLETED", Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        long completedMeanwhile = waiting.stream()
                .filter(orderId -> api.order(orderId).get("status").asText().equals("COMPLETED")).count();
        System.out.printf("[non-blocking] with %d orders in a 5 s backoff, a new order completed in %d ms; "
                + "%d of the waiting orders had completed by then%n", WAITING, took.toMillis(), completedMeanwhile);
        assertThat(took).as("a new order is not held up by the waiting ones").isLessThan(Duration.ofMillis(2500));
        assertThat(completedMeanwhile).as("the waiting orders were still in their backoff").isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(waiting)
                .allSatisfy(orderId -> assertThat(api.order(orderId).get("status").asText()).isEqualTo("COMPLETED")));
    }

    private long retriesScheduled() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE ?", Long.class,
                "%.StepRetryScheduledEvent");
    }
}
