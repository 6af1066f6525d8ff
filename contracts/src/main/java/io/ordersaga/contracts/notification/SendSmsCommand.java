package io.ordersaga.contracts.notification;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.Redact;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sends the order confirmation by SMS. Once sent (or failed for good) for this order, sending again does nothing. */
public record SendSmsCommand(@TargetAggregateIdentifier String notificationId,
                             String orderId,
                             String phoneNumber,
                             OrderConfirmation confirmation) implements OrderScoped {

    @Override
    public String toString() {
        return "SendSmsCommand[notificationId=" + notificationId + ", orderId=" + orderId
                + ", phoneNumber=" + Redact.phone(phoneNumber) + "]";
    }
}
