package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderPlacedEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;

/**
 * Reads orders for clients. The projection is eventually consistent: an order placed a moment ago may not be in
 * it yet, and is then read from its own first event (so a client that places an order and reads it back at once
 * sees it, as {@code PLACED}).
 */
@Component
public class OrderQueries {

    private final OrderSummaryRepository orders;
    private final EventStore eventStore;

    public OrderQueries(OrderSummaryRepository orders, EventStore eventStore) {
        this.orders = orders;
        this.eventStore = eventStore;
    }

    @Transactional(readOnly = true)
    public Optional<OrderView> find(String orderId) {
        return orders.findById(orderId).map(OrderView::of).or(() -> placedButNotProjected(orderId));
    }

    private Optional<OrderView> placedButNotProjected(String orderId) {
        DomainEventStream events = eventStore.readEvents(orderId);
        if (!events.hasNext()) {
            return Optional.empty();
        }
        DomainEventMessage<?> first = events.next();
        if (!(first.getPayload() instanceof OrderPlacedEvent placed)) {
            return Optional.empty();
        }
        return Optional.of(new OrderView(placed.orderId(), OrderStatus.PLACED,
                placed.items().stream().map(OrderView.Item::of).toList(), placed.total(), placed.currency(), null,
                first.getTimestamp(), first.getTimestamp()));
    }
}
