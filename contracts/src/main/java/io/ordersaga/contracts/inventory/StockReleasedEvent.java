package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;

/** {@code quantity} is what was given back: 0 when the order held nothing of this SKU. */
public record StockReleasedEvent(String sku, String orderId, int quantity) implements OrderScoped {
}
