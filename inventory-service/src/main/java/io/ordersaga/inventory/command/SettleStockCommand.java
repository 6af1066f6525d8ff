package io.ordersaga.inventory.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Settles what ended orders hold of one SKU, in one transaction for them all: a completed order's reservation becomes
 * a deduction, what a cancelled order still holds (or a reservation stored after its order ended) is given back. In
 * the order the settlements are listed; an order that holds nothing records nothing. Internal to the inventory
 * service: sent by {@link EndedOrderStockSettler}, one per SKU per batch of events.
 */
public record SettleStockCommand(@TargetAggregateIdentifier String sku, List<Settlement> settlements) {

    public SettleStockCommand {
        settlements = List.copyOf(settlements);
    }

    /** What to do with what one order holds. */
    public enum Kind {
        /** the order completed: its reservation leaves the warehouse */
        COMMIT,
        /** the order was cancelled, or the reservation came after it ended: give it back */
        GIVE_BACK
    }

    public record Settlement(String orderId, Kind kind) {
    }
}
