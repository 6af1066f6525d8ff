package io.ordersaga.order.saga;

import java.time.Instant;

/**
 * Durable alarms for the order saga: an event published into the event store at a given time. Scheduling joins the
 * saga's transaction (the alarm exists exactly when the saga's state says so); cancelling an alarm that is going off
 * right now, or is already gone, is not an error — the saga ignores an alarm it no longer counts on.
 */
public interface SagaAlarms {

    /** Publishes {@code event} at {@code at}; returns the id by which the alarm can be cancelled. */
    String schedule(Instant at, SagaAlarmEvent event);

    /** Cancels the alarm if it is still pending; does nothing if it is firing or gone. */
    void cancel(String id);

    /**
     * Publishes {@code event} now, in a transaction of its own: something the saga waits for may have happened (an
     * attempt's command failed). The saga looks when it gets to the event, in order with everything else.
     */
    void wakeNow(SagaAlarmEvent event);
}
