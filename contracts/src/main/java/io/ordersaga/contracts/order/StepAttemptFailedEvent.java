package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/** An attempt of a saga step failed without an answer; the saga decides whether to retry or to give up. */
public record StepAttemptFailedEvent(String orderId,
                                     OrderStep step,
                                     String target,
                                     int attempt,
                                     String error,
                                     String message)
        implements OrderScoped {
}
