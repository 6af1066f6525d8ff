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
import io.ordersaga.contracts.order.OrderCancellationRequestedEvent;
import io.ordersaga.contracts.order.ParkedOrderRetriedEvent;
import io.ordersaga.contracts.order.RecordParkedOrderRetryCommand;
import io.ordersaga.contracts.order.RequestCancellationCommand;
import io.ordersaga.contracts.order.RetryStepCommand;
import io.ordersaga.contracts.order.SkipStepCommand;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepSkippedByOperatorEvent;
import io.ordersaga.order.flow.OrderFlow;
import io.ordersaga.order.flow.OrderFlow.WhenGivenUp;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p><b>Operators.</b> The order also knows which of its steps wait: a step that failed without an answer (in its
 * backoff, or attempted again) and has not answered since, or a bookkeeping step given up (it waits for an operator).
 * An operator may have those attempted now with a fresh set of attempts, skip a waiting e-mail or SMS, or cancel the
 * order (compensated, then cancelled); each is recorded here, who and why, before the saga acts on it, and each is
 * refused ({@link OrderErrors}) where it makes no sense. Asked again while the first is still under way, an action
 * records nothing more ({@link OperatorDecision#repeated()}).
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
    /** How the order ended: COMPLETED or CANCELLED; {@code null} while open. */
    private String ending;
    private String compensationReason;
    /** Steps that wait (failed without an answer since, or given up waiting for an operator), by step key. */
    private Map<String, Waiting> waiting = new LinkedHashMap<>();
    /** Per step key: the first attempt of the fresh set an operator started; records of earlier attempts are stale. */
    private Map<String, Integer> retriedFrom = new HashMap<>();
    /** Steps an operator skipped: records about them are stale. */
    private Set<String> skipped = new HashSet<>();
    /** Who cancelled the order, once an operator did. */
    private String cancelledBy;

    /** The steps towards completion: once an operator cancelled, records about them are stale. */
    private static final Set<OrderStep> FORWARD = EnumSet.of(OrderStep.RESERVE_STOCK, OrderStep.CHARGE_PAYMENT,
            OrderStep.SCHEDULE_SHIPMENT, OrderStep.SEND_EMAIL, OrderStep.SEND_SMS, OrderStep.COMPLETE_ORDER,
            OrderStep.START_COMPENSATION);

    /**
     * A step that waits: its latest attempt known here, whether it was given up (a bookkeeping step, for an operator),
     * and whether an operator's retry of it is under way (no failure since).
     */
    record Waiting(OrderStep step, String target, int attempt, boolean givenUp, boolean retrying) {

        String describe() {
            return target == null ? step.name() : step + " " + target;
        }
    }

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
                && !stale(command.step(), command.target(), command.attempt())
                && !answers.answered(orderId, command.step(), command.target())) {
            apply(new StepAttemptFailedEvent(orderId, command.step(), command.target(), command.attempt(),
                    command.error(), command.message()));
        }
    }

    /** A retry is recorded unless the step has answered meanwhile (as for a failed attempt). */
    @CommandHandler
    public void handle(RecordStepRetryCommand command, StepAnswers answers) {
        if (!closed && !retries.contains(attemptKey(command.step(), command.target(), command.attempt()))
                && !stale(command.step(), command.target(), command.attempt() - 1)
                && !answers.answered(orderId, command.step(), command.target())) {
            apply(new StepRetryScheduledEvent(orderId, command.step(), command.target(), command.attempt(),
                    command.delayMillis()));
        }
    }

    @CommandHandler
    public void handle(RecordStepFailedCommand command) {
        if (!closed && !failedSteps.contains(stepKey(command.step(), command.target()))
                && !stale(command.step(), command.target(), command.attempts())) {
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
        if (!closed && cancelledBy == null) {
            apply(new OrderCompletedEvent(orderId, items));
        }
    }

    @CommandHandler
    public void handle(CancelOrderCommand command) {
        if (!closed) {
            apply(new OrderCancelledEvent(orderId, command.reason(), items));
        }
    }

    // An operator's actions ---------------------------------------------------------------------------------------

    /** The waiting steps are attempted now, each with a fresh set of attempts (numbered on from the last one). */
    @CommandHandler
    public OperatorDecision handle(RetryStepCommand command, StepAnswers answers) {
        requireOpen("retry");
        List<Waiting> steps = stillWaiting(answers);
        List<Waiting> toRetry = steps.stream().filter(step -> !step.retrying()).toList();
        if (toRetry.isEmpty()) {
            if (!steps.isEmpty()) {
                return decision("retry", steps, true);
            }
            throw refused(OrderErrors.NOT_WAITING, "Order " + orderId + " has no step waiting for a retry: "
                    + (compensating ? "it is being compensated and" : "the saga is at work on it, and")
                    + " no step has failed since its last answer");
        }
        for (Waiting step : toRetry) {
            apply(new StepRetriedByOperatorEvent(orderId, step.step(), step.target(), step.attempt() + 1,
                    command.operator(), command.reason()));
        }
        return decision("retry", toRetry, false);
    }

    /** A waiting e-mail or SMS is given up on an operator's word: recorded as skipped, and the order goes on. */
    @CommandHandler
    public OperatorDecision handle(SkipStepCommand command, StepAnswers answers) {
        requireOpen("skip");
        List<Waiting> steps = cancelledBy != null || compensating ? List.of() : stillWaiting(answers);
        List<Waiting> toSkip = steps.stream()
                .filter(step -> OrderFlow.whenGivenUp(step.step()) == WhenGivenUp.GO_ON) // never fails an order
                .toList();
        if (toSkip.isEmpty()) {
            if (cancelledBy == null && !compensating && skipped.stream().anyMatch(key -> !answered(key, answers))) {
                return new OperatorDecision(orderId, "skip",
                        skipped.stream().map(key -> key.replace(':', ' ')).sorted().toList(),
                        true);
            }
            throw refused(OrderErrors.NOT_WAITING, steps.isEmpty()
                    ? "Order " + orderId + " has no step waiting that could be skipped"
                    : "Order " + orderId + " waits for " + steps.stream().map(Waiting::describe).toList()
                    + ", which cannot be skipped: only the confirmation e-mail and SMS can");
        }
        for (Waiting step : toSkip) {
            apply(new StepSkippedByOperatorEvent(orderId, step.step(), step.target(), command.operator(),
                    command.reason()));
        }
        return decision("skip", toSkip, false);
    }

    /** The order is compensated and cancelled on an operator's word, unless it has ended or is being compensated. */
    @CommandHandler
    public OperatorDecision handle(RequestCancellationCommand command) {
        requireOpen("cancel");
        if (cancelledBy != null) {
            return new OperatorDecision(orderId, "cancel", List.of(), true);
        }
        if (compensating) {
            throw refused(OrderErrors.ALREADY_COMPENSATING, "Order " + orderId
                    + " is already being compensated, and will be cancelled: " + compensationReason);
        }
        apply(new OrderCancellationRequestedEvent(orderId, command.operator(), command.reason()));
        return new OperatorDecision(orderId, "cancel", List.of(), false);
    }

    /** A parked order's events were handed to its saga again: recorded whatever the order's state. */
    @CommandHandler
    public void handle(RecordParkedOrderRetryCommand command) {
        apply(new ParkedOrderRetriedEvent(orderId, command.operator(), command.eventsHandled(), command.released(),
                command.error()));
    }

    private void requireOpen(String action) {
        if (closed) {
            throw refused(OrderErrors.ORDER_ENDED, "Order " + orderId + " has ended (" + ending + "): nothing to "
                    + action);
        }
    }

    /** The steps that wait and whose service has not answered them meanwhile. */
    private List<Waiting> stillWaiting(StepAnswers answers) {
        List<Waiting> steps = new ArrayList<>();
        for (Waiting step : waiting.values()) {
            boolean answered = switch (step.step()) {
                case START_COMPENSATION -> compensating;
                case COMPLETE_ORDER, CANCEL_ORDER -> closed;
                default -> answers.answered(orderId, step.step(), step.target());
            };
            if (!answered) {
                steps.add(step);
            }
        }
        return steps;
    }

    private boolean answered(String key, StepAnswers answers) {
        int colon = key.indexOf(':');
        return colon < 0 ? answers.answered(orderId, OrderStep.valueOf(key), null)
                : answers.answered(orderId, OrderStep.valueOf(key.substring(0, colon)), key.substring(colon + 1));
    }

    /**
     * A record about an attempt before the fresh set an operator started, about a step an operator skipped, or about a
     * step towards completion after an operator cancelled: the saga decided it before it saw the operator's action.
     */
    private boolean stale(OrderStep step, String target, int attempt) {
        String key = stepKey(step, target);
        return attempt < retriedFrom.getOrDefault(key, 0) || skipped.contains(key)
                || cancelledBy != null && FORWARD.contains(step);
    }

    private OperatorDecision decision(String action, List<Waiting> steps, boolean repeated) {
        return new OperatorDecision(orderId, action, steps.stream().map(Waiting::describe).toList(), repeated);
    }

    private static CommandExecutionException refused(String code, String message) {
        return new CommandExecutionException(message, null, code);
    }

    // What the order's events tell ----------------------------------------------------------------------------------

    @EventSourcingHandler
    void on(OrderPlacedEvent event) {
        orderId = event.orderId();
        requestFingerprint = event.requestFingerprint();
        items = event.items();
    }

    @EventSourcingHandler
    void on(StepAttemptFailedEvent event) {
        failedAttempts.add(attemptKey(event.step(), event.target(), event.attempt()));
        waits(event.step(), event.target(), event.attempt(), false);
    }

    @EventSourcingHandler
    void on(StepRetryScheduledEvent event) {
        retries.add(attemptKey(event.step(), event.target(), event.attempt()));
        waits(event.step(), event.target(), event.attempt(), false);
    }

    @EventSourcingHandler
    void on(StepFailedEvent event) {
        failedSteps.add(stepKey(event.step(), event.target()));
        if (OrderFlow.whenGivenUp(event.step()) == WhenGivenUp.WAIT_FOR_AN_OPERATOR) {
            waits(event.step(), event.target(), event.attempts(), true);
        } else {
            waiting.remove(stepKey(event.step(), event.target())); // compensated, or the order goes on
        }
    }

    @EventSourcingHandler
    void on(StepRetriedByOperatorEvent event) {
        String key = stepKey(event.step(), event.target());
        retriedFrom.put(key, event.attempt());
        failedSteps.remove(key); // a fresh set of attempts: it may be given up again
        waiting.put(key, new Waiting(event.step(), event.target(), event.attempt(), false, true));
    }

    @EventSourcingHandler
    void on(StepSkippedByOperatorEvent event) {
        String key = stepKey(event.step(), event.target());
        skipped.add(key);
        waiting.remove(key);
    }

    @EventSourcingHandler
    void on(OrderCancellationRequestedEvent event) {
        cancelledBy = event.operator() == null ? "an operator" : event.operator();
        compensating = true;
        compensationReason = event.reason();
        waiting.clear();
    }

    @EventSourcingHandler
    void on(CompensationStartedEvent event) {
        compensating = true;
        compensationReason = event.reason();
        waiting.values().removeIf(step -> FORWARD.contains(step.step())); // each answered or given up by now
    }

    @EventSourcingHandler
    void on(OrderCompletedEvent event) {
        closed = true;
        ending = "COMPLETED";
        waiting.clear();
    }

    @EventSourcingHandler
    void on(OrderCancelledEvent event) {
        closed = true;
        ending = "CANCELLED";
        waiting.clear();
    }

    /** A step failed without an answer (or was given up waiting for an operator): it waits. */
    private void waits(OrderStep step, String target, int attempt, boolean givenUp) {
        String key = stepKey(step, target);
        Waiting known = waiting.get(key);
        if (known == null || known.attempt() <= attempt) {
            waiting.put(key, new Waiting(step, target, attempt, givenUp, false));
        }
    }

    private static String stepKey(OrderStep step, String target) {
        return OrderFlow.key(step, target);
    }

    private static String attemptKey(OrderStep step, String target, int attempt) {
        return OrderFlow.attemptKey(step, target, attempt);
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
