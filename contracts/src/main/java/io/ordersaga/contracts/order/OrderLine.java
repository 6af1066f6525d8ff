package io.ordersaga.contracts.order;

import java.math.BigDecimal;

/** One line of an order: a SKU, how many of it, and the unit price agreed when the order was placed. */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
