package io.ordersaga.contracts.notification;

/** One notification record per order, holding its e-mail and its SMS. */
public final class NotificationIds {

    private NotificationIds() {
    }

    public static String forOrder(String orderId) {
        return "notification-" + orderId;
    }
}
