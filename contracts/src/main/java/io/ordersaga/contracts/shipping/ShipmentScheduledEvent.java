package io.ordersaga.contracts.shipping;

import io.ordersaga.contracts.OrderScoped;

public record ShipmentScheduledEvent(String shipmentId,
                                     String orderId,
                                     String carrier,
                                     String trackingNumber)
        implements OrderScoped {
}
