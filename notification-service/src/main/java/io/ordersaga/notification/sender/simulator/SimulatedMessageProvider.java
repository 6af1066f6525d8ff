package io.ordersaga.notification.sender.simulator;

import io.ordersaga.contracts.Redact;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.platform.provider.ProviderSimulatorDatabase;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The outbox of the in-process e-mail and SMS simulators ({@code notification_simulator_outbox}): one message per
 * idempotency key (the first stored wins), written on connections of its own ({@link ProviderSimulatorDatabase}) as
 * a real provider's records would be. Recipients are stored masked.
 */
@Component
@ConditionalOnExpression("'${ordersaga.notification.email:simulator}' == 'simulator'"
        + " or '${ordersaga.notification.sms:simulator}' == 'simulator'")
class SimulatedMessageProvider {

    private final JdbcTemplate outbox;

    SimulatedMessageProvider(ProviderSimulatorDatabase provider) {
        this.outbox = provider.jdbc();
    }

    Delivery deliver(Channel channel, String idempotencyKey, String recipient, String subject) {
        String masked = channel == Channel.EMAIL ? Redact.email(recipient) : Redact.phone(recipient);
        // one statement, so one commit: the new row, or the one an earlier request with this key left
        return Delivery.accepted(outbox.queryForObject("""
                INSERT INTO notification_simulator_outbox (idempotency_key, channel, recipient, subject, message_id)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
                RETURNING message_id""", String.class,
                idempotencyKey, channel.name(), masked, subject,
                "sim-" + channel.name().toLowerCase() + "-" + UUID.randomUUID()));
    }
}
