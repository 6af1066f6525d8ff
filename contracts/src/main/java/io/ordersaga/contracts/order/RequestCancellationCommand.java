package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An operator cancels an order that has not ended: what was done is compensated, in reverse order, and the order is
 * cancelled with {@code reason}. Refused when the order has ended or is already being compensated.
 */
public record RequestCancellationCommand(@TargetAggregateIdentifier String orderId, String operator, String reason)
        implements OrderScoped {
}
