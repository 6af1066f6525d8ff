package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

import java.util.List;

/**
 * The order was cancelled after every step already done was compensated; {@code reason} says why. {@code items} are
 * the order's lines: the inventory gives back whatever they still hold (a reservation that landed late). Events stored
 * before they carried them read back with {@code items} null.
 */
public record OrderCancelledEvent(String orderId, String reason, List<OrderLine> items) implements OrderScoped {
}
