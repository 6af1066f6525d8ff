package io.ordersaga.order.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.PlaceOrderCommand;
import io.ordersaga.contracts.order.RecordStepFailedCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An order and the journal of the saga that fulfils it: placed, each failed attempt of a step and each retry, a step
 * given up, compensation started, and how it ended.
 *
 * <p>Placing is idempotent: the same order id with the same request fingerprint changes nothing (the client retried),
 * with another fingerprint it is refused with {@link OrderErrors#IDEMPOTENCY_KEY_REUSED}. A failed attempt, a retry,
 * a step given up and the start of compensation are each recorded once however often they are reported. Once
 * completed or cancelled an order takes no further events.
 */
@Aggregate(cache = "aggregateCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class Order {

    @AggregateIdentifier
    private String orderId;
    private String requestFingerprint;
    private List<OrderLine> items;
    private boolean closed;
    private boolean compensating;
    private Set<String> failedAttempts = new HashSet<>();
    private Set<String> failedSteps = new HashSet<>();
    private Set<String> retries = new HashSet<>();

    protected Order() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Placement handle(PlaceOrderCommand command) {
        if (orderId != null) {
            if (!Objects.equals(requestFingerprint, command.requestFingerprint())) {
                throw new CommandExecutionException(
                        "Order " + orderId + " was placed with another request under the same idempotency key",
                        null, OrderErrors.IDEMPOTENCY_KEY_REUSED);
            }
            return new Placement(orderId, true);
        }
        requireValid(command);
        BigDecimal total = command.items().stream()
                .map(OrderLine::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        apply(new OrderPlacedEvent(command.orderId(), command.customerId(), List.copyOf(command.items()), total,
                command.currency(), command.contact(), command.shippingAddress(), command.requestFingerprint()));
        return new Placement(command.orderId(), false);
    }

    /**
     * A failed attempt is recorded unless the step has answered meanwhile: the saga decided the record while it waited,
     * and the answer, from another service, was stored first. (The look takes the order's lock, so an answer stored
     * before it is seen, and one stored later comes after this record in the event store.)
     */
    @CommandHandler
    public void handle(RecordStepFailureCommand command, StepAnswers answers) {
        if (!closed && !failedAttempts.contains(attemptKey(command.step(), command.target(), command.attempt()))
                && !answers.answered(orderId, command.step(), command.target())) {
            apply(new StepAttemptFailedEvent(orderId, command.step(), command.target(), command.attempt(),
                    command.error(), command.message()));
        }
    }

    /** A retry is recorded unless the step has answered meanwhile (as for a failed attempt). */
    @CommandHandler
    public void handle(RecordStepRetryCommand command, StepAnswers answers) {
        if (!closed && !retries.contains(attemptKey(command.step(), command.target(), command.attempt()))
                && !answers.answered(orderId, command.step(), command.target())) {
            apply(new StepRetryScheduledEvent(orderId, command.step(), command.target(), command.attempt(),
                    command.delayMillis()));
        }
    }

    @CommandHandler
    public void handle(RecordStepFailedCommand command) {
        if (!closed && !failedSteps.contains(stepKey(command.step(), command.target()))) {
            apply(new StepFailedEvent(orderId, command.step(), command.target(), command.attempts(),
                    command.reason()));
        }
    }

    @CommandHandler
    public void handle(StartCompensationCommand command) {
        if (!closed && !compensating) {
            apply(new CompensationStartedEvent(orderId, command.reason()));
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
            apply(new OrderCancelledEvent(orderId, command.reason(), items));
        }
    }

    @EventSourcingHandler
    void on(OrderPlacedEvent event) {
        orderId = event.orderId();
        requestFingerprint = event.requestFingerprint();
        items = event.items();
    }

    @EventSourcingHandler
    void on(StepAttemptFailedEvent event) {
        failedAttempts.add(attemptKey(event.step(), event.target(), event.attempt()));
    }

    @EventSourcingHandler
    void on(StepRetryScheduledEvent event) {
        retries.add(attemptKey(event.step(), event.target(), event.attempt()));
    }

    @EventSourcingHandler
    void on(StepFailedEvent event) {
        failedSteps.add(stepKey(event.step(), event.target()));
    }

    @EventSourcingHandler
    void on(CompensationStartedEvent event) {
        compensating = true;
    }

    @EventSourcingHandler
    void on(OrderCompletedEvent event) {
        closed = true;
    }

    @EventSourcingHandler
    void on(OrderCancelledEvent event) {
        closed = true;
    }

    private static String stepKey(OrderStep step, String target) {
        return step + "/" + target;
    }

    private static String attemptKey(OrderStep step, String target, int attempt) {
        return stepKey(step, target) + "/" + attempt;
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
