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
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps {@code order_summary} up to date from the events of every service. It runs on a streaming processor that
 * hands all events of one order to the same segment, in order ({@code orderIdSequencingPolicy}); each batch is one
 * transaction with the processor's token, so no event is taken in twice. When an order ends, the clients waiting
 * for it ({@link OrderEndings}) are woken once that transaction has committed.
 *
 * <p>A batch reads each order it has events about once, applies them all, and writes each order it changed once,
 * just before the batch commits ({@link Batch}): with 100 events in a batch, one statement per order read and one
 * written, not one per event.
 */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderProjection {

    public static final String PROCESSING_GROUP = "order-projection";

    private final OrderSummaries orders;
    private final ObjectMapper json;
    private final OrderEndings endings;

    public OrderProjection(OrderSummaries orders, @Qualifier("defaultAxonObjectMapper") ObjectMapper json,
                           OrderEndings endings) {
        this.orders = orders;
        this.json = json;
        this.endings = endings;
    }

    @EventHandler
    void on(OrderPlacedEvent event, @Timestamp Instant at) {
        OrderSummary summary = new OrderSummary(event.orderId(), event.customerId(), event.items(), event.total(),
                event.currency(), event.contact() != null && event.contact().hasPhone(), at);
        if (event.contact() != null) {
            summary.contact(Redact.email(event.contact().email()), Redact.phone(event.contact().phone()));
        }
        // inserted without being read first; a replayed event finds its order there, and the row stays as it is
        if (orders.insert(summary)) {
            batch().placed(summary);
        }
    }

    /** Any other event about an order: read as {@link OrderEvents} reads it. */
    @EventHandler
    void on(OrderScoped event, EventMessage<?> message, @Timestamp Instant at) {
        OrderEvents.Meaning meaning = OrderEvents.of(message.getPayloadType().getName(), json.valueToTree(event));
        Batch batch = batch();
        batch.find(event.orderId()).ifPresent(order -> {
            boolean open = !order.getStatus().isTerminal();
            order.record(meaning, at);
            if (event instanceof StepRetryScheduledEvent retry) {
                order.nextAttemptDue(at.plusMillis(retry.delayMillis()));
            } else if (event instanceof ShipmentScheduledEvent shipped) {
                order.tracked(shipped.trackingNumber());
            }
            batch.changed(order);
            if (open && order.getStatus().isTerminal()) {
                OrderView ended = OrderView.of(order);
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> endings.ended(ended));
            }
        });
    }

    /** The orders of the batch being handled (the processor's unit of work), each read once and written once. */
    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(Batch.class.getName(), key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> batch.write());
            return batch;
        });
    }

    /** The orders a batch has read, and those it changed; written just before it commits, with its token. */
    private final class Batch {

        private final Map<String, Optional<OrderSummary>> read = new HashMap<>();
        private final Map<String, OrderSummary> changed = new LinkedHashMap<>();

        void placed(OrderSummary order) {
            read.put(order.getOrderId(), Optional.of(order));
        }

        Optional<OrderSummary> find(String orderId) {
            return read.computeIfAbsent(orderId, orders::find);
        }

        void changed(OrderSummary order) {
            changed.put(order.getOrderId(), order);
        }

        void write() {
            if (!changed.isEmpty()) {
                orders.update(changed.values());
            }
        }
    }
}
