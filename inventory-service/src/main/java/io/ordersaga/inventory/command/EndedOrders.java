package io.ordersaga.inventory.command;

import java.time.Instant;

/**
 * The orders the inventory has seen end, for {@link EndedOrderStockSettler}: a reservation that arrives for one of them
 * is given back. Kept for a retention period, not forever.
 */
public interface EndedOrders {

    enum Outcome { COMPLETED, CANCELLED }

    /** Records that the order ended; recording it again changes nothing. */
    void record(String orderId, Outcome outcome, Instant endedAt);

    boolean hasEnded(String orderId);

    /** Forgets the orders that ended before {@code instant}; returns how many were forgotten. */
    int forgetEndedBefore(Instant instant);
}
