package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.HeldOrdersIT;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in the repository ({@code grafana/order-saga-dashboard.json}) loads as a dashboard, and every
 * metric its panels query is in a live Prometheus scrape of the app once orders of each kind have gone through: one
 * whose e-mail is given up and whose SMS an operator skips, one cancelled for an unknown SKU.
 */
@HeldOrdersIT
class DashboardIT {

    private static final Path DASHBOARD = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("grafana").resolve("order-saga-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bordersaga_[a-z_]+\\b");

    Api api;

    @Test
    void everyPanelsMetricIsInALiveScrape() throws Exception {
        JsonNode dashboard = Api.JSON.readTree(DASHBOARD.toFile());
        assertThat(dashboard.get("title").asText()).isNotBlank();
        assertThat(dashboard.get("panels")).isNotEmpty();
        Set<String> metrics = new LinkedHashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("title").asText()).isNotBlank();
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                Matcher metric = METRIC.matcher(target.get("expr").asText());
                assertThat(metric.find()).as("a metric in " + target.get("expr")).isTrue();
                do {
                    metrics.add(metric.group());
                } while (metric.find());
            }
        }

        String sku = uniqueSku("DASH");
        api.setStock(sku, 10);
        api.fault("notification.email", true, "UNAVAILABLE");
        api.fault("notification.sms", true, "UNAVAILABLE");
        String skipped = api.placeAcceptedOrder(order("+31612345678", sku, 1, "3.00"));
        api.awaitRetryScheduled(skipped, "SEND_SMS", Duration.ofSeconds(60));
        assertThat(api.post("/admin/orders/" + skipped + "/skip", "application/json", "").status()).isEqualTo(202);
        api.awaitStatus(skipped, "COMPLETED", Duration.ofSeconds(30));
        String cancelled = api.placeAcceptedOrder(order(null, uniqueSku("UNKNOWN"), 1, "3.00"));
        api.awaitStatus(cancelled, "CANCELLED", Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = api.get("/actuator/prometheus").body();
            for (String metric : metrics) {
                assertThat(scrape).as(metric + " in the scrape").containsPattern("(?m)^" + metric + "[{ ]");
            }
        });
    }
}
