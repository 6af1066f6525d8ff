package io.ordersaga.order.saga;

import io.ordersaga.contracts.inventory.*;
import io.ordersaga.contracts.notification.*;
import io.ordersaga.contracts.order.*;
import io.ordersaga.contracts.payment.*;
import io.ordersaga.contracts.shipping.*;
import io.ordersaga.order.flow.OrderFlow;
import io.ordersaga.order.flow.OrderFlow.WhenGivenUp;
import io.ordersaga.order.saga.Reservations.State;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.ordersaga.contracts.order.OrderStep.*;

/**
 * Drives one order through the services, one event at a time, and undoes what was done when a step fails for good.
 *
 * <pre>
 *  1. OrderPlaced        → reserve stock for every line (in parallel, one StockItem per SKU)
 *  2. all lines reserved → charge the payment
 *  3. payment charged    → schedule the shipment
 *  4. shipment scheduled → send the confirmation e-mail
 *  5. e-mail settled     → send the SMS (when the order has a phone number)
 *  6. SMS settled        → complete the order                                   → saga ends on OrderCompleted
 *
 *  A critical step refused (out of stock, declined, undeliverable) → undo what was done before it;
 *  given up without an answer (it may have had its effect)         → undo it too, then what was done before it.
 *  Undo in reverse order: cancel the shipment → refund → release the stock → cancel  → saga ends on OrderCancelled
 *  An e-mail or SMS refused or given up never fails the order: it goes on.
 * </pre>
 *
 * What follows each step, what undoes it and what giving it up means is written once, in {@link OrderFlow}. Each step
 * is a command sent once the saga's state (its fields, as JSON) is stored; one that fails without an answer is retried
 * or given up by the machinery of {@link RetryingSaga}, which records every decision on the order first. The saga acts
 * only on an answer it waits for, and the services make every step idempotent per order: redelivery changes nothing.
 */
@Saga
@ProcessingGroup(OrderSaga.PROCESSING_GROUP)
public class OrderSaga extends RetryingSaga {

    public static final String PROCESSING_GROUP = "order-saga";
    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

    @JsonUnwrapped
    private PlacedOrder order;
    private Reservations lines;
    /** The first failure: the reason the order is cancelled. */
    private String failure;
    /** Compensations that could not be done, for the cancellation reason (an operator must follow up). */
    private String unfinishedCompensation;
    /** The undo that compensation starts with, once its start is recorded. */
    private OrderStep firstUndo;
    private boolean cancelledByOperator;

