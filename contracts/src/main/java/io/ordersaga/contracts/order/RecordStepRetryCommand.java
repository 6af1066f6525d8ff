package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records that the saga will try a step again: attempt number {@code attempt}, after {@code delayMillis}. */
public record RecordStepRetryCommand(@TargetAggregateIdentifier String orderId,
                                     OrderStep step,
                                     String target,
                                     int attempt,
                                     long delayMillis)
        implements OrderScoped {
}
