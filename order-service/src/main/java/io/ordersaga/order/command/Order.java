package io.ordersaga.order.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.PlaceOrderCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An order and the journal of the saga that fulfils it: placed, each failed attempt of a step, and how it ended.
 *
 * <p>Placing is idempotent: the same order id with the same request fingerprint changes nothing (the client retried),
 * with another fingerprint it is refused with {@link OrderErrors#IDEMPOTENCY_KEY_REUSED}. Once completed or
 * cancelled an order takes no further events.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Order {

    @AggregateIdentifier
    private String orderId;
    private String requestFingerprint;
    private List<OrderLine> items;
    private boolean closed;

    protected Order() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public String handle(PlaceOrderCommand command) {
        if (orderId != null) {
            if (!Objects.equals(requestFingerprint, command.requestFingerprint())) {
                throw new CommandExecutionException(
                        "Order " + orderId + " was placed with another request under the same idempotency key",
                        null, OrderErrors.IDEMPOTENCY_KEY_REUSED);
            }
            return orderId;
        }
        requireValid(command);
        BigDecimal total = command.items().stream()
                .map(OrderLine::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        apply(new OrderPlacedEvent(command.orderId(), command.customerId(), List.copyOf(command.items()), total,
                command.currency(), command.contact(), command.shippingAddress(), command.requestFingerprint()));
        return command.orderId();
    }

    @CommandHandler
    public void handle(RecordStepFailureCommand command) {
        if (!closed) {
            apply(new StepAttemptFailedEvent(orderId, command.step(), command.target(), command.attempt(),
                    command.reason()));
        }
    }

    @CommandHandler
    public void handle(CompleteOrderCommand command) {
        if (!closed) {
            apply(new OrderCompletedEvent(orderId, items));
        }
    }

    @CommandHandler
    public void handle(CancelOrderCommand command) {
        if (!closed) {
            apply(new OrderCancelledEvent(orderId, command.reason()));
        }
    }

    @EventSourcingHandler
    void on(OrderPlacedEvent event) {
        orderId = event.orderId();
        requestFingerprint = event.requestFingerprint();
        items = event.items();
    }

    @EventSourcingHandler
    void on(OrderCompletedEvent event) {
        closed = true;
    }

    @EventSourcingHandler
    void on(OrderCancelledEvent event) {
        closed = true;
    }

    /** The REST layer validates requests; this guards the invariants for every other sender. */
    private static void requireValid(PlaceOrderCommand command) {
        if (command.items() == null || command.items().isEmpty()) {
            throw new IllegalArgumentException("An order needs at least one line");
        }
        for (OrderLine line : command.items()) {
            if (line.quantity() < 1 || line.unitPrice() == null || line.unitPrice().signum() <= 0) {
                throw new IllegalArgumentException("Order line for " + line.sku()
                        + " needs a positive quantity and a positive unit price");
            }
        }
        if (command.contact() == null || command.shippingAddress() == null) {
            throw new IllegalArgumentException("An order needs contact details and a shipping address");
        }
    }
}
