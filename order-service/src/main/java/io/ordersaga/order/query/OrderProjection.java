package io.ordersaga.order.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.Redact;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.order.events.OrderEvents;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Keeps {@code order_summary} up to date from the events of every service. It runs on a streaming processor that
 * hands all events of one order to the same segment, in order ({@code orderIdSequencingPolicy}); each batch is one
 * transaction with the processor's token, so no event is taken in twice. When an order ends, the clients waiting
 * for it ({@link OrderEndings}) are woken once that transaction has committed.
 */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderProjection {

    public static final String PROCESSING_GROUP = "order-projection";

    private final OrderSummaryRepository orders;
    private final ObjectMapper json;
    private final OrderEndings endings;

    public OrderProjection(OrderSummaryRepository orders, @Qualifier("defaultAxonObjectMapper") ObjectMapper json,
                           OrderEndings endings) {
        this.orders = orders;
        this.json = json;
        this.endings = endings;
    }

    @EventHandler
    void on(OrderPlacedEvent event, @Timestamp Instant at) {
        // a replayed event finds its order there (findById, not existsById: Spring Data's existsById runs a JPQL
        // count query, which cost this handler a sixth of its CPU in a profile)
        if (orders.findById(event.orderId()).isEmpty()) {
            OrderSummary summary = new OrderSummary(event.orderId(), event.customerId(), event.items(), event.total(),
                    event.currency(), event.contact() != null && event.contact().hasPhone(), at);
            if (event.contact() != null) {
                summary.contact(Redact.email(event.contact().email()), Redact.phone(event.contact().phone()));
            }
            orders.save(summary);
        }
    }

    /** Any other event about an order: read as {@link OrderEvents} reads it. */
    @EventHandler
    void on(OrderScoped event, EventMessage<?> message, @Timestamp Instant at) {
        OrderEvents.Meaning meaning = OrderEvents.of(message.getPayloadType().getName(), json.valueToTree(event));
        orders.findById(event.orderId()).ifPresent(order -> {
            boolean open = !order.getStatus().isTerminal();
            order.record(meaning, at);
            if (event instanceof StepRetryScheduledEvent retry) {
                order.nextAttemptDue(at.plusMillis(retry.delayMillis()));
            } else if (event instanceof ShipmentScheduledEvent shipped) {
                order.tracked(shipped.trackingNumber());
            }
            if (open && order.getStatus().isTerminal()) {
                OrderView ended = OrderView.of(order);
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> endings.ended(ended));
            }
        });
    }
}
