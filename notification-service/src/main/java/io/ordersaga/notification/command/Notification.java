package io.ordersaga.notification.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.SmsSentEvent;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.EnumSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The confirmation messages of one order: per channel sent or failed, once. Sending is done by
 * {@link NotificationCommandHandler}; this records the outcome and refuses to record a channel twice.
 */
@Aggregate(cache = "aggregateCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Notification {

    @AggregateIdentifier
    private String notificationId;
    private Set<Channel> settled = EnumSet.noneOf(Channel.class);

    public Notification() {
        // for Axon, and for NotificationCommandHandler's loadOrCreate
    }

    boolean isSettled(Channel channel) {
        return settled.contains(channel);
    }

    void sent(Channel channel, String notificationId, String orderId, String messageId) {
        if (!isSettled(channel)) {
            apply(channel == Channel.EMAIL
                    ? new EmailSentEvent(notificationId, orderId, messageId)
                    : new SmsSentEvent(notificationId, orderId, messageId));
        }
    }

    void failed(Channel channel, String notificationId, String orderId, String reason) {
        if (!isSettled(channel)) {
            apply(new NotificationFailedEvent(notificationId, orderId, channel, reason));
        }
    }

    @EventSourcingHandler
    void on(EmailSentEvent event) {
        notificationId = event.notificationId();
        settled.add(Channel.EMAIL);
    }

    @EventSourcingHandler
    void on(SmsSentEvent event) {
        notificationId = event.notificationId();
        settled.add(Channel.SMS);
    }

    @EventSourcingHandler
    void on(NotificationFailedEvent event) {
        notificationId = event.notificationId();
        settled.add(event.channel());
    }
}
