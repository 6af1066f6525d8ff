package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/**
 * An operator cancelled the order: the saga stops what is under way, undoes what was done in reverse order, and
 * cancels the order with the operator's reason. From here on the order is compensating (it will not complete).
 */
public record OrderCancellationRequestedEvent(String orderId, String operator, String reason) implements OrderScoped {
}
