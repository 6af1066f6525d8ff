package io.ordersaga.notification.command;

import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender;
import io.ordersaga.notification.sender.SmsSender;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.function.Supplier;

/**
 * Handles notification commands: does nothing for a channel that already has its outcome, otherwise sends through
 * the channel's provider (idempotency key per order and channel) and has the Notification record the outcome.
 */
@Component
public class NotificationCommandHandler {

    private final Repository<Notification> notifications;
    private final EmailSender email;
    private final SmsSender sms;

    public NotificationCommandHandler(Repository<Notification> notifications, EmailSender email, SmsSender sms) {
        this.notifications = notifications;
        this.email = email;
        this.sms = sms;
    }

    @CommandHandler
    public void handle(SendEmailCommand command) throws Exception {
        send(Channel.EMAIL, command.notificationId(), command.orderId(), () -> email.send(
                ConfirmationMessages.email(command.orderId(), command.emailAddress(), command.confirmation())));
    }

    @CommandHandler
    public void handle(SendSmsCommand command) throws Exception {
        send(Channel.SMS, command.notificationId(), command.orderId(), () -> sms.send(
                ConfirmationMessages.sms(command.orderId(), command.phoneNumber(), command.confirmation())));
    }

    private void send(Channel channel, String notificationId, String orderId, Supplier<Delivery> provider)
            throws Exception {
        Aggregate<Notification> notification = notifications.loadOrCreate(notificationId, Notification::new);
        if (notification.invoke(n -> n.isSettled(channel))) {
            return;
        }
        Delivery delivery = provider.get();
        if (delivery.isAccepted()) {
            notification.execute(n -> n.sent(channel, notificationId, orderId, delivery.messageId()));
        } else {
            notification.execute(n -> n.failed(channel, notificationId, orderId, delivery.rejectionReason()));
        }
    }
}
