package io.ordersaga.order;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.order.metrics.OrderMetrics;
import io.ordersaga.order.saga.RetryPolicies;
import io.ordersaga.order.saga.SagaSettings;
import io.ordersaga.platform.persistence.SchemaMigration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

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

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** The metrics count what happens from now on: a new processor starts at the head of the store, not its tail. */
    @Bean
    public ConfigurerModule orderMetricsProcessor() {
        return configurer -> configurer.eventProcessing().registerTrackingEventProcessor(
                OrderMetrics.PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                axon -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken)
                        .andBatchSize(100));
    }

    /** Every event about one order, whichever service emitted it, goes to the same segment, in order. */
    @Bean
    public SequencingPolicy<EventMessage<?>> orderIdSequencingPolicy() {
        return event -> event.getPayload() instanceof OrderScoped scoped
                ? scoped.orderId()
                : SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
