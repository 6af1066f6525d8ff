package io.ordersaga.order.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
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
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailedCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
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
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * </pre>
 *
 * <p><b>Attempts.</b> Every step is a command sent without waiting, so the processor thread never blocks. Its answer
 * is an event of the service that did the work (reserved, charged, declined, ...). A command that fails without an
 * answer — it timed out after its {@link RetryPolicies#stepTimeout step timeout}, its service is down — is reported by its callback
 * as a {@link RecordStepFailureCommand}; the Order records a {@link StepAttemptFailedEvent}, to which the saga reacts
 * like to any event: the step's {@link RetryPolicies policy} says retry after a backoff, or give up. Should the report
 * itself be lost (the process died), a durable answer deadline reports the attempt as failed instead. Retries wait on
 * durable deadlines too, never in a thread, so a crash during a backoff loses nothing.
 *
 * <p><b>Decisions first.</b> Giving a step up and starting compensation are recorded on the order
 * ({@link StepFailedEvent}, {@link CompensationStartedEvent}) before the saga acts on them, so the history always
 * tells why the saga did what it did, in the order it did it.
 *
 * <p><b>Exactly once.</b> Each deadline may fire twice after a crash, each event may be redelivered: the saga acts
 * only on the attempt it is waiting for ({@link StepState}). The services make every step idempotent per order, so
 * sending a step's command again never doubles its effect.
 *
 * <p>Resources (command gateway, deadline manager, retry policies) are handler parameters, not fields: the saga's
 * fields are exactly its state, serialized as JSON between events.
 */
@Saga
@ProcessingGroup(OrderSaga.PROCESSING_GROUP)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public class OrderSaga {

    public static final String PROCESSING_GROUP = "order-saga";
    /** Fires when an attempt's answer is overdue and its failure was never reported. */
    static final String ANSWER_DEADLINE = "step-answer-overdue";
    /** Fires when a failed step's backoff is over. */
    static final String RETRY_DEADLINE = "step-retry-due";
    private static final String ORDER_ID = "orderId";
    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);
    private static final int MAX_TEXT = 500;

    /** What is known about the reservation of one SKU of the order. */
    enum LineState {
        RESERVING, RESERVED, REJECTED,
        /** the reservation was given up without an answer: it may hold stock, so it is released too */
        UNKNOWN,
        RELEASING, RELEASED
    }

    enum Phase {
        /** the attempt's command is out; its answer (or failure) is due by the answer deadline */
        AWAITING_ANSWER,
        /** the attempt failed; the next one starts when the retry deadline fires */
        BACKING_OFF,
        /** the step is given up; the saga goes on once that decision is recorded on the order */
        GIVING_UP
    }

    /**
     * A step in progress: its current attempt, and the deadline that watches it (answer overdue, or retry due);
     * {@code reason} why it is being given up.
     */
    record StepState(OrderStep step, String target, int attempt, Phase phase, String deadlineId, String reason) {
    }

    /** What compensation starts with, once it is recorded as started. */
    enum Undo { RELEASE_STOCK, REFUND_PAYMENT, CANCEL_SHIPMENT }

    /** The payload of both deadlines: which attempt of which step it is about. */
    public record StepDeadline(OrderStep step, String target, int attempt) {
    }

    /** The saga's resources, bundled for the helper methods of one handler invocation. */
    private record Tools(CommandGateway commands, DeadlineManager deadlines, RetryPolicies retries) {
    }

    private String orderId;
    private String customerId;
    private List<OrderLine> items;
    private BigDecimal total;
    private String currency;
    private ContactDetails contact;
    private ShippingAddress shippingAddress;
    private String trackingNumber;
    private Map<String, LineState> lines = new LinkedHashMap<>();
    private Map<String, StepState> steps = new LinkedHashMap<>();
    /** The first failure: the reason the order is cancelled. */
    private String failure;
    /** Compensations that could not be done, for the cancellation reason (an operator must follow up). */
    private String unfinishedCompensation;
    /** The first compensation step, taken once the start of compensation is recorded. */
    private Undo firstUndo;

    // 1. Reserve every line ------------------------------------------------------------------------------------

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderPlacedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        orderId = event.orderId();
        customerId = event.customerId();
        items = event.items();
        total = event.total();
        currency = event.currency();
        contact = event.contact();
        shippingAddress = event.shippingAddress();
        Tools tools = new Tools(commands, deadlines, retries);
        for (OrderLine line : items) {
            lines.put(line.sku(), LineState.RESERVING);
            attempt(OrderStep.RESERVE_STOCK, line.sku(), 1, tools);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.RESERVE_STOCK, event.sku(), deadlines)) {
            lines.put(event.sku(), LineState.RESERVED);
            afterStockAnswer(new Tools(commands, deadlines, retries));
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservationRejectedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.RESERVE_STOCK, event.sku(), deadlines)) {
            lines.put(event.sku(), LineState.REJECTED);
            fail(event.reason());
            afterStockAnswer(new Tools(commands, deadlines, retries));
        }
    }

    /** Once every line has its answer: charge, or undo the reservations. */
    private void afterStockAnswer(Tools tools) {
        if (lines.containsValue(LineState.RESERVING)) {
            return;
        }
        if (failure == null) {
            attempt(OrderStep.CHARGE_PAYMENT, null, 1, tools);
        } else {
            startCompensation(Undo.RELEASE_STOCK, tools);
        }
    }

    // 2. Charge ------------------------------------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentChargedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.CHARGE_PAYMENT, null, deadlines)) {
            attempt(OrderStep.SCHEDULE_SHIPMENT, null, 1, new Tools(commands, deadlines, retries));
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentDeclinedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.CHARGE_PAYMENT, null, deadlines)) {
            Tools tools = new Tools(commands, deadlines, retries);
            fail("Payment declined: " + event.reason());
            startCompensation(Undo.RELEASE_STOCK, tools);
        }
    }

    // 3. Ship --------------------------------------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentScheduledEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.SCHEDULE_SHIPMENT, null, deadlines)) {
            trackingNumber = event.trackingNumber();
            attempt(OrderStep.SEND_EMAIL, null, 1, new Tools(commands, deadlines, retries));
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentFailedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.SCHEDULE_SHIPMENT, null, deadlines)) {
            Tools tools = new Tools(commands, deadlines, retries);
            fail("Shipment failed: " + event.reason());
            startCompensation(Undo.REFUND_PAYMENT, tools);
        }
    }

    // 4. and 5. Notify: never fails the order ------------------------------------------------------------------

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(EmailSentEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.SEND_EMAIL, null, deadlines)) {
            sendSmsOrComplete(new Tools(commands, deadlines, retries));
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(SmsSentEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.SEND_SMS, null, deadlines)) {
            attempt(OrderStep.COMPLETE_ORDER, null, 1, new Tools(commands, deadlines, retries));
        }
    }

    /** The provider refused the message for good: the next step, as after a message sent. */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(NotificationFailedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        Tools tools = new Tools(commands, deadlines, retries);
        if (event.channel() == Channel.EMAIL && answered(OrderStep.SEND_EMAIL, null, deadlines)) {
            sendSmsOrComplete(tools);
        } else if (event.channel() == Channel.SMS && answered(OrderStep.SEND_SMS, null, deadlines)) {
            attempt(OrderStep.COMPLETE_ORDER, null, 1, tools);
        }
    }

    private void sendSmsOrComplete(Tools tools) {
        attempt(contact.hasPhone() ? OrderStep.SEND_SMS : OrderStep.COMPLETE_ORDER, null, 1, tools);
    }

    // 6. Complete ----------------------------------------------------------------------------------------------

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCompletedEvent event, DeadlineManager deadlines) {
        cancelAllDeadlines(deadlines);
        log.info("Order {} completed", orderId);
    }

    // Compensation ---------------------------------------------------------------------------------------------

    /** Records that compensation starts, with its reason; the first compensation step follows once it is stored. */
    private void startCompensation(Undo first, Tools tools) {
        firstUndo = first;
        attempt(OrderStep.START_COMPENSATION, null, 1, tools);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(CompensationStartedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.START_COMPENSATION, null, deadlines)) {
            Tools tools = new Tools(commands, deadlines, retries);
            switch (firstUndo) {
                case RELEASE_STOCK -> releaseStock(tools);
                case REFUND_PAYMENT -> attempt(OrderStep.REFUND_PAYMENT, null, 1, tools);
                case CANCEL_SHIPMENT -> attempt(OrderStep.CANCEL_SHIPMENT, null, 1, tools);
            }
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentCancelledEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.CANCEL_SHIPMENT, null, deadlines)) {
            attempt(OrderStep.REFUND_PAYMENT, null, 1, new Tools(commands, deadlines, retries));
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentRefundedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.REFUND_PAYMENT, null, deadlines)) {
            releaseStock(new Tools(commands, deadlines, retries));
        }
    }

    /** Releases every line that holds stock, or might (its reservation was given up without an answer). */
    private void releaseStock(Tools tools) {
        lines.replaceAll((sku, state) ->
                state == LineState.RESERVED || state == LineState.UNKNOWN ? LineState.RELEASING : state);
        lines.forEach((sku, state) -> {
            if (state == LineState.RELEASING) {
                attempt(OrderStep.RELEASE_STOCK, sku, 1, tools);
            }
        });
        cancelWhenStockReleased(tools);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReleasedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        if (answered(OrderStep.RELEASE_STOCK, event.sku(), deadlines)) {
            lines.put(event.sku(), LineState.RELEASED);
            cancelWhenStockReleased(new Tools(commands, deadlines, retries));
        }
    }

    private void cancelWhenStockReleased(Tools tools) {
        if (!lines.containsValue(LineState.RELEASING)) {
            attempt(OrderStep.CANCEL_ORDER, null, 1, tools);
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancelledEvent event, DeadlineManager deadlines) {
        cancelAllDeadlines(deadlines);
        log.info("Order {} cancelled: {}", orderId, event.reason());
    }

    // Attempts, failures and retries ---------------------------------------------------------------------------

    /**
     * An attempt failed without an answer. If it is the attempt the saga waits for, its step's policy decides:
     * wait and retry, or give the step up.
     */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepAttemptFailedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        StepState state = steps.get(key(event.step(), event.target()));
        if (state == null || state.phase() != Phase.AWAITING_ANSWER || state.attempt() != event.attempt()) {
            return; // already answered, already decided, or an attempt superseded
        }
        deadlines.cancelSchedule(ANSWER_DEADLINE, state.deadlineId());
        RetryPolicies.Decision decision = retries.afterFailure(event.step(), event.attempt(), event.error());
        Tools tools = new Tools(commands, deadlines, retries);
        if (decision.delay().isPresent()) {
            Duration delay = decision.delay().get();
            int next = event.attempt() + 1;
            String retryId = deadlines.schedule(delay, RETRY_DEADLINE,
                    new StepDeadline(event.step(), event.target(), next));
            steps.put(key(event.step(), event.target()),
                    new StepState(event.step(), event.target(), event.attempt(), Phase.BACKING_OFF, retryId, null));
            commands.send(new RecordStepRetryCommand(orderId, event.step(), event.target(), next, delay.toMillis()));
        } else {
            String reason = "Step " + event.step() + (event.target() == null ? "" : " (" + event.target() + ")")
                    + " failed after " + event.attempt() + (event.attempt() == 1 ? " attempt: " : " attempts: ")
                    + event.error() + (event.message() == null ? "" : ": " + event.message());
            recordGivingUp(event.step(), event.target(), event.attempt(), reason, tools);
        }
    }

    /** The decision to give a step up is recorded first; the saga acts on it when it is stored. */
    private void recordGivingUp(OrderStep step, String target, int attempts, String reason, Tools tools) {
        String watchId = tools.deadlines().schedule(tools.retries().answerDeadline(step), ANSWER_DEADLINE,
                new StepDeadline(step, target, attempts));
        steps.put(key(step, target), new StepState(step, target, attempts, Phase.GIVING_UP, watchId, reason));
        tools.commands().send(new RecordStepFailedCommand(orderId, step, target, attempts, reason));
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepFailedEvent event, CommandGateway commands, DeadlineManager deadlines,
                   RetryPolicies retries) {
        StepState state = steps.get(key(event.step(), event.target()));
        if (state != null && state.phase() == Phase.GIVING_UP && done(event.step(), event.target(), deadlines)) {
            gaveUp(event.step(), event.target(), event.reason(), new Tools(commands, deadlines, retries));
        }
    }

    /**
     * A backoff is over: the next attempt. A second firing of the same deadline finds the attempt made and is ignored.
     * (The deadline that fires is never cancelled here: the scheduler refuses to touch a task while it executes.)
     */
    @DeadlineHandler(deadlineName = RETRY_DEADLINE)
    public void onRetryDue(StepDeadline due, CommandGateway commands, DeadlineManager deadlines,
                           RetryPolicies retries) {
        StepState state = steps.get(key(due.step(), due.target()));
        if (state != null && state.phase() == Phase.BACKING_OFF && state.attempt() + 1 == due.attempt()) {
            attempt(due.step(), due.target(), due.attempt(), new Tools(commands, deadlines, retries));
        }
    }

    /**
     * An answer is overdue and no failure was reported: the report was lost (the process that sent the command died).
     * Report the attempt as failed now — or record again that the step is given up — and watch again, in case this
     * report is lost too.
     */
    @DeadlineHandler(deadlineName = ANSWER_DEADLINE)
    public void onAnswerOverdue(StepDeadline overdue, CommandGateway commands, DeadlineManager deadlines,
                                RetryPolicies retries) {
        StepState state = steps.get(key(overdue.step(), overdue.target()));
        if (state == null || state.attempt() != overdue.attempt() || state.phase() == Phase.BACKING_OFF) {
            return; // answered, or already moved on
        }
        String watchId = deadlines.schedule(retries.answerDeadline(overdue.step()), ANSWER_DEADLINE, overdue);
        steps.put(key(overdue.step(), overdue.target()), new StepState(overdue.step(), overdue.target(),
                overdue.attempt(), state.phase(), watchId, state.reason()));
        if (state.phase() == Phase.AWAITING_ANSWER) {
            commands.send(new RecordStepFailureCommand(orderId, overdue.step(), overdue.target(), overdue.attempt(),
                    "NoAnswer", "no answer within " + retries.answerDeadline(overdue.step()).toSeconds() + " s"));
        } else {
            commands.send(new RecordStepFailedCommand(orderId, overdue.step(), overdue.target(), overdue.attempt(),
                    state.reason()));
        }
    }

    /** A step given up: a critical one is compensated, a notification skipped, a compensation left to an operator. */
    private void gaveUp(OrderStep step, String target, String reason, Tools tools) {
        switch (step) {
            case RESERVE_STOCK -> {
                lines.put(target, LineState.UNKNOWN);
                fail(reason);
                afterStockAnswer(tools);
            }
            case CHARGE_PAYMENT -> {
                fail(reason);
                startCompensation(Undo.REFUND_PAYMENT, tools);
            }
            case SCHEDULE_SHIPMENT -> {
                fail(reason);
                startCompensation(Undo.CANCEL_SHIPMENT, tools);
            }
            case SEND_EMAIL -> sendSmsOrComplete(tools);
            case SEND_SMS -> attempt(OrderStep.COMPLETE_ORDER, null, 1, tools);
            case CANCEL_SHIPMENT -> {
                unfinished(reason);
                attempt(OrderStep.REFUND_PAYMENT, null, 1, tools);
            }
            case REFUND_PAYMENT -> {
                unfinished(reason);
                releaseStock(tools);
            }
            case RELEASE_STOCK -> {
                unfinished(reason);
                lines.put(target, LineState.RELEASED);
                cancelWhenStockReleased(tools);
            }
            case COMPLETE_ORDER, START_COMPENSATION, CANCEL_ORDER ->
                    log.error("Order {}: {}. The saga stays open; the order needs an operator", orderId, reason);
        }
    }

    /**
     * Makes attempt {@code attempt} of a step: sends its command without waiting, and schedules the deadline by which
     * its answer or failure must have arrived. The callback runs outside the saga and touches none of its state.
     */
    private void attempt(OrderStep step, String target, int attempt, Tools tools) {
        Object command = commandFor(step, target);
        Duration timeout = tools.retries().stepTimeout(step);
        String watchId = tools.deadlines().schedule(tools.retries().answerDeadline(step), ANSWER_DEADLINE,
                new StepDeadline(step, target, attempt));
        steps.put(key(step, target), new StepState(step, target, attempt, Phase.AWAITING_ANSWER, watchId, null));
        String order = orderId;
        CommandGateway commands = tools.commands();
        commands.send(command)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> {
                    Failures.Failure described = Failures.describe(error, timeout);
                    commands.send(new RecordStepFailureCommand(order, step, target, attempt, described.error(),
                            described.message()));
                    return null;
                });
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

    /**
     * Whether this answer is one the saga waits for; if so the step is done and its deadline cancelled. An answer
     * may come while the saga backs off before a retry: the attempt that seemed lost did succeed after all. Once a
     * step is being given up, its answers no longer count: the decision stands and compensation covers a late effect.
     */
    private boolean answered(OrderStep step, String target, DeadlineManager deadlines) {
        StepState state = steps.get(key(step, target));
        if (state == null || state.phase() == Phase.GIVING_UP) {
            return false; // a repeated event, or a late answer to a step given up
        }
        return done(step, target, deadlines);
    }

    private boolean done(OrderStep step, String target, DeadlineManager deadlines) {
        StepState state = steps.remove(key(step, target));
        deadlines.cancelSchedule(state.phase() == Phase.BACKING_OFF ? RETRY_DEADLINE : ANSWER_DEADLINE,
                state.deadlineId());
        return true;
    }

    private void cancelAllDeadlines(DeadlineManager deadlines) {
        deadlines.cancelAllWithinScope(ANSWER_DEADLINE);
        deadlines.cancelAllWithinScope(RETRY_DEADLINE);
    }

    private int quantityOf(String sku) {
        return items.stream().filter(line -> line.sku().equals(sku)).findFirst().orElseThrow().quantity();
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = truncated(reason);
        }
    }

    private void unfinished(String reason) {
        log.error("Order {}: compensation incomplete, an operator must follow up: {}", orderId, reason);
        unfinishedCompensation = unfinishedCompensation == null ? reason : unfinishedCompensation + "; " + reason;
    }

    private String reasonForCancellation() {
        return unfinishedCompensation == null ? failure
                : truncated(failure + " (compensation incomplete: " + unfinishedCompensation + ")");
    }

    private static String key(OrderStep step, String target) {
        return target == null ? step.name() : step.name() + ":" + target;
    }

    private static String truncated(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
