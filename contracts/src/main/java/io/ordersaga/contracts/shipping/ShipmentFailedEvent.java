package io.ordersaga.contracts.shipping;

import io.ordersaga.contracts.OrderScoped;

/** The carrier refused the shipment (e.g. an address it cannot deliver to); nothing was booked. */
public record ShipmentFailedEvent(String shipmentId, String orderId, String reason) implements OrderScoped {
}
