package io.ordersaga.inventory.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.inventory.CommitStockCommand;
import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.inventory.StockCommittedEvent;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The stock of one SKU, with a reservation per order.
 *
 * <ul>
 *   <li>A reservation is all or nothing: more than is available is rejected, never partly taken.</li>
 *   <li>Every order that ever touched this SKU is remembered, so every command is idempotent per order: a second
 *       reservation for the same order changes nothing, and neither does one that arrives after the order's stock
 *       was released (a late retry must not take stock for a cancelled order).</li>
 *   <li>A reservation for a SKU never stocked is rejected ("unknown SKU"); that is recorded on a stock item for the
 *       SKU like any other rejection.</li>
 *   <li>Committing (the order completed) turns a reservation into a deduction of the stock on hand.</li>
 * </ul>
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "stockItemSnapshotTrigger")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class StockItem {

    enum State { RESERVED, REJECTED, RELEASED, COMMITTED }

    record Reservation(int quantity, State state) {
    }

    @AggregateIdentifier
    private String sku;
    /** whether a stock level was ever set; an item created by a rejected reservation for an unknown SKU is not */
    private boolean stocked;
    private int onHand;
    private int reserved;
    private Map<String, Reservation> reservations = new HashMap<>();

    protected StockItem() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SetStockLevelCommand command) {
        if (command.onHand() < 0) {
            throw new IllegalArgumentException("Stock on hand cannot be negative");
        }
        if (command.onHand() < reserved) {
            throw new CommandExecutionException("Cannot set " + command.sku() + " to " + command.onHand()
                    + " on hand: " + reserved + " are reserved for open orders", null, InventoryErrors.BELOW_RESERVED);
        }
        if (!stocked || command.onHand() != onHand) {
            apply(new StockLevelSetEvent(command.sku(), command.onHand()));
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReserveStockCommand command) {
        if (command.quantity() < 1) {
            throw new IllegalArgumentException("A reservation needs a positive quantity");
        }
        if (reservations.containsKey(command.orderId())) {
            return; // this order already has its answer (or was released): nothing changes
        }
        int available = available();
        if (!stocked) {
            apply(new StockReservationRejectedEvent(command.sku(), command.orderId(), command.quantity(), 0,
                    "Unknown SKU " + command.sku()));
        } else if (command.quantity() > available) {
            apply(new StockReservationRejectedEvent(command.sku(), command.orderId(), command.quantity(), available,
                    "Insufficient stock for " + command.sku() + ": requested " + command.quantity()
                            + ", available " + available));
        } else {
            apply(new StockReservedEvent(command.sku(), command.orderId(), command.quantity()));
        }
    }

    /** Gives back what the order holds; for an order this SKU never saw, records that it is released for good. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReleaseStockCommand command) {
        Reservation reservation = reservations.get(command.orderId());
        if (reservation == null || reservation.state() == State.REJECTED) {
            apply(new StockReleasedEvent(command.sku(), command.orderId(), 0));
        } else if (reservation.state() == State.RESERVED) {
            apply(new StockReleasedEvent(command.sku(), command.orderId(), reservation.quantity()));
        }
        // RELEASED or COMMITTED: nothing to give back
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(CommitStockCommand command) {
        Reservation reservation = reservations.get(command.orderId());
        if (reservation != null && reservation.state() == State.RESERVED) {
            apply(new StockCommittedEvent(command.sku(), command.orderId(), reservation.quantity()));
        }
    }

    private int available() {
        return onHand - reserved;
    }

    @EventSourcingHandler
    void on(StockLevelSetEvent event) {
        sku = event.sku();
        stocked = true;
        onHand = event.onHand();
    }

    @EventSourcingHandler
    void on(StockReservedEvent event) {
        sku = event.sku();
        reservations.put(event.orderId(), new Reservation(event.quantity(), State.RESERVED));
        reserved += event.quantity();
    }

    @EventSourcingHandler
    void on(StockReservationRejectedEvent event) {
        sku = event.sku();
        reservations.put(event.orderId(), new Reservation(0, State.REJECTED));
    }

    @EventSourcingHandler
    void on(StockReleasedEvent event) {
        sku = event.sku();
        reserved -= event.quantity();
        reservations.put(event.orderId(), new Reservation(0, State.RELEASED));
    }

    @EventSourcingHandler
    void on(StockCommittedEvent event) {
        reserved -= event.quantity();
        onHand -= event.quantity();
        reservations.put(event.orderId(), new Reservation(event.quantity(), State.COMMITTED));
    }
}
