package io.ordersaga.contracts.order;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.shipping.ShippingAddress;

import java.math.BigDecimal;
import java.util.List;

/** An order was accepted; the saga starts from here. */
public record OrderPlacedEvent(String orderId,
                               String customerId,
                               List<OrderLine> items,
                               BigDecimal total,
                               String currency,
                               ContactDetails contact,
                               ShippingAddress shippingAddress,
                               String requestFingerprint) implements OrderScoped {
}
