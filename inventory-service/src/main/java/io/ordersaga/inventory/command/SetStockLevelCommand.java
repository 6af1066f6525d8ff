package io.ordersaga.inventory.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sets how many units of a SKU are on hand (a stock count). Internal to the inventory service. */
public record SetStockLevelCommand(@TargetAggregateIdentifier String sku, int onHand) {
}
