package io.ordersaga.inventory.query;

/** What {@code GET /inventory/{sku}} answers. */
public record StockLevelView(String sku, int onHand, int reserved, int available) {

    static StockLevelView of(StockLevel level) {
        return new StockLevelView(level.getSku(), level.getOnHand(), level.getReserved(), level.getAvailable());
    }
}
