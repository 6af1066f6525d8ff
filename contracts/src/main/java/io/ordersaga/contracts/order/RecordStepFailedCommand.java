package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records that the saga gave a step up after {@code attempts} attempts (its retries ran out, or it was not retryable). */
public record RecordStepFailedCommand(@TargetAggregateIdentifier String orderId,
                                      OrderStep step,
                                      String target,
                                      int attempts,
                                      String reason)
        implements OrderScoped {
}
