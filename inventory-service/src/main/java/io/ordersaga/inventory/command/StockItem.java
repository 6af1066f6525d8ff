package io.ordersaga.inventory.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
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
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The stock of one SKU, with a reservation per open order.
 *
 * <ul>
 *   <li>A reservation is all or nothing: more than is available is rejected, never partly taken.</li>
 *   <li>Its state is bounded, whatever the SKU's history: stock on hand, the total reserved, the open reservations
 *       (order → quantity), and the last {@value #RECENTLY_CLOSED} orders it closed (rejected, released or
 *       committed), oldest first. A SKU with ten thousand past orders loads and snapshots like one with two
 *       hundred.</li>
 *   <li>Every command is idempotent per order while the SKU holds the order or remembers closing it: a second
 *       reservation for the same order changes nothing, and neither does one that arrives after the order's stock
 *       was released or committed (a late retry must not take stock for an order that has ended).</li>
 *   <li>A reservation later than that — the SKU closed {@value #RECENTLY_CLOSED} other orders meanwhile — is taken:
 *       the SKU alone cannot know the order has ended. The inventory's {@link EndedOrderStockSettler}, which follows
 *       how orders end, gives it back.</li>
 *   <li>A reservation for a SKU never stocked is rejected ("unknown SKU"); that is recorded on a stock item for the
 *       SKU like any other rejection.</li>
 *   <li>Committing (the order completed) turns a reservation into a deduction of the stock on hand.</li>
 * </ul>
 *
 * <p>Revision 2: revision 1 remembered every order that ever touched the SKU. Axon reads a snapshot only when its
 * revision is the aggregate's ({@code RevisionSnapshotFilter}), so a snapshot of revision 1 is passed over and the
 * item is rebuilt from its events, which gives exactly the state these handlers build; the next snapshot is then of
 * revision 2.
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "stockItemSnapshotTrigger")
@Revision("2")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class StockItem {

    /**
     * How many closed orders a SKU remembers. Enough for the repeats and late answers of a saga in progress (its
     * retries last about a minute); what is later is given back by {@link EndedOrderStockSettler}. With the system's
     * order ids (UUIDs) a snapshot is then at most about 10 KB (measured in {@code StockItemTest}: 10,303 bytes of
     * JSON after 200 orders and after 10,000, 105 for a new SKU).
     */
    public static final int RECENTLY_CLOSED = 200;

    /** How an order's business with this SKU ended. */
    enum Closed { REJECTED, RELEASED, COMMITTED }

    @AggregateIdentifier
    private String sku;
    /** whether a stock level was ever set; an item created by a rejected reservation for an unknown SKU is not */
    private boolean stocked;
    private int onHand;
    /** the sum of {@link #openReservations} */
    private int reserved;
    /** order → quantity it holds */
    private LinkedHashMap<String, Integer> openReservations = new LinkedHashMap<>();
    /** order → how it closed, at most {@link #RECENTLY_CLOSED}, the oldest first */
    private LinkedHashMap<String, Closed> recentlyClosed = new LinkedHashMap<>();

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
        if (openReservations.containsKey(command.orderId()) || recentlyClosed.containsKey(command.orderId())) {
            return; // this order already has its answer (or was released, or committed): nothing changes
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

    /**
     * Gives back what the order holds. The saga waits for an answer, so an order that holds nothing here — rejected,
     * never seen, or closed too long ago to be remembered — gets a release of nothing; one this SKU remembers
     * releasing or committing gets no second answer.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ReleaseStockCommand command) {
        Integer held = openReservations.get(command.orderId());
        Closed closed = recentlyClosed.get(command.orderId());
        if (held != null) {
            apply(new StockReleasedEvent(command.sku(), command.orderId(), held));
        } else if (closed == null || closed == Closed.REJECTED) {
            apply(new StockReleasedEvent(command.sku(), command.orderId(), 0));
        }
        // released or committed, and remembered: it has had its answer
    }

    /**
     * Settles what ended orders hold: commits a completed order's reservation, gives back what a cancelled one still
     * holds; an order that holds nothing (already settled, never reserved here) records nothing.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SettleStockCommand command) {
        for (SettleStockCommand.Settlement settlement : command.settlements()) {
            Integer held = openReservations.get(settlement.orderId());
            if (held == null) {
                continue;
            }
            apply(switch (settlement.kind()) {
                case COMMIT -> new StockCommittedEvent(command.sku(), settlement.orderId(), held);
                case GIVE_BACK -> new StockReleasedEvent(command.sku(), settlement.orderId(), held);
            });
        }
    }

    private int available() {
        return onHand - reserved;
    }

    /** Records how an order closed, forgetting the oldest closed order beyond {@link #RECENTLY_CLOSED}. */
    private void close(String orderId, Closed how) {
        openReservations.remove(orderId);
        recentlyClosed.remove(orderId);
        recentlyClosed.put(orderId, how);
        Iterator<String> oldestFirst = recentlyClosed.keySet().iterator();
        while (recentlyClosed.size() > RECENTLY_CLOSED) {
            oldestFirst.next();
            oldestFirst.remove();
        }
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
        recentlyClosed.remove(event.orderId());
        openReservations.put(event.orderId(), event.quantity());
        reserved += event.quantity();
    }

    @EventSourcingHandler
    void on(StockReservationRejectedEvent event) {
        sku = event.sku();
        close(event.orderId(), Closed.REJECTED);
    }

    @EventSourcingHandler
    void on(StockReleasedEvent event) {
        sku = event.sku();
        reserved -= event.quantity();
        close(event.orderId(), Closed.RELEASED);
    }

    @EventSourcingHandler
    void on(StockCommittedEvent event) {
        reserved -= event.quantity();
        onHand -= event.quantity();
        close(event.orderId(), Closed.COMMITTED);
    }

    // for tests in this package: what the state holds

    Map<String, Integer> openReservations() {
        return Collections.unmodifiableMap(openReservations);
    }

    Map<String, Closed> recentlyClosed() {
        return Collections.unmodifiableMap(recentlyClosed);
    }

    int onHand() {
        return onHand;
    }

    int reserved() {
        return reserved;
    }
}
