package io.ordersaga.contracts.payment;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;

/** Charges the customer for the order. Charging a payment that was already charged or declined changes nothing. */
public record ChargePaymentCommand(@TargetAggregateIdentifier String paymentId,
                                   String orderId,
                                   String customerId,
                                   BigDecimal amount,
                                   String currency) implements OrderScoped {
}
