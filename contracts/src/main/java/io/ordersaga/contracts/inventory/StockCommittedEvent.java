package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;

public record StockCommittedEvent(String sku, String orderId, int quantity) implements OrderScoped {
}
