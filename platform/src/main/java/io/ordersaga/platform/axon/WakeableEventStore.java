package io.ordersaga.platform.axon;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's embedded event store, whose reader (the one that feeds every event processor of this process) is woken when
 * events are stored — by this process at once; by another, after the fetch delay unless {@link EventStoreNotifications}
 * hears of them first.
 *
 * <p>Under load, events are stored hundreds of times a second, and every wake-up of the reader is a query of the event
 * store that finds a handful of events. So wake-ups are coalesced: at most one per {@code coalesce}; the commits in
 * between are read together by one query when the window ends. With orders one at a time, commits are further apart
 * than that and nothing waits.
 */
public class WakeableEventStore extends EmbeddedEventStore {

    private final long coalesceNanos;
    private final AtomicLong lastWake = new AtomicLong(System.nanoTime());
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-wake-up");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Runnable onEventsStored = () -> {
    };

    protected WakeableEventStore(Builder builder, Duration coalesce) {
        super(builder);
        this.coalesceNanos = coalesce.toNanos();
    }

    public static WakeableEventStore of(Builder builder, Duration coalesce) {
        return new WakeableEventStore(builder, coalesce);
    }

    /** Events were stored (by another process): read them now, or at the end of the current window. */
    public void wakeUp() {
        long now = System.nanoTime();
        long last = lastWake.get();
        if (now - last >= coalesceNanos && lastWake.compareAndSet(last, now)) {
            fetchNow();
        } else if (wakeScheduled.compareAndSet(false, true)) {
            later.schedule(() -> {
                wakeScheduled.set(false);
                lastWake.set(System.nanoTime());
                fetchNow();
            }, Math.max(0, coalesceNanos - (now - last)), TimeUnit.NANOSECONDS);
        }
    }

    /** Runs (on the committing thread, so it must be quick) each time this process has stored events. */
    public void onEventsStored(Runnable listener) {
        this.onEventsStored = listener;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        wakeUp();
        onEventsStored.run();
    }

    private void fetchNow() {
        super.afterCommit(List.of());
    }

    @Override
    public void shutDown() {
        later.shutdownNow();
        super.shutDown();
    }
}
