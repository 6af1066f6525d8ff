package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records on the order that an attempt of a saga step failed without an answer from the service that owns the step:
 * a timeout, an outage, no node to handle the command. {@code target} names what the step acted on (the SKU of a
 * stock reservation), {@code null} for steps on the order as a whole; {@code error} is the kind of failure (the type
 * of the exception, e.g. {@code TimeoutException}), {@code message} what it said. Recording the same attempt twice
 * changes nothing.
 */
public record RecordStepFailureCommand(@TargetAggregateIdentifier String orderId,
                                       OrderStep step,
                                       String target,
                                       int attempt,
                                       String error,
                                       String message)
        implements OrderScoped {
}
