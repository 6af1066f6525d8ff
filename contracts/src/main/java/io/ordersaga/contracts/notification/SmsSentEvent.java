package io.ordersaga.contracts.notification;

import io.ordersaga.contracts.OrderScoped;

public record SmsSentEvent(String notificationId, String orderId, String providerMessageId) implements OrderScoped {
}
