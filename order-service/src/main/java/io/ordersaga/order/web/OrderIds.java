package io.ordersaga.order.web;

import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where order ids come from. Without an idempotency key every order gets a random UUID; with one, the id is derived
 * from the key (a name-based UUID), so a retried submission reaches the same Order aggregate, which decides whether
 * it is the same request. The supplier of fresh ids can be replaced in tests.
 */
@Component
public class OrderIds {

    private final Supplier<UUID> fresh;

    public OrderIds() {
        this(UUID::randomUUID);
    }

    public OrderIds(Supplier<UUID> fresh) {
        this.fresh = fresh;
    }

    public String newOrderId() {
        return fresh.get().toString();
    }

    /** Whether {@code value} can be an order's id: a UUID, written as this class writes them (lower case). */
    public static boolean isOrderId(String value) {
        if (value == null) {
            return false;
        }
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String forIdempotencyKey(String key) {
        return UUID.nameUUIDFromBytes(("order-saga/idempotency-key/" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
