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
 * order); the customer's contact details masked; {@code retry} while a step that failed without an answer is being
 * retried.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(String orderId, OrderStatus status, List<Item> items, BigDecimal total, String currency,
                        String reason, Instant placedAt, Instant updatedAt, OrderStep step, String lastFailure,
                        Instant lastFailureAt, String customerId, Contact contact, String trackingNumber,
                        Retry retry) {

    /** How to reach the customer, masked: {@code a***@example.com}, {@code +31******78}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contact(String email, String phone) {
    }

    /**
     * A step being retried: its attempt as its policy counts it ({@code attempt} of {@code maxAttempts}; an operator's
     * retry starts them afresh), as the history numbers it ({@code attemptNumber}), how many may follow it
     * ({@code attemptsLeft}), and when the next is due while it waits ({@code nextAttemptAt}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retry(OrderStep step, String target, int attemptNumber, int attempt, int maxAttempts,
                        int attemptsLeft, Instant nextAttemptAt) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "OrderLine")
    public record Item(String sku, int quantity, BigDecimal unitPrice) {

        static Item of(OrderLine line) {
            return new Item(line.sku(), line.quantity(), line.unitPrice());
        }
    }

    static OrderView of(OrderSummary summary) {
        return of(summary, step -> 0);
    }

    /** {@code maxAttempts}: each step's attempts, as its retry policy allows them. */
    static OrderView of(OrderSummary summary, java.util.function.ToIntFunction<OrderStep> maxAttempts) {
        Retry retry = null;
        if (summary.getRetryStep() != null && summary.getRetryAttempt() != null) {
            int attempt = Math.max(1, summary.getRetryAttempt() - summary.getRetryAttemptsBefore());
            int max = maxAttempts.applyAsInt(summary.getRetryStep());
            retry = new Retry(summary.getRetryStep(), summary.getRetryTarget(), summary.getRetryAttempt(), attempt,
                    max, Math.max(0, max - attempt), summary.getNextAttemptAt());
        }
        Contact contact = summary.getContactEmail() == null && summary.getContactPhone() == null ? null
                : new Contact(summary.getContactEmail(), summary.getContactPhone());
        return new OrderView(summary.getOrderId(), summary.getStatus(),
                summary.getItems().stream().map(Item::of).toList(), summary.getTotal(), summary.getCurrency(),
                summary.getReason(), summary.getPlacedAt(), summary.getUpdatedAt(), summary.getStep(),
                summary.getLastFailure(), summary.getLastFailureAt(), summary.getCustomerId(), contact,
                summary.getTrackingNumber(), retry);
    }
}
