package io.ordersaga.order.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderStep;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as {@code GET /orders/{id}} shows it; {@code reason} only when it was cancelled, {@code step} (what the saga
 * works on) only while it runs, {@code lastFailure} once something failed (an SMS not sent, say, even on a completed
 * order).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(String orderId, OrderStatus status, List<Item> items, BigDecimal total, String currency,
                        String reason, Instant placedAt, Instant updatedAt, OrderStep step, String lastFailure,
                        Instant lastFailureAt) {

    public record Item(String sku, int quantity, BigDecimal unitPrice) {

        static Item of(OrderLine line) {
            return new Item(line.sku(), line.quantity(), line.unitPrice());
        }
    }

    static OrderView of(OrderSummary summary) {
        return new OrderView(summary.getOrderId(), summary.getStatus(),
                summary.getItems().stream().map(Item::of).toList(), summary.getTotal(), summary.getCurrency(),
                summary.getReason(), summary.getPlacedAt(), summary.getUpdatedAt(), summary.getStep(),
                summary.getLastFailure(), summary.getLastFailureAt());
    }
}
