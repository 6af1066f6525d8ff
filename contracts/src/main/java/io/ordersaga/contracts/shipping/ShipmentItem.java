package io.ordersaga.contracts.shipping;

public record ShipmentItem(String sku, int quantity) {
}
