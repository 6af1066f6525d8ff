package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives back whatever the order holds of this SKU. Releasing is final: a reservation for the same order that
 * arrives later (a late retry) is ignored. Releasing twice changes nothing.
 */
public record ReleaseStockCommand(@TargetAggregateIdentifier String sku, String orderId) implements OrderScoped {
}
