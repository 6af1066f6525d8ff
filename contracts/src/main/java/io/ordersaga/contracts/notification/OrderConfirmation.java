package io.ordersaga.contracts.notification;

import java.math.BigDecimal;

/** What the confirmation tells the customer; the notification service turns it into text. */
public record OrderConfirmation(BigDecimal total, String currency, String trackingNumber) {
}
