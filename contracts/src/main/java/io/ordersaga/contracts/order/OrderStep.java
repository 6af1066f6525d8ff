package io.ordersaga.contracts.order;

/**
 * The steps the order saga drives, each a command to another service. A failed attempt of a step is recorded
 * on the order as a {@link StepAttemptFailedEvent} naming the step.
 */
public enum OrderStep {
    RESERVE_STOCK,
    CHARGE_PAYMENT,
    SCHEDULE_SHIPMENT,
    SEND_EMAIL,
    SEND_SMS,
    // compensations
    RELEASE_STOCK,
    REFUND_PAYMENT
}
