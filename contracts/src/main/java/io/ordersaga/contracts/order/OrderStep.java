package io.ordersaga.contracts.order;

/**
 * The steps the order saga drives, each a command it sends and waits for an answer to. Failed attempts, retries and
 * a step given up are recorded on the order naming the step.
 */
public enum OrderStep {
    RESERVE_STOCK,
    CHARGE_PAYMENT,
    SCHEDULE_SHIPMENT,
    SEND_EMAIL,
    SEND_SMS,
    COMPLETE_ORDER,
    // compensations, after recording that compensation starts
    START_COMPENSATION,
    CANCEL_SHIPMENT,
    REFUND_PAYMENT,
    RELEASE_STOCK,
    CANCEL_ORDER
}
