package io.ordersaga.contracts.inventory;

import io.ordersaga.contracts.OrderScoped;

/** A reservation was refused: not enough stock, or a SKU the inventory does not know ({@code available} 0). */
public record StockReservationRejectedEvent(String sku, String orderId, int requested, int available,
                                            String reason) implements OrderScoped {
}
