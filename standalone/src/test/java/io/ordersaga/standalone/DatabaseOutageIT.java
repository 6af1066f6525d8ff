package io.ordersaga.standalone;

import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer;
import io.ordersaga.order.web.OrderIds;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app's PostgreSQL stopped as a crash would stop it ({@code pg_ctl stop -m immediate}; its own embedded server,
 * not a shared one), then started again: meanwhile the public API answers {@code 503} with {@code Retry-After} and a
 * problem that names the cause and nothing internal, no order is taken, and once the database is back the same
 * request with the same Idempotency-Key places the order, once. The pool gives up on a connection after 1 s here
 * (Hikari's default is 30 s), so each answer comes well before the placement's own time limit.
 */
@StandaloneIT
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=1000")
class DatabaseOutageIT {

    Api api;
    @Autowired
    EmbeddedPostgresServer database;
    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void databaseIsBack() {
        if (!database.isRunning()) {
            database.startAgain();
        }
    }

    @Test
    void answersServiceUnavailableWithRetryAfterWhileTheDatabaseIsDownAndTakesTheOrderOnceItIsBack() {
        String sku = uniqueSku("DBDOWN");
        api.setStock(sku, 10);
        String earlier = api.placeAcceptedOrder(order(null, sku, 1, "5.00"));
        api.awaitStatus(earlier, "COMPLETED", Duration.ofSeconds(30));
        String key = "db-outage-" + sku;
        String orderId = new OrderIds().forIdempotencyKey(key);

        database.stopImmediately();

        Api.Response placing = api.placeOrder(order(null, sku, 1, "5.00"), "Idempotency-Key", key);
        assertThat(placing.status()).as(placing.body()).isEqualTo(503);
        assertThat(placing.header("Retry-After")).isEqualTo("5");
        assertThat(placing.contentType()).startsWith("application/problem+json");
        assertThat(placing.json().get("title").asText()).isEqualTo("Database unavailable");
        assertThat(placing.json().get("detail").asText())
                .contains("the database is unavailable").contains("same Idempotency-Key");
        assertNothingInternal(placing);

        for (Api.Response other : List.of(api.get("/orders/" + earlier), api.get("/orders"))) {
            assertThat(other.status()).as(other.body()).isEqualTo(503);
            assertThat(other.header("Retry-After")).isEqualTo("5");
            assertThat(other.contentType()).startsWith("application/problem+json");
            assertThat(other.json().get("detail").asText()).contains("the database is unavailable");
            assertNothingInternal(other);
        }
        // setting stock waits for its command at most 10 s, whatever holds it
        Api.Response stock = api.put("/inventory/" + sku, "{\"onHand\": 20}");
        assertThat(stock.status()).as(stock.body()).isEqualTo(503);
        assertThat(stock.header("Retry-After")).isEqualTo("5");
        assertThat(stock.contentType()).startsWith("application/problem+json");
        assertNothingInternal(stock);

        database.startAgain();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.get("/orders/" + earlier).status()).isEqualTo(200));

        assertThat(api.get("/orders/" + orderId).status()).as("not taken while the database was down")
                .isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class, orderId)).isZero();

        Api.Response retried = api.placeOrder(order(null, sku, 1, "5.00"), "Idempotency-Key", key);
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        assertThat(retried.json().get("orderId").asText()).isEqualTo(orderId);
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(30));
        assertThat(api.historyTypes(orderId)).filteredOn(type -> type.endsWith("OrderPlacedEvent")).hasSize(1);
    }

    private static void assertNothingInternal(Api.Response answer) {
        assertThat(answer.body()).doesNotContain("Exception", "Hikari", "JPA", "localhost", "at io.", "at org.");
    }
}
