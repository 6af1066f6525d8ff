package io.ordersaga.contracts.shipping;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Books the order's shipment with the carrier. Scheduling a shipment twice changes nothing. */
public record ScheduleShipmentCommand(@TargetAggregateIdentifier String shipmentId,
                                      String orderId,
                                      List<ShipmentItem> items,
                                      ShippingAddress address) implements OrderScoped {
}
