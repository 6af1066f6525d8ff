package io.ordersaga.order.query;

import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * Keeps {@code order_summary} up to date from the events of every service. It runs on a streaming processor that
 * hands all events of one order to the same segment, in order ({@code orderIdSequencingPolicy}); a redelivered
 * event leaves the row as it was.
 */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderProjection {

    public static final String PROCESSING_GROUP = "order-projection";

    private final OrderSummaryRepository orders;

    public OrderProjection(OrderSummaryRepository orders) {
        this.orders = orders;
    }

    @EventHandler
    void on(OrderPlacedEvent event, @Timestamp Instant at) {
        if (!orders.existsById(event.orderId())) {
            orders.save(new OrderSummary(event.orderId(), event.customerId(), event.items(), event.total(),
                    event.currency(), at));
        }
    }

    @EventHandler
    void on(PaymentChargedEvent event, @Timestamp Instant at) {
        update(event.orderId(), order -> order.moveTo(OrderStatus.PAID, at));
    }

    @EventHandler
    void on(ShipmentScheduledEvent event, @Timestamp Instant at) {
        update(event.orderId(), order -> order.moveTo(OrderStatus.SHIPPED, at));
    }

    @EventHandler
    void on(CompensationStartedEvent event, @Timestamp Instant at) {
        update(event.orderId(), order -> order.moveTo(OrderStatus.COMPENSATING, at));
    }

    @EventHandler
    void on(OrderCompletedEvent event, @Timestamp Instant at) {
        update(event.orderId(), order -> order.moveTo(OrderStatus.COMPLETED, at));
    }

    @EventHandler
    void on(OrderCancelledEvent event, @Timestamp Instant at) {
        update(event.orderId(), order -> order.cancel(event.reason(), at));
    }

    private void update(String orderId, Consumer<OrderSummary> change) {
        orders.findById(orderId).ifPresent(change);
    }
}
