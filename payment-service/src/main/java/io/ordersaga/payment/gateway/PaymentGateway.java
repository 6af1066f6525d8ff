package io.ordersaga.payment.gateway;

import java.math.BigDecimal;

/**
 * The payment service provider, as the payment service needs it. Every call carries an idempotency key: the
 * provider performs each keyed operation at most once and answers a repeated key with the first outcome, which is
 * what makes a retried charge safe.
 *
 * <p>A transient failure (timeout, provider down, 5xx) is thrown as
 * {@link io.ordersaga.platform.provider.ProviderUnavailableException}, a request the provider will never accept as
 * {@link io.ordersaga.platform.provider.ProviderRejectedException}; declines are outcomes.
 */
public interface PaymentGateway {

    ChargeOutcome charge(ChargeRequest request);

    /** Refunds whatever the order's charge took; nothing if it took nothing. */
    RefundOutcome refund(RefundRequest request);

    /** {@code orderId} is the merchant reference by which the provider can find the charge again. */
    record ChargeRequest(String idempotencyKey, String orderId, String customerId, BigDecimal amount,
                         String currency) {
    }

    /** Refunds the charge made for {@code orderId} (under {@link #chargeKey(String)}), if there is one. */
    record RefundRequest(String idempotencyKey, String orderId) {
    }

    /** Either {@code reference} (charged) or {@code declineReason} (declined) is set. */
    record ChargeOutcome(String reference, String declineReason) {

        public static ChargeOutcome charged(String reference) {
            return new ChargeOutcome(reference, null);
        }

        public static ChargeOutcome declined(String reason) {
            return new ChargeOutcome(null, reason);
        }

        public boolean isCharged() {
            return reference != null;
        }
    }

    record RefundOutcome(BigDecimal amount, String currency, String reference) {
    }

    /** Keys are per order and per operation, so a retry of the same step reuses its key. */
    static String chargeKey(String orderId) {
        return orderId + ":charge";
    }

    static String refundKey(String orderId) {
        return orderId + ":refund";
    }
}
