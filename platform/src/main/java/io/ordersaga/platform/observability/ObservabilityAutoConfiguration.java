package io.ordersaga.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.time.Clock;

/**
 * What an operator sees of every service: the order id on each log line about an order, the event processors in
 * health, and their lag as a metric (beside Axon's own metrics and the services' own; all scraped from
 * {@code /actuator/prometheus}).
 */
@AutoConfiguration(after = {AxonAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class})
public class ObservabilityAutoConfiguration {

    /** The first handler interceptor: whatever the others log is about the order too. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public OrderLogContext orderLogContext() {
        return new OrderLogContext();
    }

    @Bean
    @ConditionalOnBean(EventProcessingConfiguration.class)
    @ConditionalOnEnabledHealthIndicator("eventProcessors")
    public EventProcessorsHealthIndicator eventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        return new EventProcessorsHealthIndicator(processing);
    }

    @Bean
    @ConditionalOnBean({EventProcessingConfiguration.class, EventStore.class, MeterRegistry.class})
    public ProcessorLagMetrics processorLagMetrics(EventProcessingConfiguration processing, EventStore eventStore,
                                                   MeterRegistry registry) {
        return new ProcessorLagMetrics(processing, eventStore, registry, Clock.systemUTC());
    }
}
