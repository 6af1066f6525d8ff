package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.shipping.ShippingAddress;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Places a new order. Sending it again with the same {@code orderId} and {@code requestFingerprint} changes
 * nothing; with the same id and another fingerprint it is refused (an idempotency key reused for another body).
 */
public record PlaceOrderCommand(@TargetAggregateIdentifier String orderId,
                                String customerId,
                                List<OrderLine> items,
                                String currency,
                                ContactDetails contact,
                                ShippingAddress shippingAddress,
                                String requestFingerprint) implements OrderScoped {
}
