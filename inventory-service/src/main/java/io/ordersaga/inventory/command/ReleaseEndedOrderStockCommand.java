package io.ordersaga.inventory.command;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives back what an order that has ended (completed or cancelled) still holds of one SKU, and records nothing when
 * it holds nothing. Internal to the inventory service: sent by {@link EndedOrderStockSettler}, which needs no
 * answer, unlike the saga's {@code ReleaseStockCommand}.
 */
public record ReleaseEndedOrderStockCommand(@TargetAggregateIdentifier String sku, String orderId)
        implements OrderScoped {
}
