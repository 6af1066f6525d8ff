package io.ordersaga.contracts.notification;

import io.ordersaga.contracts.OrderScoped;

/** The provider refused the message for good (e.g. an invalid number); notifications never fail an order. */
public record NotificationFailedEvent(String notificationId,
                                      String orderId,
                                      Channel channel,
                                      String reason)
        implements OrderScoped {
}
