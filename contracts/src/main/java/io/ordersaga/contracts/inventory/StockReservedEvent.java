package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;

public record StockReservedEvent(String sku, String orderId, int quantity) implements OrderScoped {
}
