package io.ordersaga.order.parking;

import java.time.Instant;

/**
 * An order whose saga is parked: since {@code parkedAt}, because handling an event of type {@code eventType} failed
 * with {@code error}; {@code events} of its events wait to be handled; {@code releaseAttempts} tells how often an
 * operator tried to release it.
 */
public record ParkedOrder(String orderId, Instant parkedAt, String eventType, String error, int events,
                          int releaseAttempts, Instant lastReleaseAt) {
}
