package io.ordersaga.standalone;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.ordersaga.platform.observability.OrderSpanAttributes;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces switched on ({@code management.tracing.enabled=true}), spans caught by an in-memory exporter: one order,
 * with a retried inventory check, is one trace — from the {@code POST /orders} request through the saga's steps,
 * the alarm that retries a step and the five services' command handlers — and each of its Axon spans names the order.
 */
@StandaloneIT
@Import(TracingIT.Exporter.class)
@TestPropertySource(properties = {
        "management.tracing.enabled=true",
        "management.opentelemetry.tracing.export.schedule-delay=100ms"
})
class TracingIT {

    private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey(OrderSpanAttributes.ORDER_ID);
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey(OrderSpanAttributes.SERVICE);

    @TestConfiguration(proxyBeanMethods = false)
    static class Exporter {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Autowired
    InMemorySpanExporter exporter;
    Api api;

    @Test
    void oneOrderIsOneTraceAcrossTheSagaItsRetryAndTheFiveServices() {
        String sku = uniqueSku("TRACED");
        api.setStock(sku, 5);
        api.fault("inventory.reserve", false, "UNAVAILABLE");

        String orderId = api.placeAcceptedOrder(order("+31612345678", sku, 1, "25.00"));
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(40));

        Set<String> services = Set.of("order-service", "inventory-service", "payment-service", "shipping-service",
                "notification-service");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            // all but the settlement of its stock once it has ended: that is batched per SKU across orders (one
            // command for many), so it is a trace of its own; its events still name the order
            List<SpanData> ofOrder = exporter.getFinishedSpanItems().stream()
                    .filter(span -> orderId.equals(span.getAttributes().get(ORDER_ID)))
                    .filter(span -> !span.getName().contains("(StockCommittedEvent)"))
                    .toList();
            String described = describe(ofOrder);
            assertThat(ofOrder).as(described).isNotEmpty();

            Set<String> traces = ofOrder.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
            assertThat(traces).as("one trace for the order:\n" + described).hasSize(1);
            String traceId = traces.iterator().next();
            List<SpanData> trace = exporter.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(traceId))
                    .toList();

            assertThat(trace).as("the trace starts at the request that placed the order:\n" + describe(trace))
                    .anyMatch(span -> span.getKind() == SpanKind.SERVER
                            && !span.getParentSpanContext().isValid()
                            && span.getName().toLowerCase().contains("post"));
            assertThat(ofOrder).as("the saga's steps:\n" + described)
                    .anyMatch(span -> span.getName().contains("OrderSaga"));
            assertThat(trace).as("the alarm that retried the inventory check:\n" + describe(trace))
                    .anyMatch(span -> span.getName().equals("EventScheduler.publishDue(SagaAlarmEvent)")
                            && orderId.equals(span.getAttributes().get(ORDER_ID)));
            Set<String> handledBy = ofOrder.stream()
                    .filter(span -> span.getName().contains("handleCommand"))
                    .map(span -> span.getAttributes().get(SERVICE))
                    .collect(Collectors.toSet());
            assertThat(handledBy).as("commands handled by each service:\n" + described).containsAll(services);
        });
    }

    private static String describe(List<SpanData> spans) {
        Map<String, Long> names = new TreeMap<>(spans.stream().collect(Collectors.groupingBy(
                span -> span.getName() + " [" + span.getAttributes().get(SERVICE) + "] trace " + span.getTraceId(),
                Collectors.counting())));
        return names.entrySet().stream().map(e -> e.getValue() + " × " + e.getKey())
                .collect(Collectors.joining("\n"));
    }
}
