package io.ordersaga.contracts.payment;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives the customer back whatever the provider charged for this order. Also safe when the outcome of the charge
 * is unknown (it timed out): the provider is asked by the charge's idempotency key, and refunds nothing if nothing
 * was charged.
 */
public record RefundPaymentCommand(@TargetAggregateIdentifier String paymentId,
                                   String orderId,
                                   String reason)
        implements OrderScoped {
}
