package io.ordersaga.order.command;

import io.ordersaga.contracts.order.OrderStep;

/**
 * Whether the service that does a step of an order has answered it: stored the event that says it was done, or that
 * it could not be (a reservation rejected, a payment declined, ...). Read from the event store; what the Order
 * aggregate asks before it records an attempt of that step as failed.
 */
public interface StepAnswers {

    /**
     * Whether {@code step} of {@code orderId} (for {@code target}, the SKU of a line, where it has one) has answered.
     * First takes the order's lock for the rest of the transaction (the one every transaction that stores an event
     * about the order takes: {@code V3__one_order_at_a_time.sql}), so that an answer being stored meanwhile is either
     * seen here or stored after whatever this transaction stores.
     */
    boolean answered(String orderId, OrderStep step, String target);
}
