package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.saga.RetryPolicies;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads orders for clients. The projection is eventually consistent: an order placed a moment ago may not be in
 * it yet, and is then read from its own first event (so a client that places an order and reads it back at once
 * sees it, as {@code PLACED}).
 */
@Component
public class OrderQueries {

    private final OrderSummaries orders;
    private final EventStore eventStore;

    private final RetryPolicies policies;

    public OrderQueries(OrderSummaries orders, EventStore eventStore, RetryPolicies policies) {
        this.policies = policies;
        this.orders = orders;
        this.eventStore = eventStore;
    }

    /* Lists of orders, paged and searched: OrderSearch. */

    /** Orders placed and not ended, as far as the projection has seen them. */
    public long countOpen() {
        return orders.countOpen();
    }

    /** When the order was placed, once the projection has it. */
    public Optional<java.time.Instant> placedAt(String orderId) {
        return orders.placedAt(orderId);
    }

    /** One read-only transaction, for the row and, when the projection has not got there yet, the event store. */
    @Transactional(readOnly = true)
    public Optional<OrderView> find(String orderId) {
        return orders.find(orderId).map(summary -> OrderView.of(summary, policies::maxAttempts))
                .or(() -> placedButNotProjected(orderId));
    }

    /** Those of these orders that have ended. */
    public List<OrderView> ended(Collection<String> orderIds) {
        return orders.ended(orderIds).stream().map(OrderView::of).toList();
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
                first.getTimestamp(), first.getTimestamp(), OrderStep.RESERVE_STOCK, null, null, placed.customerId(), null, null, null));
    }
}
