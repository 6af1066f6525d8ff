package io.ordersaga.order.parking;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The parked orders and their waiting events ({@code parked_order}, {@code parked_event}).
 *
 * <p>Parking and releasing meet on the row of the order: the saga processor reads the parked orders with a shared lock
 * ({@link #lockParked()}) for each batch, a release takes the row exclusively for each event it hands over. So an event
 * arriving while an order is released either waits for the release to finish (and is handled normally) or is parked
 * before the release looks for the next event (and is handed over too) — never lost between the two.
 */
public class ParkedOrders {

    private static final int MAX_ERROR = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    public ParkedOrders(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** The orders parked now, share-locked until the current transaction ends. */
    Set<String> lockParked() {
        return new HashSet<>(jdbc.queryForList("SELECT order_id FROM parked_order FOR SHARE", String.class));
    }

    /**
     * Parks the order with the event that failed, in a transaction of its own: it stays parked when the batch that
     * failed is rolled back.
     */
    void park(String orderId, EventMessage<?> event, Throwable error) {
        ownTransaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO parked_order (order_id, parked_at, event_type, error) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (order_id) DO NOTHING",
                    orderId, now(), event.getPayloadType().getSimpleName(), describe(error));
            append(orderId, event);
        });
    }

    /** Keeps an event of a parked order for its release, in the current transaction. */
    void append(String orderId, EventMessage<?> event) {
        jdbc.update("INSERT INTO parked_event (order_id, global_index, event_id, event_type, parked_at)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id, global_index) DO NOTHING",
                orderId, position(event), event.getIdentifier(), event.getPayloadType().getSimpleName(), now());
    }

    public List<ParkedOrder> all() {
        return jdbc.query("""
                SELECT o.order_id, o.parked_at, o.event_type, o.error, o.release_attempts, o.last_release_at,
                       (SELECT count(*) FROM parked_event e WHERE e.order_id = o.order_id) AS events
                FROM parked_order o ORDER BY o.parked_at, o.order_id""", (row, i) -> new ParkedOrder(
                row.getString("order_id"), row.getTimestamp("parked_at").toInstant(), row.getString("event_type"),
                row.getString("error"), row.getInt("events"), row.getInt("release_attempts"),
                Optional.ofNullable(row.getTimestamp("last_release_at")).map(Timestamp::toInstant).orElse(null)));
    }

    public int count() {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM parked_order", Integer.class);
        return count == null ? 0 : count;
    }

    /** Takes the order's row exclusively (a release in progress); empty when the order is not parked. */
    boolean lockForRelease(String orderId) {
        return !jdbc.queryForList("SELECT order_id FROM parked_order WHERE order_id = ? FOR UPDATE", String.class,
                orderId).isEmpty();
    }

    /** The order's oldest waiting event: its position and id. */
    Optional<Waiting> next(String orderId) {
        return jdbc.query("SELECT global_index, event_id FROM parked_event WHERE order_id = ?"
                        + " ORDER BY global_index LIMIT 1",
                (row, i) -> new Waiting(row.getLong("global_index"), row.getString("event_id")), orderId)
                .stream().findFirst();
    }

    void handed(String orderId, long globalIndex) {
        jdbc.update("DELETE FROM parked_event WHERE order_id = ? AND global_index = ?", orderId, globalIndex);
    }

    /**
     * Unparks the order if no event of it waits any more; {@code false} when one does (set aside meanwhile). Also
     * {@code true} when the order is no longer parked at all.
     */
    boolean unparkIfNothingWaits(String orderId) {
        Boolean unparked = ownTransaction.execute(status -> !lockForRelease(orderId)
                || next(orderId).isEmpty() && jdbc.update("DELETE FROM parked_order WHERE order_id = ?", orderId) == 1);
        return Boolean.TRUE.equals(unparked);
    }

    /** Notes a release that failed again, in a transaction of its own. */
    void releaseFailed(String orderId, Throwable error) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE parked_order SET error = ?, release_attempts = release_attempts + 1, last_release_at = ?"
                        + " WHERE order_id = ?", describe(error), now(), orderId));
    }

    /** A waiting event: where it is in the event store. */
    record Waiting(long globalIndex, String eventId) {
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static long position(EventMessage<?> event) {
        if (event instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            return tracked.trackingToken().position().orElse(-1);
        }
        return -1;
    }

    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = error == root ? root.toString() : error + " (caused by " + root + ")";
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }
}
