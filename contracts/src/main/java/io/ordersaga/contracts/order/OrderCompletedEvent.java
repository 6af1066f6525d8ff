package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import java.util.List;

/** The order went through every step. Inventory turns its reservations into deductions on this event. */
public record OrderCompletedEvent(String orderId, List<OrderLine> items) implements OrderScoped {
}
