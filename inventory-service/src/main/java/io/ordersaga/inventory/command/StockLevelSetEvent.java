package io.ordersaga.inventory.command;

/** Internal to the inventory service: no other service reacts to stock counts. */
public record StockLevelSetEvent(String sku, int onHand) {
}
