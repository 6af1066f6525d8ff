package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Turns a completed order's reservation into a deduction: on hand and reserved both go down by its quantity. */
public record CommitStockCommand(@TargetAggregateIdentifier String sku, String orderId) implements OrderScoped {
}