    // 1. Reserve every line ------------------------------------------------------------------------------------

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderPlacedEvent event, @Timestamp Instant placedAt, StepRunner runner) {
        order = PlacedOrder.of(event);
        attempts = new Attempts(order.orderId(), placedAt);
        lines = Reservations.reserving(order.items());
        order.items().forEach(line -> start(RESERVE_STOCK, line.sku(), runner));
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservedEvent event, StepRunner runner) {
        if (attempts().takeAnswer(RESERVE_STOCK, event.sku())) {
            lineAnswered(event.sku(), State.RESERVED, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservationRejectedEvent event, StepRunner runner) {
        if (attempts().takeAnswer(RESERVE_STOCK, event.sku())) {
            fail(event.reason());
            lineAnswered(event.sku(), State.REJECTED, runner);
        }
    }

    /** Once every line has its answer: charge, or release what the lines hold. */
    private void lineAnswered(String sku, State state, StepRunner runner) {
        if (lines.answered(sku, state)) {
            if (failure == null) {
                done(RESERVE_STOCK, runner);
            } else {
                compensate(RESERVE_STOCK, runner);
            }
        }
    }

    // 2. Charge ------------------------------------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentChargedEvent event, StepRunner runner) {
        succeeded(CHARGE_PAYMENT, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentDeclinedEvent event, StepRunner runner) {
        refused(CHARGE_PAYMENT, "Payment declined: " + event.reason(), runner);
    }

    // 3. Ship --------------------------------------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentScheduledEvent event, StepRunner runner) {
        if (attempts().takeAnswer(SCHEDULE_SHIPMENT, null)) {
            order.shipped(event.trackingNumber());
            done(SCHEDULE_SHIPMENT, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentFailedEvent event, StepRunner runner) {
        refused(SCHEDULE_SHIPMENT, "Shipment failed: " + event.reason(), runner);
    }

    // 4. and 5. Notify: never fails the order ------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(EmailSentEvent event, StepRunner runner) {
        succeeded(SEND_EMAIL, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(SmsSentEvent event, StepRunner runner) {
        succeeded(SEND_SMS, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(NotificationFailedEvent event, StepRunner runner) {
        refused(event.channel() == Channel.SMS ? SEND_SMS : SEND_EMAIL, event.reason(), runner);
    }

    // 6. Complete ----------------------------------------------------------------------------------------------

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCompletedEvent event, StepRunner runner) {
        attempts().end(runner);
        log.info("Order {} completed", orderId());
    }

    // Compensation: cancel the shipment → refund → release the stock → cancel the order ---------------------------

    /** Records that compensation starts, to undo {@code furthest} and every step done before it. */
    private void compensate(OrderStep furthest, StepRunner runner) {
        firstUndo = OrderFlow.undoOf(furthest);
        start(START_COMPENSATION, null, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(CompensationStartedEvent event, StepRunner runner) {
        if (attempts().takeAnswer(START_COMPENSATION, null)) {
            begin(firstUndo, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentCancelledEvent event, StepRunner runner) {
        succeeded(CANCEL_SHIPMENT, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentRefundedEvent event, StepRunner runner) {
        succeeded(REFUND_PAYMENT, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReleasedEvent event, StepRunner runner) {
        if (attempts().takeAnswer(RELEASE_STOCK, event.sku()) && lines.released(event.sku())) {
            done(RELEASE_STOCK, runner);
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancelledEvent event, StepRunner runner) {
        attempts().end(runner);
        log.info("Order {} cancelled: {}", orderId(), event.reason());
    }

    /** Cancelled by an operator: what is under way is abandoned, and compensation undoes it (it may have happened). */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancellationRequestedEvent event, StepRunner runner) {
        if (cancelledByOperator) {
            return;
        }
        cancelledByOperator = true;
        Set<OrderStep> underWay = attempts().abandonAll();
        if (!underWay.contains(START_COMPENSATION) || firstUndo == null) {
            firstUndo = OrderFlow.undoOf(lines.anyReserving() ? RESERVE_STOCK
                    : underWay.contains(CHARGE_PAYMENT) ? CHARGE_PAYMENT : SCHEDULE_SHIPMENT);
        }
        lines.abandonReserving();
        failure = Attempts.truncated("Cancelled by " + event.operator() + ": " + event.reason());
        begin(firstUndo, runner);
    }

    // How the end of a step moves the order on, as OrderFlow says; and the commands ---------------------------

    private void succeeded(OrderStep step, StepRunner runner) {
        if (attempts().takeAnswer(step, null)) {
            done(step, runner);
        }
    }

    /** The service said no: a critical step has what was done before it undone; a notification goes on. */
    private void refused(OrderStep step, String reason, StepRunner runner) {
        if (!attempts().takeAnswer(step, null)) {
            return;
        }
        if (OrderFlow.whenGivenUp(step) == WhenGivenUp.COMPENSATE) {
            fail(reason);
            compensate(OrderFlow.before(step), runner);
        } else {
            done(step, runner);
        }
    }

    @Override
    void gaveUp(OrderStep step, String target, String reason, StepRunner runner) {
        switch (OrderFlow.whenGivenUp(step)) {
            case COMPENSATE -> {
                fail(reason);
                if (step == RESERVE_STOCK) {
                    lineAnswered(target, State.UNKNOWN, runner);
                } else {
                    compensate(step, runner);
                }
            }
            case GO_ON -> done(step, runner);
            case NOTE_AND_GO_ON -> {
                unfinished(reason);
                if (step != RELEASE_STOCK || lines.released(target)) {
                    done(step, runner);
                }
            }
            case WAIT_FOR_AN_OPERATOR ->
                    log.error("Order {}: {}. The saga stays open; the order needs an operator", orderId(), reason);
        }
    }

    /** The step is over: the order goes on with the one that follows it. */
    private void done(OrderStep step, StepRunner runner) {
        begin(OrderFlow.next(step, order.hasPhone()), runner);
    }

    private void begin(OrderStep step, StepRunner runner) {
        if (step != RELEASE_STOCK) {
            start(step, null, runner);
            return;
        }
        List<String> toRelease = lines.release();
        toRelease.forEach(sku -> start(RELEASE_STOCK, sku, runner));
        if (toRelease.isEmpty()) {
            done(RELEASE_STOCK, runner);
        }
    }

    @Override
    String orderId() {
        return order.orderId();
    }

    /** The step's command; an undo carries why the order is cancelled, and what could not be undone. */
    @Override
    Object commandFor(OrderStep step, String target) {
        return order.command(step, target, failure, unfinishedCompensation == null ? failure
                : Attempts.truncated(failure + " (compensation incomplete: " + unfinishedCompensation + ")"));
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = Attempts.truncated(reason);
        }
    }

    private void unfinished(String reason) {
        log.error("Order {}: compensation incomplete, an operator must follow up: {}", orderId(), reason);
        unfinishedCompensation = unfinishedCompensation == null ? reason : unfinishedCompensation + "; " + reason;
    }

    /** The payload of version 0.1's deadlines, which {@link RetryingSaga} takes over when one goes off. */
    public record StepDeadline(OrderStep step, String target, int attempt) {
    }
}
