package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.HeldOrdersIT;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order list searched and paged: {@code GET /orders?customerId=…} with a cursor from page to page returns each of
 * 250 orders exactly once, newest first; counts per status; a parameter the list does not take is refused.
 */
@HeldOrdersIT
class OrderListIT {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final int ORDERS = 250;
    private static final int PAGE = 40;

    Api api;

    private String place(String sku, String customerId) {
        ObjectNode body = order(null, sku, 1, "5.00");
        body.put("customerId", customerId);
        return api.placeAcceptedOrder(body);
    }

    private static String next(Api.Response page) {
        String link = page.header("Link");
        if (link == null) {
            return null;
        }
        Matcher next = NEXT.matcher(link);
        assertThat(next.find()).as(link).isTrue();
        return next.group(1);
    }

    @Test
    void pagesThroughEveryOrderOfACustomerExactlyOnceNewestFirst() {
        String sku = uniqueSku("LIST");
        api.setStock(sku, 1000);
        String customer = "list-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> placed = new HashSet<>();
        for (int i = 0; i < ORDERS; i++) {
            placed.add(place(sku, customer));
            if (i % 100 == 0) {
                place(sku, other);
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                api.get("/orders/counts?customerId=" + customer).json().get("total").asLong()).isEqualTo(ORDERS));

        List<String> seen = new ArrayList<>();
        List<Instant> placedAt = new ArrayList<>();
        int pages = 0;
        for (String next = "/orders?customerId=" + customer + "&limit=" + PAGE; next != null; pages++) {
            Api.Response page = api.get(next);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().size()).isBetween(1, PAGE);
            for (JsonNode order : page.json()) {
                assertThat(order.get("customerId").asText()).isEqualTo(customer);
                seen.add(order.get("orderId").asText());
                placedAt.add(Instant.parse(order.get("placedAt").asText()));
            }
            next = next(page);
        }

        assertThat(seen).doesNotHaveDuplicates().hasSize(ORDERS).containsExactlyInAnyOrderElementsOf(placed);
        assertThat(pages).isEqualTo((ORDERS + PAGE - 1) / PAGE);
        for (int i = 1; i < placedAt.size(); i++) {
            assertThat(placedAt.get(i)).as("newest first").isBeforeOrEqualTo(placedAt.get(i - 1));
        }
        assertThat(api.get("/orders?customerId=" + other).json().findValuesAsText("orderId")).hasSize(3)
                .doesNotContainAnyElementsOf(placed);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode counts = api.get("/orders/counts?customerId=" + customer).json();
            assertThat(counts.at("/byStatus/COMPLETED").asLong()).isEqualTo(ORDERS);
            assertThat(counts.at("/byStatus/PLACED").asLong()).isZero();
        });
        JsonNode all = api.get("/orders/counts").json();
        assertThat(all.get("total").asLong()).isGreaterThanOrEqualTo(ORDERS + 3);
    }

    @Test
    void refusesAParameterTheListDoesNotTake() {
        for (String parameter : List.of("offset", "customer", "page")) {
            Api.Response refused = api.get("/orders?" + parameter + "=10");
            assertThat(refused.status()).as(parameter).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asText()).contains("'" + parameter + "'");
        }
        Api.Response unknownOnAnOrder = api.get("/orders/" + UUID.randomUUID() + "?verbose=true");
        assertThat(unknownOnAnOrder.status()).isEqualTo(400);
        assertThat(unknownOnAnOrder.json().get("detail").asText()).contains("'verbose'");
    }

    @Test
    void refusesACursorThatIsNotOneOfThisList() {
        String sku = uniqueSku("CURSOR");
        api.setStock(sku, 10);
        String customer = "cursor-" + UUID.randomUUID().toString().substring(0, 8);
        place(sku, customer);
        place(sku, customer);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/orders/counts?customerId=" + customer).json().get("total").asLong() == 2);
        String next = next(api.get("/orders?customerId=" + customer + "&limit=1"));
        assertThat(next).isNotNull();
        String cursor = next.substring(next.indexOf("cursor=") + "cursor=".length());

        for (String query : List.of("cursor=not-a-cursor", "stuckForSeconds=0&cursor=" + cursor,
                "customerId=" + "x".repeat(65), "customerId=%20x")) {
            Api.Response refused = api.get("/orders?" + query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
        }
        Api.Response second = api.get(next);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).hasSize(1);
        assertThat(next(second)).isNull();
    }
}
