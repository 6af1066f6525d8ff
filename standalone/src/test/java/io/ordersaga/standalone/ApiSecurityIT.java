package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import java.util.ArrayList;
import java.util.List;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer and stock endpoints with compose's settings (docker-compose.yml: an API key required, a rate limit
 * on orders per client): without a key {@code POST /orders} and {@code PUT /inventory/{sku}} are refused, with one
 * they are served; a burst over the limit is answered {@code 429} with {@code Retry-After}, and nothing of it stored.
 */
@StandaloneIT
@TestPropertySource(properties = {
        "ordersaga.security.required=true",
        "ordersaga.security.api-keys.shop=" + ApiSecurityIT.SHOP_KEY,
        "ordersaga.security.api-keys.other-shop=" + ApiSecurityIT.OTHER_KEY,
        "ordersaga.security.orders-per-period=5",
        "ordersaga.security.period=1h"
})
class ApiSecurityIT {

    static final String SHOP_KEY = "shop-key-0123456789";
    static final String OTHER_KEY = "other-shop-key-0123456789";

    Api api;
    @Autowired
    JdbcTemplate database;

    @Test
    void placingAnOrderOrSettingStockNeedsAnApiKey() {
        String sku = uniqueSku("AUTH");

        Api.Response anonymousStock = api.put("/inventory/" + sku, "{\"onHand\":10}");
        Api.Response stock = api.send(api.request("/inventory/" + sku).header("Content-Type", "application/json")
                .header("X-Api-Key", OTHER_KEY).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"onHand\":10}")));
        int before = orders();
        Api.Response anonymous = api.placeOrder(order(null, sku, 1, "9.99"));
        Api.Response wrongKey = api.placeOrder(order(null, sku, 1, "9.99"), "X-Api-Key", "not-a-key");
        Api.Response withKey = api.placeOrder(order(null, sku, 1, "9.99"), "X-Api-Key", OTHER_KEY);

        assertThat(anonymousStock.status()).isEqualTo(401);
        assertThat(anonymousStock.contentType()).startsWith("application/problem+json");
        assertThat(stock.status()).as(stock.body()).isEqualTo(200);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(withKey.status()).as(withKey.body()).isEqualTo(202);
        assertThat(orders()).as("only the order with the key is stored").isEqualTo(before + 1);
        assertThat(api.get("/orders/" + withKey.json().get("orderId").asText()).status())
                .as("reading an order needs no key").isEqualTo(200);
    }

    @Test
    void aBurstOverTheRateLimitIsRefusedWithRetryAfterAndNothingOfItIsStored() {
        String sku = uniqueSku("BURST");
        api.send(api.request("/inventory/" + sku).header("Content-Type", "application/json")
                .header("X-Api-Key", SHOP_KEY).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"onHand\":100}")));
        int before = orders();

        List<Api.Response> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(api.placeOrder(order(null, sku, 1, "9.99"), "X-Api-Key", SHOP_KEY));
        }

        assertThat(burst).extracting(Api.Response::status).containsExactly(202, 202, 202, 202, 202, 429, 429, 429);
        for (Api.Response refused : burst.subList(5, 8)) {
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        }
        assertThat(orders()).as("the refused orders are not stored").isEqualTo(before + 5);
        // the limit is per client: another shop still places its orders
        assertThat(api.placeOrder(order(null, sku, 1, "9.99"), "X-Api-Key", OTHER_KEY).status()).isEqualTo(202);
    }

    private int orders() {
        return database.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE ?",
                Integer.class, "%.OrderPlacedEvent");
    }
}
