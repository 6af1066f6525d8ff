package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An operator gives up a waiting non-critical step (the confirmation e-mail or SMS): it is recorded as skipped and the
 * order goes on. Refused when the order has ended, or when the step that waits is not one that may be skipped.
 */
public record SkipStepCommand(@TargetAggregateIdentifier String orderId, String operator, String reason)
        implements OrderScoped {
}
