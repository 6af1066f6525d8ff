package io.ordersaga.contracts.payment;

import io.ordersaga.contracts.OrderScoped;
import java.math.BigDecimal;

public record PaymentChargedEvent(String paymentId, String orderId, BigDecimal amount, String currency,
                                  String providerReference) implements OrderScoped {
}
