package io.ordersaga.contracts.notification;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.Redact;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sends the order confirmation by e-mail. Once sent (or failed for good) for the order, sending again does nothing.
 */
public record SendEmailCommand(@TargetAggregateIdentifier String notificationId,
                               String orderId,
                               String emailAddress,
                               OrderConfirmation confirmation) implements OrderScoped {

    @Override
    public String toString() {
        return "SendEmailCommand[notificationId=" + notificationId + ", orderId=" + orderId
                + ", emailAddress=" + Redact.email(emailAddress) + "]";
    }
}
