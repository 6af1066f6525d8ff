package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads orders for clients. The projection is eventually consistent: an order placed a moment ago may not be in
 * it yet, and is then read from its own first event (so a client that places an order and reads it back at once
 * sees it, as {@code PLACED}).
 */
@Component
public class OrderQueries {

    private static final Set<OrderStatus> TERMINAL = EnumSet.of(OrderStatus.COMPLETED, OrderStatus.CANCELLED);

    private final OrderSummaryRepository orders;
    private final EventStore eventStore;
    private final Clock clock;

    public OrderQueries(OrderSummaryRepository orders, EventStore eventStore, Clock clock) {
        this.orders = orders;
        this.eventStore = eventStore;
        this.clock = clock;
    }

    /** The {@code limit} most recent orders, of the given statuses (all when none is given). */
    @Transactional(readOnly = true)
    public List<OrderListItem> recent(Set<OrderStatus> statuses, int limit) {
        Set<OrderStatus> wanted = statuses.isEmpty() ? EnumSet.allOf(OrderStatus.class) : statuses;
        return orders.findRecent(wanted, PageRequest.ofSize(limit)).stream().map(OrderListItem::of).toList();
    }

    /**
     * Orders not ended although placed more than {@code age} ago, the oldest first: the orders to look at. Of the given
     * statuses only, when some are given (all of them non-terminal).
     */
    @Transactional(readOnly = true)
    public List<OrderListItem> stuck(Set<OrderStatus> statuses, Duration age, int limit) {
        Set<OrderStatus> open = EnumSet.noneOf(OrderStatus.class);
        Arrays.stream(OrderStatus.values()).filter(status -> !status.isTerminal()).forEach(open::add);
        if (!statuses.isEmpty()) {
            open.retainAll(statuses);
        }
        return orders.findPlacedBefore(open, clock.instant().minus(age), PageRequest.ofSize(limit)).stream()
                .map(OrderListItem::of).toList();
    }

    /** Orders placed and not ended, as far as the projection has seen them. */
    @Transactional(readOnly = true)
    public long countOpen() {
        return orders.countOpen();
    }

    /** When the order was placed, once the projection has it. */
    @Transactional(readOnly = true)
    public Optional<java.time.Instant> placedAt(String orderId) {
        return orders.findById(orderId).map(OrderSummary::getPlacedAt);
    }

    @Transactional(readOnly = true)
    public Optional<OrderView> find(String orderId) {
        return orders.findById(orderId).map(OrderView::of).or(() -> placedButNotProjected(orderId));
    }

    /** Those of these orders that have ended. */
    @Transactional(readOnly = true)
    public List<OrderView> ended(Collection<String> orderIds) {
        return orders.findByIdsAndStatuses(orderIds, TERMINAL).stream().map(OrderView::of).toList();
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
                first.getTimestamp(), first.getTimestamp(), OrderStep.RESERVE_STOCK, null, null));
    }
}
