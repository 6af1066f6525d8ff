package io.ordersaga.order.query;

/** Where an order is, as clients see it. {@code COMPLETED} and {@code CANCELLED} are the only terminal statuses. */
public enum OrderStatus {
    PLACED,
    PAID,
    SHIPPED,
    /** a step failed; what was done is being undone before the order is cancelled */
    COMPENSATING,
    COMPLETED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
