package io.ordersaga.notification.sender;

import io.ordersaga.contracts.Redact;

/**
 * Sends e-mail. Each message carries an idempotency key; a transient failure (timeout, server down) is thrown,
 * a permanent refusal is a rejected {@link Delivery}.
 */
public interface EmailSender {

    Delivery send(EmailMessage message);

    record EmailMessage(String idempotencyKey, String to, String subject, String body) {

        @Override
        public String toString() {
            return "EmailMessage[idempotencyKey=" + idempotencyKey + ", to=" + Redact.email(to) + "]";
        }
    }
}
