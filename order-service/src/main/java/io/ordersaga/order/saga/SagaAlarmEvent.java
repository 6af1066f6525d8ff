package io.ordersaga.order.saga;

import io.ordersaga.contracts.OrderScoped;

/**
 * The order saga's alarm went off: something it waits for is due (a backoff is over, an answer or a record is
 * overdue). Scheduled by the saga itself ({@link SagaAlarms}) and published into the event store when due, so the saga
 * handles it on its own processor, in order with every other event of the order — never on a scheduler's thread
 * beside it. {@code number} tells an alarm the saga still counts on from one it has replaced.
 *
 * <p>Internal to the order service: no other service reacts to it.
 */
public record SagaAlarmEvent(String orderId, int number) implements OrderScoped {
}
