package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives back whatever the order holds of this SKU, and always answers: with a release of nothing when the order holds
 * nothing here. Releasing is final: a reservation for the same order that arrives later (a late retry) is ignored
 * while the SKU remembers the release (its last 200 closed orders); one later still is given back by the inventory
 * once the order has ended. Releasing twice changes nothing.
 */
public record ReleaseStockCommand(@TargetAggregateIdentifier String sku, String orderId) implements OrderScoped {
}
