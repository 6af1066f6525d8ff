package io.ordersaga.contracts.notification;

public enum Channel {
    EMAIL,
    SMS
}
