package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/** The saga waits {@code delayMillis} (the backoff its policy chose), then makes attempt {@code attempt} of a step. */
public record StepRetryScheduledEvent(String orderId,
                                      OrderStep step,
                                      String target,
                                      int attempt,
                                      long delayMillis)
        implements OrderScoped {
}
