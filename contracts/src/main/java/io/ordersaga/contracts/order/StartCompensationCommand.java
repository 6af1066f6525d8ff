package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record StartCompensationCommand(@TargetAggregateIdentifier String orderId, String reason)
        implements OrderScoped {
}
