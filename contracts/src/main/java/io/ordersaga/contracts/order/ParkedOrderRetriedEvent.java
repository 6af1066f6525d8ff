package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;

/**
 * An operator handed a parked order's events to its saga again: {@code eventsHandled} were handled, and the order is
 * unparked ({@code released}) or stays parked with {@code error}.
 */
public record ParkedOrderRetriedEvent(String orderId, String operator, int eventsHandled, boolean released,
                                      String error) implements OrderScoped {
}
