package io.ordersaga.order;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.platform.persistence.SchemaMigration;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The order service's own tables and the ordering of its projection. */
@Configuration
@AutoConfigurationPackage // its entities and repositories, beside Axon's own (an @EntityScan would hide those)
public class OrderServiceConfiguration {

    @Bean
    public SchemaMigration orderSchema() {
        return new SchemaMigration("order", 10, "classpath:db/migration/order");
    }

    /** Every event about one order, whichever service emitted it, goes to the same segment, in order. */
    @Bean
    public SequencingPolicy<EventMessage<?>> orderIdSequencingPolicy() {
        return event -> event.getPayload() instanceof OrderScoped scoped
                ? scoped.orderId()
                : SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
