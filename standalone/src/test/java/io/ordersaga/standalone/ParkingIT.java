package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.order.saga.OrderSaga;
import io.ordersaga.order.web.OrderIds;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order's trouble never stops the others: an event its saga cannot handle (a fault armed for that one order, in
 * front of the saga) parks that order, every other order completes meanwhile, the parked order is visible — in
 * {@code GET /admin/dead-letters}, in health and in a metric — and completes once released.
 */
@StandaloneIT
@Import(ParkingIT.PoisonForOneOrder.class)
class ParkingIT {

    /** The order whose saga fails on every event while the fault is armed. */
    static final AtomicReference<String> POISONED = new AtomicReference<>();

    /** A fault in front of the saga, for one order: the saga's handlers throw for it, and only for it. */
    @TestConfiguration
    static class PoisonForOneOrder {

        @Bean
        ConfigurerModule poisonForOneOrder() {
            return new ConfigurerModule() {
                @Override
                public void configureModule(Configurer configurer) {
                    configurer.eventProcessing().registerHandlerInterceptor(OrderSaga.PROCESSING_GROUP,
                            axon -> (MessageHandlerInterceptor<EventMessage<?>>) (unitOfWork, chain) -> {
                                if (unitOfWork.getMessage().getPayload() instanceof OrderScoped scoped
                                        && scoped.orderId().equals(POISONED.get())) {
                                    throw new IllegalStateException("poison for order " + scoped.orderId());
                                }
                                return chain.proceed();
                            });
                }

                @Override
                public int order() {
                    return Integer.MAX_VALUE; // inside the parking interceptor
                }
            };
        }
    }

    Api api;

    @Test
    void parksTheOrderItsSagaCannotHandleWhileEveryOtherOrderCompletesAndCompletesItOnceReleased() {
        String sku = uniqueSku("POISON");
        api.setStock(sku, 1000);
        String key = "poisoned-" + sku;
        String poisoned = new OrderIds().forIdempotencyKey(key); // armed before the saga can see the order
        POISONED.set(poisoned);
        Api.Response placed = api.placeOrder(order("+31612345678", sku, 1, "9.99"), "Idempotency-Key", key);
        assertThat(placed.status()).isEqualTo(202);
        assertThat(placed.json().get("orderId").asText()).isEqualTo(poisoned);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            others.add(api.placeAcceptedOrder(order(i % 2 == 0 ? "+31612345678" : null, sku, 1, "9.99")));
        }

        others.forEach(id -> api.awaitStatus(id, "COMPLETED", Duration.ofSeconds(60)));
        JsonNode parked = await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/admin/dead-letters").json(),
                list -> list.size() == 1);
        assertThat(parked.get(0).get("orderId").asText()).isEqualTo(poisoned);
        assertThat(parked.get(0).get("error").asText()).contains("poison for order");
        assertThat(parked.get(0).get("eventType").asText()).isEqualTo("OrderPlacedEvent");
        assertThat(api.order(poisoned).get("status").asText()).isEqualTo("PLACED");
        assertThat(api.get("/actuator/health").json().at("/components/parkedOrders/details/parked").asInt())
                .isEqualTo(1);
        assertThat(api.get("/actuator/prometheus").body()).containsPattern("ordersaga_parked_orders(\\{[^}]*})? 1\\.0");

        Api.Response stillPoisoned = api.post("/admin/dead-letters/" + poisoned + "/retry", "application/json", "");
        assertThat(stillPoisoned.status()).isEqualTo(409);
        assertThat(stillPoisoned.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/admin/dead-letters").json().get(0).get("releaseAttempts").asInt()).isEqualTo(1);

        POISONED.set(null); // the cause is fixed
        Api.Response released = api.post("/admin/dead-letters/" + poisoned + "/retry", "application/json", "");
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("released").asBoolean()).isTrue();
        assertThat(released.json().get("eventsHandled").asInt()).isGreaterThanOrEqualTo(1);
        api.awaitStatus(poisoned, "COMPLETED", Duration.ofSeconds(30));
        assertThat(api.get("/admin/dead-letters").json()).isEmpty();
        assertThat(api.post("/admin/dead-letters/" + poisoned + "/retry", "application/json", "").status())
                .isEqualTo(404);
        assertThat(api.historyTypes(poisoned)).containsOnlyOnce("PaymentChargedEvent", "ShipmentScheduledEvent",
                "OrderCompletedEvent");
        assertThat(api.historyTypes(poisoned).stream().filter("ParkedOrderRetriedEvent"::equals))
                .as("each release by an operator, the one that failed too, is recorded on the order").hasSize(2);
    }
}
