package io.ordersaga.order.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ordersaga.contracts.order.OrderStep;

import java.time.Instant;

/**
 * An order in a list: where it is ({@code step}: what the saga works on; none once it ended), its latest event and
 * its latest failure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderListItem(String orderId, String customerId, OrderStatus status, OrderStep step, Instant placedAt,
                            Instant updatedAt, String lastEvent, String lastFailure, Instant lastFailureAt,
                            String reason) {

    static OrderListItem of(OrderSummary summary) {
        return new OrderListItem(summary.getOrderId(), summary.getCustomerId(), summary.getStatus(), summary.getStep(),
                summary.getPlacedAt(),
                summary.getUpdatedAt(), summary.getLastEvent(), summary.getLastFailure(), summary.getLastFailureAt(),
                summary.getReason());
    }
}
