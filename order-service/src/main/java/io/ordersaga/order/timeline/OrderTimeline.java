package io.ordersaga.order.timeline;

import io.ordersaga.order.query.OrderHistory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** An order's timeline, drawn from its events as the event store holds them now. */
@Component
public class OrderTimeline {

    private final OrderHistory history;

    public OrderTimeline(OrderHistory history) {
        this.history = history;
    }

    /** The Mermaid diagram of the order, or nothing when there is no such order. */
    public Optional<String> of(String orderId) {
        List<OrderHistory.Entry> events = history.of(orderId);
        return events.isEmpty() ? Optional.empty() : Optional.of(TimelineDiagram.of(events));
    }
}
