package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CompleteOrderCommand(@TargetAggregateIdentifier String orderId) implements OrderScoped {
}
