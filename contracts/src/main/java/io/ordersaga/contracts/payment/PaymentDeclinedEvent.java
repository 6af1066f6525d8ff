package io.ordersaga.contracts.payment;

import io.ordersaga.contracts.OrderScoped;
import java.math.BigDecimal;

public record PaymentDeclinedEvent(String paymentId, String orderId, BigDecimal amount, String currency,
                                   String reason) implements OrderScoped {
}
