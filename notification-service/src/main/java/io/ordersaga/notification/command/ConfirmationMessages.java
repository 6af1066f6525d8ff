package io.ordersaga.notification.command;

import io.ordersaga.contracts.notification.OrderConfirmation;
import io.ordersaga.notification.sender.EmailSender.EmailMessage;
import io.ordersaga.notification.sender.SmsSender.SmsMessage;

/** The words of the order confirmation, by e-mail and by SMS. */
final class ConfirmationMessages {

    private ConfirmationMessages() {
    }

    static EmailMessage email(String orderId, String to, OrderConfirmation confirmation) {
        String body = """
                Thank you for your order.

                Order:    %s
                Total:    %s %s
                Tracking: %s
                """.formatted(orderId, confirmation.total().toPlainString(), confirmation.currency(),
                confirmation.trackingNumber());
        return new EmailMessage(orderId + ":email", to, "Your order " + orderId + " is on its way", body);
    }

    static SmsMessage sms(String orderId, String to, OrderConfirmation confirmation) {
        return new SmsMessage(orderId + ":sms", to, "Order " + orderId + " is on its way. Tracking: "
                + confirmation.trackingNumber());
    }
}
