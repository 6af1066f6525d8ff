package io.ordersaga.order.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What can be an order's id: a UUID as the service writes them, and nothing else. */
class OrderIdsTest {

    @Test
    void takesTheIdsItGivesOut() {
        OrderIds ids = new OrderIds();
        assertThat(OrderIds.isOrderId(ids.newOrderId())).isTrue();
        assertThat(OrderIds.isOrderId(ids.forIdempotencyKey("key-1"))).isTrue();
        assertThat(OrderIds.isOrderId(UUID.randomUUID().toString())).isTrue();
        assertThat(OrderIds.isOrderId("00000000-0000-4000-8000-000000000000")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-an-order-id", "7D3C1A52-3F5E-4B8A-9C21-1F2E3D4C5B6A",
            "7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6", "1-2-3-4-5", " 7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a"})
    void refusesAnythingElse(String value) {
        assertThat(OrderIds.isOrderId(value)).isFalse();
    }

    @Test
    void refusesNoIdAtAll() {
        assertThat(OrderIds.isOrderId(null)).isFalse();
    }
}
