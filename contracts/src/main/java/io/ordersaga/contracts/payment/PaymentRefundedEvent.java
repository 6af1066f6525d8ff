package io.ordersaga.contracts.payment;

import io.ordersaga.contracts.OrderScoped;
import java.math.BigDecimal;

/** {@code amount} is what went back to the customer: zero when the provider had charged nothing. */
public record PaymentRefundedEvent(String paymentId, String orderId, BigDecimal amount, String currency,
                                   String providerReference) implements OrderScoped {
}
