package io.ordersaga.contracts.shipping;

import io.ordersaga.contracts.OrderScoped;

/** {@code bookingCancelled} tells whether the carrier had a booking to cancel. */
public record ShipmentCancelledEvent(String shipmentId, String orderId, boolean bookingCancelled)
        implements OrderScoped {
}
