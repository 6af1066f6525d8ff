package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.tracing.Tracer;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees: Prometheus metrics that move as orders run, the stuck-orders query, event processors in
 * health, an actuator that exposes nothing else, and the order id on every log line about an order.
 */
@StandaloneIT
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIT {

    @Autowired
    SpanFactory spanFactory;
    @Autowired
    Tracer tracer;
    Api api;

    @Test
    void tracesAreOffUnlessSwitchedOn() {
        // platform.yml: management.tracing.enabled=false; then neither Axon nor the HTTP requests make a span
        // (TracingIT switches it on)
        assertThat(spanFactory).isSameAs(NoOpSpanFactory.INSTANCE);
        assertThat(tracer).isSameAs(Tracer.NOOP);
    }

    @Test
    void stepCountersAndTheCompletionHistogramMoveAsOrdersRun() {
        String sku = uniqueSku("METRICS");
        api.setStock(sku, 10);
        String failedReservations = "ordersaga_step_attempts_total{application=\"order-saga\",outcome=\"failed\","
                + "step=\"RESERVE_STOCK\"}";
        String retries = "ordersaga_step_retries_total{application=\"order-saga\",step=\"RESERVE_STOCK\"}";
        String charges = "ordersaga_step_attempts_total{application=\"order-saga\",outcome=\"succeeded\","
                + "step=\"CHARGE_PAYMENT\"}";
        String declines = "ordersaga_step_attempts_total{application=\"order-saga\",outcome=\"rejected\","
                + "step=\"CHARGE_PAYMENT\"}";
        String compensations = "ordersaga_compensations_started_total{application=\"order-saga\"}";
        String completed = "ordersaga_order_completion_seconds_count{application=\"order-saga\",outcome=\"completed\"}";
        String underTenSeconds = "ordersaga_order_completion_seconds_bucket{application=\"order-saga\","
                + "outcome=\"completed\",le=\"10.0\"}";
        String scrape = prometheus();

        api.fault("inventory.reserve", false, "UNAVAILABLE");
        String retried = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitStatus(retried, "COMPLETED", Duration.ofSeconds(30));
        api.fault("payment.charge", false, "DECLINED");
        String declined = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitStatus(declined, "CANCELLED", Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String now = prometheus();
            for (String series : List.of(completed, underTenSeconds, failedReservations, retries, charges, declines,
                    compensations)) {
                assertThat(value(now, series)).as(series + " moved, in:\n" + ours(now))
                        .isGreaterThanOrEqualTo(value(scrape, series) + 1);
            }
        });
        String now = prometheus();
        assertThat(now).contains("ordersaga_processor_lag_events{application=\"order-saga\",processor=\"order-saga\"}",
                "ordersaga_orders_placed_total", "ordersaga_step_failures_total", "eventProcessor_latency",
                "commandBus_successCounter_total");
    }

    @Test
    void theStuckOrdersAreThoseHeldUpNotThoseThatEnded() {
        String sku = uniqueSku("STUCK");
        api.setStock(sku, 10);
        String done = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitStatus(done, "COMPLETED", Duration.ofSeconds(30));
        api.fault("inventory.reserve", true, "UNAVAILABLE");
        String held = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode stuck = api.get("/orders?stuckForSeconds=1").json();
            assertThat(stuck.findValuesAsText("orderId")).contains(held).doesNotContain(done);
            JsonNode order = find(stuck, held);
            assertThat(order.path("status").asText()).isEqualTo("PLACED");
            assertThat(order.path("step").asText()).isEqualTo("RESERVE_STOCK");
            assertThat(order.path("lastFailure").asText()).contains("RESERVE_STOCK", "ServiceUnavailableException");
        });
        assertThat(api.get("/orders?stuckForSeconds=1&status=PLACED").json().findValuesAsText("orderId"))
                .contains(held);
        assertThat(api.get("/orders?stuckForSeconds=1&status=SHIPPED").json().findValuesAsText("orderId"))
                .doesNotContain(held);
        assertThat(api.get("/orders?status=COMPLETED&limit=500").json().findValuesAsText("orderId"))
                .contains(done).doesNotContain(held);
        for (String query : List.of("stuckForSeconds=1&status=COMPLETED", "stuckForSeconds=-1",
                "stuckForSeconds=soon", "status=LOST", "limit=0", "limit=100000")) {
            Api.Response refused = api.get("/orders?" + query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
        }

        api.clearFaults();
        api.awaitStatus(held, "COMPLETED", Duration.ofSeconds(30));
        assertThat(api.get("/orders?stuckForSeconds=0&limit=500").json().findValuesAsText("orderId"))
                .doesNotContain(held);
    }

    @Test
    void healthShowsTheEventProcessorsAndTheActuatorExposesNothingElse() {
        JsonNode health = api.get("/actuator/health").json();

        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode processors = health.path("components").path("eventProcessors");
        assertThat(processors.path("status").asText()).isEqualTo("UP");
        assertThat(processors.path("details").fieldNames()).toIterable()
                .contains("order-saga", "order-projection", "order-audit");
        assertThat(processors.path("details").path("order-saga").path("running").asBoolean()).isTrue();

        JsonNode links = api.get("/actuator").json().path("_links");
        assertThat(links.fieldNames()).toIterable().allSatisfy(link -> assertThat(link)
                .matches("self|health|health-path|info|metrics|metrics-requiredMetricName|prometheus"));
        for (String hidden : List.of("env", "beans", "configprops", "loggers", "heapdump", "threaddump", "mappings",
                "shutdown")) {
            assertThat(api.get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
        }
        assertThat(api.get("/actuator/info").status()).isEqualTo(200);
        assertThat(api.get("/actuator/metrics/ordersaga.orders.placed").status()).isEqualTo(200);
    }

    @Test
    void everyLogLineAboutAnOrderNamesIt(CapturedOutput output) {
        String sku = uniqueSku("LOGS");
        api.setStock(sku, 10);
        api.fault("inventory.reserve", false, "UNAVAILABLE");
        api.fault("payment.charge", false, "DECLINED");
        String order = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitStatus(order, "CANCELLED", Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(output.getOut().lines().filter(line -> line.contains(order)).count())
                        .as("log lines naming the order").isGreaterThanOrEqualTo(2));
        List<String> aboutTheOrder = output.getOut().lines()
                .filter(line -> line.contains(order) || line.contains("Fault injection: inventory.reserve is unavailable")
                        || line.contains("Fault injection: payment.charge declines"))
                .toList();
        assertThat(aboutTheOrder).isNotEmpty().allSatisfy(line -> assertThat(line).contains("order=" + order));
    }

    private String prometheus() {
        Api.Response scrape = api.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        return scrape.body();
    }

    private static String ours(String scrape) {
        return String.join("\n", scrape.lines().filter(line -> line.startsWith("ordersaga_")
                && !line.contains("_bucket")).toList());
    }

    /** The value of one series in a scrape; 0 when it is not there yet. */
    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static JsonNode find(JsonNode orders, String orderId) {
        for (Iterator<JsonNode> it = orders.elements(); it.hasNext(); ) {
            JsonNode order = it.next();
            if (order.path("orderId").asText().equals(orderId)) {
                return order;
            }
        }
        throw new AssertionError("No order " + orderId + " in " + orders);
    }
}
