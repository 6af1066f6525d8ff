package io.ordersaga.order;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.order.saga.RetryPolicies;
import io.ordersaga.order.saga.SagaSettings;
import io.ordersaga.platform.persistence.SchemaMigration;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The order service's own tables, the saga's retry policies and the ordering of its projection. */
@Configuration
@AutoConfigurationPackage // its entities and repositories, beside Axon's own (an @EntityScan would hide those)
@EnableConfigurationProperties(SagaSettings.class)
public class OrderServiceConfiguration {

    /** Handed to the saga's handlers as a parameter; built from {@code ordersaga.saga.*}. */
    @Bean
    public RetryPolicies retryPolicies(SagaSettings settings) {
        return settings.toPolicies();
    }

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
