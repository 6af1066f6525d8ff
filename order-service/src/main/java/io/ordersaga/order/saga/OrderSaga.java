package io.ordersaga.order.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.NotificationIds;
import io.ordersaga.contracts.notification.OrderConfirmation;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCancellationRequestedEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.order.StepSkippedByOperatorEvent;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentCancelledEvent;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentIds;
import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives one order through the services, one event at a time, retries what fails without an answer, and undoes what
 * was done when a step fails for good.
 *
 * <pre>
 *  1. OrderPlaced        → reserve stock for every line (in parallel, one StockItem per SKU)
 *  2. all lines reserved → charge the payment
 *  3. payment charged    → schedule the shipment
 *  4. shipment scheduled → send the confirmation e-mail
 *  5. e-mail settled     → send the SMS (when the order has a phone number)
 *  6. SMS settled        → complete the order                                   → saga ends on OrderCompleted
 *
 *  Compensation, in reverse order of what was done, then cancel with the first failure as the reason:
 *  a line rejected, or its reservation given up   → release the lines that hold (or may hold) stock
 *  payment declined                                → release the stock
 *  payment given up (outcome unknown)              → refund whatever was charged, release the stock
 *  shipment refused                                → refund, release
 *  shipment given up (outcome unknown)             → cancel whatever was booked, refund, release
 *  notifications                                   → never fail the order: given up, the order completes
 *                                                                                → saga ends on OrderCancelled
 *
 *  An operator (each action recorded on the order first):
 *  retry a waiting step    → it is attempted now, with a fresh set of attempts
 *  skip an e-mail or SMS   → as if given up: the order goes on
 *  cancel                  → stop what is under way, undo what was done (or may have been), cancel with the reason
 * </pre>
 *
 * <p><b>Attempts.</b> Every step is a command, sent once the saga's state is stored, without waiting for it; its
 * answer is an event of the service that did the work. A command that fails without an answer — its service is down,
 * it took longer than the step's timeout — is recorded on the order as a failed attempt, and the step's retry policy
 * decides: retry after a backoff, or give up. That bookkeeping, and the one durable alarm that wakes the saga when a
 * backoff is over or an answer is overdue, are in {@link Attempts}; this class says what follows each step and what
 * undoes it.
 *
 * <p><b>Decisions first.</b> A retry, a step given up and the start of compensation are recorded on the order before
 * the saga acts on them, so the history always tells why the saga did what it did, in the order it did it.
 *
 * <p><b>Exactly once.</b> Events may be redelivered and alarms go off late: the saga acts only on what it waits for.
 * The services make every step idempotent per order, so sending a step's command again never doubles its effect.
 *
 * <p>The saga's fields are exactly its state, stored as JSON between events; what it needs from the world (the
 * dispatcher, the alarms, the policies, the time) is the {@link StepRunner} handed to each handler.
 */
