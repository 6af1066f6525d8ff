package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records that an operator handed a parked order's events to its saga again, and how that went. */
public record RecordParkedOrderRetryCommand(@TargetAggregateIdentifier String orderId, String operator,
                                            int eventsHandled, boolean released, String error)
        implements OrderScoped {
}
