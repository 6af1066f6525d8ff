package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/** The order was cancelled after every step already done was compensated; {@code reason} says why. */
public record OrderCancelledEvent(String orderId, String reason) implements OrderScoped {
}