@Saga
@ProcessingGroup(OrderSaga.PROCESSING_GROUP)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public class OrderSaga {

    public static final String PROCESSING_GROUP = "order-saga";
    private static final String ORDER_ID = "orderId";
    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

    /** What is known about the reservation of one SKU of the order. */
    enum LineState {
        RESERVING, RESERVED, REJECTED,
        /** the reservation was given up without an answer: it may hold stock, so it is released too */
        UNKNOWN,
        RELEASING, RELEASED
    }

    /** What compensation starts with, once it is recorded as started. */
    enum Undo { RELEASE_STOCK, REFUND_PAYMENT, CANCEL_SHIPMENT }

    private String orderId;
    private String customerId;
    private List<OrderLine> items;
    private BigDecimal total;
    private String currency;
    private ContactDetails contact;
    private ShippingAddress shippingAddress;
    private String trackingNumber;
    private Map<String, LineState> lines = new LinkedHashMap<>();
    private Attempts attempts;
    /** The first failure: the reason the order is cancelled. */
    private String failure;
    /** Compensations that could not be done, for the cancellation reason (an operator must follow up). */
    private String unfinishedCompensation;
    /** The first compensation step, taken once the start of compensation is recorded. */
    private Undo firstUndo;
    /** Whether an operator cancelled the order: what was under way is abandoned, and the order compensated. */
    private boolean cancelledByOperator;
    /** The steps of a saga stored by version 0.1, until {@link #attempts()} takes them over. */
    @JsonIgnore
    private transient Map<String, Attempts.Attempt> stepsOfVersion01;

    // 1. Reserve every line ------------------------------------------------------------------------------------

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderPlacedEvent event, @Timestamp Instant placedAt, StepRunner runner) {
        orderId = event.orderId();
        customerId = event.customerId();
        items = event.items();
        total = event.total();
        currency = event.currency();
        contact = event.contact();
        shippingAddress = event.shippingAddress();
        attempts = new Attempts(orderId, placedAt);
        for (OrderLine line : items) {
            lines.put(line.sku(), LineState.RESERVING);
            start(OrderStep.RESERVE_STOCK, line.sku(), runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.RESERVE_STOCK, event.sku())) {
            lines.put(event.sku(), LineState.RESERVED);
            afterStockAnswer(runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservationRejectedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.RESERVE_STOCK, event.sku())) {
            lines.put(event.sku(), LineState.REJECTED);
            fail(event.reason());
            afterStockAnswer(runner);
        }
    }

    /** Once every line has its answer: charge, or undo the reservations. */
    private void afterStockAnswer(StepRunner runner) {
        if (lines.containsValue(LineState.RESERVING)) {
            return;
        }
        if (failure == null) {
            start(OrderStep.CHARGE_PAYMENT, null, runner);
        } else {
            startCompensation(Undo.RELEASE_STOCK, runner);
        }
    }

    // 2. Charge ------------------------------------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentChargedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.CHARGE_PAYMENT, null)) {
            start(OrderStep.SCHEDULE_SHIPMENT, null, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentDeclinedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.CHARGE_PAYMENT, null)) {
            fail("Payment declined: " + event.reason());
            startCompensation(Undo.RELEASE_STOCK, runner);
        }
    }

    // 3. Ship --------------------------------------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentScheduledEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.SCHEDULE_SHIPMENT, null)) {
            trackingNumber = event.trackingNumber();
            start(OrderStep.SEND_EMAIL, null, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentFailedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.SCHEDULE_SHIPMENT, null)) {
            fail("Shipment failed: " + event.reason());
            startCompensation(Undo.REFUND_PAYMENT, runner);
        }
    }

    // 4. and 5. Notify: never fails the order ------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(EmailSentEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.SEND_EMAIL, null)) {
            sendSmsOrComplete(runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(SmsSentEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.SEND_SMS, null)) {
            start(OrderStep.COMPLETE_ORDER, null, runner);
        }
    }

    /** The provider refused the message for good: the next step, as after a message sent. */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(NotificationFailedEvent event, StepRunner runner) {
        if (event.channel() == Channel.EMAIL && attempts().answered(OrderStep.SEND_EMAIL, null)) {
            sendSmsOrComplete(runner);
        } else if (event.channel() == Channel.SMS && attempts().answered(OrderStep.SEND_SMS, null)) {
            start(OrderStep.COMPLETE_ORDER, null, runner);
        }
    }

    private void sendSmsOrComplete(StepRunner runner) {
        start(contact.hasPhone() ? OrderStep.SEND_SMS : OrderStep.COMPLETE_ORDER, null, runner);
    }

    // 6. Complete ----------------------------------------------------------------------------------------------

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCompletedEvent event, StepRunner runner) {
        attempts().end(runner);
        log.info("Order {} completed", orderId);
    }

    // Compensation ---------------------------------------------------------------------------------------------

    /** Records that compensation starts, with its reason; the first compensation step follows once it is stored. */
    private void startCompensation(Undo first, StepRunner runner) {
        firstUndo = first;
        start(OrderStep.START_COMPENSATION, null, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(CompensationStartedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.START_COMPENSATION, null)) {
            compensateFrom(firstUndo, runner);
        }
    }

    private void compensateFrom(Undo first, StepRunner runner) {
        switch (first) {
            case RELEASE_STOCK -> releaseStock(runner);
            case REFUND_PAYMENT -> start(OrderStep.REFUND_PAYMENT, null, runner);
            case CANCEL_SHIPMENT -> start(OrderStep.CANCEL_SHIPMENT, null, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentCancelledEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.CANCEL_SHIPMENT, null)) {
            start(OrderStep.REFUND_PAYMENT, null, runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentRefundedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.REFUND_PAYMENT, null)) {
            releaseStock(runner);
        }
    }

    /** Releases every line that holds stock, or might (its reservation was given up without an answer). */
    private void releaseStock(StepRunner runner) {
        lines.replaceAll((sku, state) ->
                state == LineState.RESERVED || state == LineState.UNKNOWN ? LineState.RELEASING : state);
        lines.forEach((sku, state) -> {
            if (state == LineState.RELEASING) {
                start(OrderStep.RELEASE_STOCK, sku, runner);
            }
        });
        cancelWhenStockReleased(runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReleasedEvent event, StepRunner runner) {
        if (attempts().answered(OrderStep.RELEASE_STOCK, event.sku())) {
            lines.put(event.sku(), LineState.RELEASED);
            cancelWhenStockReleased(runner);
        }
    }

    private void cancelWhenStockReleased(StepRunner runner) {
        if (!lines.containsValue(LineState.RELEASING)) {
            start(OrderStep.CANCEL_ORDER, null, runner);
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancelledEvent event, StepRunner runner) {
        attempts().end(runner);
        log.info("Order {} cancelled: {}", orderId, event.reason());
    }

    // Attempts that fail without an answer ---------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepAttemptFailedEvent event, StepRunner runner) {
        attempts().failed(event, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepRetryScheduledEvent event, StepRunner runner) {
        attempts().retryRecorded(event, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(SagaAlarmEvent event, StepRunner runner) {
        attempts().alarm(event, this::commandFor, runner);
    }

    /** A step given up, once recorded: a critical one is compensated, a notification skipped. */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepFailedEvent event, StepRunner runner) {
        if (attempts().givenUp(event)) {
            gaveUp(event.step(), event.target(), event.reason(), runner);
        }
    }

    private void gaveUp(OrderStep step, String target, String reason, StepRunner runner) {
        switch (step) {
            case RESERVE_STOCK -> {
                lines.put(target, LineState.UNKNOWN);
                fail(reason);
                afterStockAnswer(runner);
            }
            case CHARGE_PAYMENT -> {
                fail(reason);
                startCompensation(Undo.REFUND_PAYMENT, runner);
            }
            case SCHEDULE_SHIPMENT -> {
                fail(reason);
                startCompensation(Undo.CANCEL_SHIPMENT, runner);
            }
            case SEND_EMAIL -> sendSmsOrComplete(runner);
            case SEND_SMS -> start(OrderStep.COMPLETE_ORDER, null, runner);
            case CANCEL_SHIPMENT -> {
                unfinished(reason);
                start(OrderStep.REFUND_PAYMENT, null, runner);
            }
            case REFUND_PAYMENT -> {
                unfinished(reason);
                releaseStock(runner);
            }
            case RELEASE_STOCK -> {
                unfinished(reason);
                lines.put(target, LineState.RELEASED);
                cancelWhenStockReleased(runner);
            }
            case COMPLETE_ORDER, START_COMPENSATION, CANCEL_ORDER ->
                    log.error("Order {}: {}. The saga stays open; the order needs an operator", orderId, reason);
        }
    }

    // An operator's actions, once recorded on the order ----------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepRetriedByOperatorEvent event, StepRunner runner) {
        if (attempts().retryNow(event.step(), event.target(), event.attempt(), this::commandFor, runner)) {
            log.info("Order {}: {} attempted again by {}", orderId, event.step(), event.operator());
        }
    }

    /** A waiting e-mail or SMS skipped: the order goes on as after the step was given up. */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepSkippedByOperatorEvent event, StepRunner runner) {
        if (attempts().abandon(event.step(), event.target())) {
            gaveUp(event.step(), event.target(), "skipped by " + event.operator(), runner);
        }
    }

    /**
     * Cancelled by an operator: whatever is under way is abandoned, and compensation starts from the furthest step
     * that was done or may have been (an attempt without an answer may have had its effect: undoing it does nothing if
     * it did not). The operator's reason is the order's.
     */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancellationRequestedEvent event, StepRunner runner) {
        if (cancelledByOperator) {
            return;
        }
        cancelledByOperator = true;
        Set<OrderStep> underWay = attempts().abandonAll();
        Undo first = underWay.contains(OrderStep.START_COMPENSATION) && firstUndo != null ? firstUndo
                : lines.containsValue(LineState.RESERVING) ? Undo.RELEASE_STOCK
                : underWay.contains(OrderStep.CHARGE_PAYMENT) ? Undo.REFUND_PAYMENT
                : Undo.CANCEL_SHIPMENT;
        lines.replaceAll((sku, state) -> state == LineState.RESERVING ? LineState.UNKNOWN : state);
        failure = Attempts.truncated("Cancelled by " + event.operator() + ": " + event.reason());
        firstUndo = first;
        compensateFrom(first, runner);
    }

    // The commands ---------------------------------------------------------------------------------------------

    private void start(OrderStep step, String target, StepRunner runner) {
        attempts().start(step, target, commandFor(step, target), runner);
    }

    private Object commandFor(OrderStep step, String target) {
        String reason = reasonForCancellation();
        return switch (step) {
            case RESERVE_STOCK -> new ReserveStockCommand(target, orderId, quantityOf(target));
            case CHARGE_PAYMENT ->
                    new ChargePaymentCommand(PaymentIds.forOrder(orderId), orderId, customerId, total, currency);
            case SCHEDULE_SHIPMENT -> new ScheduleShipmentCommand(ShipmentIds.forOrder(orderId), orderId,
                    items.stream().map(line -> new ShipmentItem(line.sku(), line.quantity())).toList(),
                    shippingAddress);
            case SEND_EMAIL -> new SendEmailCommand(NotificationIds.forOrder(orderId), orderId, contact.email(),
                    new OrderConfirmation(total, currency, trackingNumber));
            case SEND_SMS -> new SendSmsCommand(NotificationIds.forOrder(orderId), orderId, contact.phone(),
                    new OrderConfirmation(total, currency, trackingNumber));
            case COMPLETE_ORDER -> new CompleteOrderCommand(orderId);
            case CANCEL_SHIPMENT -> new CancelShipmentCommand(ShipmentIds.forOrder(orderId), orderId, reason);
            case REFUND_PAYMENT -> new RefundPaymentCommand(PaymentIds.forOrder(orderId), orderId, reason);
            case RELEASE_STOCK -> new ReleaseStockCommand(target, orderId);
            case START_COMPENSATION -> new StartCompensationCommand(orderId, failure);
            case CANCEL_ORDER -> new CancelOrderCommand(orderId, reason);
        };
    }

    private int quantityOf(String sku) {
        return items.stream().filter(line -> line.sku().equals(sku)).findFirst().orElseThrow().quantity();
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = Attempts.truncated(reason);
        }
    }

    private void unfinished(String reason) {
        log.error("Order {}: compensation incomplete, an operator must follow up: {}", orderId, reason);
        unfinishedCompensation = unfinishedCompensation == null ? reason : unfinishedCompensation + "; " + reason;
    }

    private String reasonForCancellation() {
        return unfinishedCompensation == null ? failure
                : Attempts.truncated(failure + " (compensation incomplete: " + unfinishedCompensation + ")");
    }

    // Sagas stored by version 0.1 ------------------------------------------------------------------------------

    private Attempts attempts() {
        if (attempts == null) {
            attempts = Attempts.resumed(orderId, stepsOfVersion01);
            stepsOfVersion01 = null;
        }
        return attempts;
    }

    /** Version 0.1 kept its steps in a field of their own; they are taken over as they are. */
    @JsonSetter("steps")
    private void stepsOfVersion01(Map<String, Attempts.Attempt> steps) {
        stepsOfVersion01 = steps;
    }

    /** The payload of version 0.1's deadlines, kept so that those still scheduled can be read when they go off. */
    public record StepDeadline(OrderStep step, String target, int attempt) {
    }

    /** A backoff of version 0.1 is over. */
    @DeadlineHandler(deadlineName = "step-retry-due")
    public void onRetryDueOfVersion01(StepDeadline due, StepRunner runner) {
        attempts().dueNow(due.step(), due.target(), this::commandFor, runner);
    }

    /** An answer (or a record) a saga of version 0.1 waited for is overdue. */
    @DeadlineHandler(deadlineName = "step-answer-overdue")
    public void onAnswerOverdueOfVersion01(StepDeadline overdue, StepRunner runner) {
        attempts().dueNow(overdue.step(), overdue.target(), this::commandFor, runner);
    }
}
