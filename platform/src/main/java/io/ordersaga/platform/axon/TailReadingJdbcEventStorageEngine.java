package io.ordersaga.platform.axon;

import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Axon's JDBC event storage engine, with a reader of the event store's tail that asks the database only when there may
 * be something new.
 *
 * <p>The embedded event store has one reader that feeds every event processor of the process (the only caller that
 * reads with {@code mayBlock}). Woken by a commit, Axon's reader reads until it finds nothing, then reads once more
 * before it waits: three queries, each a transaction, for every batch of new events — most of the read-only commits of
 * the system. Here each wake-up reads one batch: the database is asked again only when the batch was full (there is
 * more), when events were stored since the last query ({@link #eventsStored()}: a commit in this process, or another
 * process's notice), or when the last query is older than {@code fallbackPoll} — the event store's own poll for
 * anything not announced. Events that fill a gap are announced by the commit that stores them, like any other.
 *
 * <p>Every other read (an aggregate's events, a processor catching up on a stream of its own) is Axon's, unchanged.
 */
public class TailReadingJdbcEventStorageEngine extends JdbcEventStorageEngine {

    private final AtomicBoolean stored = new AtomicBoolean(true);
    private final long fallbackPollNanos;
    private volatile long lastQuery = System.nanoTime();
    private volatile boolean lastBatchFull;

    protected TailReadingJdbcEventStorageEngine(Builder builder, Duration fallbackPoll) {
        super(builder);
        this.fallbackPollNanos = fallbackPoll.toNanos();
    }

    /** An engine built from {@code builder} that reads the tail when told or when {@code fallbackPoll} has passed. */
    public static TailReadingJdbcEventStorageEngine of(Builder builder, Duration fallbackPoll) {
        return new TailReadingJdbcEventStorageEngine(builder, fallbackPoll);
    }

    /** Events were stored (here, or by another process that said so): the next read of the tail asks the database. */
    public void eventsStored() {
        stored.set(true);
    }

    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        if (!mayBlock) {
            return super.readEventData(trackingToken, false);
        }
        long now = System.nanoTime();
        boolean told = stored.getAndSet(false); // cleared before the query: a commit during it announces itself again
        if (!told && !lastBatchFull && now - lastQuery < fallbackPollNanos) {
            return Stream.empty();
        }
        lastQuery = now;
        List<? extends TrackedEventData<?>> batch = fetchTrackedEvents(trackingToken, batchSize());
        lastBatchFull = batch.size() >= batchSize();
        return batch.stream();
    }
}
