package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records on the order that an attempt of a saga step failed without an answer from the service that owns the
 * step (a timeout, an outage, no node to handle the command). {@code target} names what the step acted on, e.g.
 * the SKU of a stock reservation; it is {@code null} for steps that act on the order as a whole.
 */
public record RecordStepFailureCommand(@TargetAggregateIdentifier String orderId,
                                       OrderStep step,
                                       String target,
                                       int attempt,
                                       String reason) implements OrderScoped {
}
