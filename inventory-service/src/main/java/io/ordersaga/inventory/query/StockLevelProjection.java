package io.ordersaga.inventory.query;

import io.ordersaga.contracts.inventory.StockCommittedEvent;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.inventory.command.StockLevelSetEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * Keeps {@code stock_level} in step with the StockItems. It runs on a subscribing processor: every StockItem event
 * is applied in this service, and the row changes in the same transaction as the event is stored, so a read right
 * after a command sees its effect. Only SKUs that were ever stocked have a row.
 */
@Component
@ProcessingGroup(StockLevelProjection.PROCESSING_GROUP)
public class StockLevelProjection {

    public static final String PROCESSING_GROUP = "inventory-stock-levels";

    private final StockLevelRepository levels;

    public StockLevelProjection(StockLevelRepository levels) {
        this.levels = levels;
    }

    @EventHandler
    void on(StockLevelSetEvent event, @Timestamp Instant at) {
        StockLevel level = levels.findById(event.sku()).orElseGet(() -> new StockLevel(event.sku()));
        level.setOnHand(event.onHand(), at);
        levels.save(level);
    }

    @EventHandler
    void on(StockReservedEvent event, @Timestamp Instant at) {
        update(event.sku(), level -> level.reserve(event.quantity(), at));
    }

    @EventHandler
    void on(StockReleasedEvent event, @Timestamp Instant at) {
        update(event.sku(), level -> level.release(event.quantity(), at));
    }

    @EventHandler
    void on(StockCommittedEvent event, @Timestamp Instant at) {
        update(event.sku(), level -> level.commit(event.quantity(), at));
    }

    private void update(String sku, Consumer<StockLevel> change) {
        levels.findById(sku).ifPresent(change);
    }
}
