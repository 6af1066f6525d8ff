package io.ordersaga.contracts.shipping;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Cancels whatever the carrier booked for the order. Safe when the booking's outcome is unknown (it timed out): the
 * carrier is asked by the booking's idempotency key and cancels nothing if nothing was booked. Cancelling twice
 * changes nothing.
 */
public record CancelShipmentCommand(@TargetAggregateIdentifier String shipmentId, String orderId, String reason)
        implements OrderScoped {
}
