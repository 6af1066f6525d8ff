package io.ordersaga.notification.sender.simulator;

import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.SmsSender;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** The default SMS adapter: accepts every message into the simulated outbox. */
@Component
@ConditionalOnProperty(name = "ordersaga.notification.sms", havingValue = "simulator", matchIfMissing = true)
public class SimulatedSmsSender implements SmsSender {

    private final SimulatedMessageProvider provider;

    SimulatedSmsSender(SimulatedMessageProvider provider) {
        this.provider = provider;
    }

    @Override
    public Delivery send(SmsMessage message) {
        return provider.deliver(Channel.SMS, message.idempotencyKey(), message.to(), null);
    }
}
