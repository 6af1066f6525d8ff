package io.ordersaga.notification.sender.simulator;

import io.ordersaga.contracts.Redact;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.notification.sender.Delivery;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;

/**
 * The outbox of the in-process e-mail and SMS simulators ({@code notification_simulator_outbox}): one message per
 * idempotency key, recorded in a transaction of its own as a real provider would. Recipients are stored masked.
 */
@Component
class SimulatedMessageProvider {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    SimulatedMessageProvider(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    Delivery deliver(Channel channel, String idempotencyKey, String recipient, String subject) {
        return ownTransaction.execute(tx -> {
            List<String> earlier = jdbc.queryForList(
                    "SELECT message_id FROM notification_simulator_outbox WHERE idempotency_key = ?",
                    String.class, idempotencyKey);
            if (!earlier.isEmpty()) {
                return Delivery.accepted(earlier.get(0));
            }
            String messageId = "sim-" + channel.name().toLowerCase() + "-" + UUID.randomUUID();
            String masked = channel == Channel.EMAIL ? Redact.email(recipient) : Redact.phone(recipient);
            jdbc.update("""
                    INSERT INTO notification_simulator_outbox (idempotency_key, channel, recipient, subject, message_id)
                    VALUES (?, ?, ?, ?, ?)""", idempotencyKey, channel.name(), masked, subject, messageId);
            return Delivery.accepted(messageId);
        });
    }
}
