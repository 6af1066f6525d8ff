package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/**
 * An operator had a waiting step attempted now: attempt number {@code attempt} is the first of a fresh set (the
 * step's policy counts its attempts from there). {@code target} is the SKU for a line's step, else {@code null}.
 */
public record StepRetriedByOperatorEvent(String orderId, OrderStep step, String target, int attempt,
                                         String operator, String reason) implements OrderScoped {
}
