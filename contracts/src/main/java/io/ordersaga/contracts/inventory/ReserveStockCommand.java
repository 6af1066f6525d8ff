package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reserves {@code quantity} units of one SKU for one order. All or nothing: a reservation larger than the
 * available stock is rejected, never partially taken. A second reservation for the same order changes nothing (while
 * its first is open, or among the SKU's last 200 closed orders).
 */
public record ReserveStockCommand(@TargetAggregateIdentifier String sku,
                                  String orderId,
                                  int quantity)
        implements OrderScoped {
}
