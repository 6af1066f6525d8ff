package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/** An attempt of a saga step failed; the saga decides whether to retry or to compensate. */
public record StepAttemptFailedEvent(String orderId,
                                     OrderStep step,
                                     String target,
                                     int attempt,
                                     String reason)
        implements OrderScoped {
}
