package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/** A step failed for good: the saga now undoes what was done, in reverse order, and then cancels with this reason. */
public record CompensationStartedEvent(String orderId, String reason) implements OrderScoped {
}
