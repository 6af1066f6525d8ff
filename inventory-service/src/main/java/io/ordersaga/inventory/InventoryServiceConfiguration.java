package io.ordersaga.inventory;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.platform.persistence.SchemaMigration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@AutoConfigurationPackage // its entities and repositories, beside Axon's own (an @EntityScan would hide those)
public class InventoryServiceConfiguration {

    @Bean
    public SchemaMigration inventorySchema() {
        return new SchemaMigration("inventory", 20, "classpath:db/migration/inventory");
    }

    /** A popular SKU collects an event per order; loading it starts from a snapshot taken every N events. */
    @Bean
    public SnapshotTriggerDefinition stockItemSnapshotTrigger(
            Snapshotter snapshotter, @Value("${ordersaga.inventory.snapshot-every:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /**
     * For {@code inventory-order-completion}: an order's end and a reservation for it, although stored by different
     * aggregates, are handled in the order they were stored, however many segments the processor has.
     */
    @Bean
    public SequencingPolicy<EventMessage<?>> inventoryOrderIdSequencingPolicy() {
        return event -> event.getPayload() instanceof OrderScoped scoped
                ? scoped.orderId()
                : SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
