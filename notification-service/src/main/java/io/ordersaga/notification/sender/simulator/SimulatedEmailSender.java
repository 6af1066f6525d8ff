package io.ordersaga.notification.sender.simulator;

import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** The default e-mail adapter: accepts every message into the simulated outbox. */
@Component
@ConditionalOnProperty(name = "ordersaga.notification.email", havingValue = "simulator", matchIfMissing = true)
public class SimulatedEmailSender implements EmailSender {

    private final SimulatedMessageProvider provider;

    SimulatedEmailSender(SimulatedMessageProvider provider) {
        this.provider = provider;
    }

    @Override
    public Delivery send(EmailMessage message) {
        return provider.deliver(Channel.EMAIL, message.idempotencyKey(), message.to(), message.subject());
    }
}
