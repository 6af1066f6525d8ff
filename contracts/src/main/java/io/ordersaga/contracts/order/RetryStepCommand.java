package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An operator asks that the order's waiting steps — those that failed without an answer and wait for a retry, or were
 * given up and wait for an operator — be attempted now, with a fresh set of attempts. {@code operator} says who,
 * {@code reason} why (optional). Refused when the order has ended or no step waits.
 */
public record RetryStepCommand(@TargetAggregateIdentifier String orderId, String operator, String reason)
        implements OrderScoped {
}
