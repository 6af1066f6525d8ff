package io.ordersaga.inventory.command;

/** Details of the {@code CommandExecutionException}s StockItem throws; they reach the sender across processes. */
public final class InventoryErrors {

    public static final String BELOW_RESERVED = "BELOW_RESERVED";

    private InventoryErrors() {
    }
}
