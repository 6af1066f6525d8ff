package io.ordersaga.notification.sender;

import io.ordersaga.contracts.Redact;

/**
 * Sends SMS. Each message carries an idempotency key; a transient failure (timeout, gateway down, 5xx) is thrown,
 * a permanent refusal (e.g. an invalid number) is a rejected {@link Delivery}.
 */
public interface SmsSender {

    Delivery send(SmsMessage message);

    record SmsMessage(String idempotencyKey, String to, String text) {

        @Override
        public String toString() {
            return "SmsMessage[idempotencyKey=" + idempotencyKey + ", to=" + Redact.phone(to) + "]";
        }
    }
}
