package io.ordersaga.platform.axon;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store, whose reader (the one that feeds every event processor of this process) can be told to
 * read now: events stored by this process wake it at once anyway; events stored by another process only after the
 * fetch delay — unless {@link EventStoreNotifications} hears of them first. Whoever listens is told when this process
 * has stored events.
 */
public class WakeableEventStore extends EmbeddedEventStore {

    private volatile Runnable onEventsStored = () -> {
    };
    /** Tells the storage engine that there is something new to read (see {@link TailReadingJdbcEventStorageEngine}). */
    private final Runnable newEvents;

    protected WakeableEventStore(Builder builder, Runnable newEvents) {
        super(builder);
        this.newEvents = newEvents;
    }

    public static WakeableEventStore of(Builder builder) {
        return new WakeableEventStore(builder, () -> {
        });
    }

    /** An event store whose reader tells {@code newEvents} of every commit it hears of, before it reads. */
    public static WakeableEventStore of(Builder builder, Runnable newEvents) {
        return new WakeableEventStore(builder, newEvents);
    }

    /** Another process stored events: read them now rather than after the fetch delay. */
    public void wakeUp() {
        newEvents.run();
        super.afterCommit(List.of());
    }

    /** Runs (on the committing thread, so it must be quick) each time this process has stored events. */
    public void onEventsStored(Runnable listener) {
        this.onEventsStored = listener;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        newEvents.run();
        super.afterCommit(events);
        onEventsStored.run();
    }
}
