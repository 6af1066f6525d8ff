package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/**
 * The saga gave a step up. For a critical step what was done is then compensated; for a notification this is the
 * record that it failed, and the order completes anyway.
 */
public record StepFailedEvent(String orderId, OrderStep step, String target, int attempts, String reason)
        implements OrderScoped {
}
