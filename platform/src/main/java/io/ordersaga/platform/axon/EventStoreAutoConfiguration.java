package io.ordersaga.platform.axon;

import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * The event store as Axon builds it, with a configurable fetch delay: how long an idle reader waits before it looks
 * for events stored by <em>other</em> processes (events stored by this one wake it at once) — unless those processes
 * say so first ({@link EventStoreNotifications}). Ordered after Axon's JPA
 * storage engine, which backs off when an event store exists, and before Axon's own default event store.
 */
@AutoConfiguration(after = JpaEventStoreAutoConfiguration.class, before = AxonAutoConfiguration.class)
public class EventStoreAutoConfiguration {

    @Bean
    public WakeableEventStore eventStore(EventStorageEngine storageEngine,
                                         org.axonframework.config.Configuration configuration,
                                         @Value("${ordersaga.event-store.fetch-delay:1s}") Duration fetchDelay) {
        Runnable newEvents = storageEngine instanceof TailReadingJdbcEventStorageEngine tailReading
                ? tailReading::eventsStored : () -> {
        };
        return WakeableEventStore.of(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelay.toMillis()), newEvents);
    }

    /**
     * The event store for processors in no hurry, named as their {@code source} in
     * {@code axon.eventhandling.processors.<name>}: they see an event once it is {@code ordersaga.event-store.linger}
     * old, and so handle many orders' events in one transaction ({@link LingeringEventSource}).
     */
    @Bean
    public LingeringEventSource lingeringEventStore(WakeableEventStore eventStore,
                                                   @Value("${ordersaga.event-store.linger:500ms}") Duration linger) {
        return new LingeringEventSource(eventStore, linger, Clock.systemUTC());
    }

    /** Processes sharing the event store wake each other's readers (the services, each a process of its own). */
    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "ordersaga.event-store.notifications", havingValue = "true")
    public EventStoreNotifications eventStoreNotifications(DataSource dataSource, WakeableEventStore eventStore) {
        return new EventStoreNotifications(dataSource, eventStore);
    }
}
