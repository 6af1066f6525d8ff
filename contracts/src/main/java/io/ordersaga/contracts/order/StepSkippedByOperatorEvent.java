package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/** An operator skipped a non-critical step that was waiting (held by an outage): the order goes on without it. */
public record StepSkippedByOperatorEvent(String orderId, OrderStep step, String target, String operator,
                                         String reason) implements OrderScoped {
}
