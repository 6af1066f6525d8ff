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
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentIds;
import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives one order through the services, one event at a time, and undoes what was done when a step fails.
 *
 * <pre>
 *  1. OrderPlaced        → reserve stock for every line (in parallel, one StockItem per SKU)
 *  2. all lines reserved → charge the payment
 *  3. payment charged    → schedule the shipment
 *  4. shipment scheduled → send the confirmation e-mail
 *  5. e-mail settled     → send the SMS (when the order has a phone number)
 *  6. SMS settled        → complete the order                                   → saga ends on OrderCompleted
 *
 *  Compensation, in reverse order, then cancel the order with the first failure as its reason:
 *  a line rejected (out of stock, unknown SKU)  → release the lines that were reserved
 *  payment declined                             → release the stock
 *  shipment failed                              → refund the payment, release the stock
 *  notifications                                → never fail the order: a failed e-mail or SMS is recorded, the order completes
 *                                                                                → saga ends on OrderCancelled
 * </pre>
 *
 * <p>Every step is a command sent without waiting: the processor thread never blocks. An answer comes back as an
 * event of the service that did the work (reserved, charged, declined, ...). A command that fails without an
 * answer — the service is down, the command timed out — is reported by its callback as a
 * {@link RecordStepFailureCommand}, which the Order records as a {@link StepAttemptFailedEvent}; the saga reacts
 * to that event like to any other, so every failed attempt is in the order's history. Attempt numbers tell a
 * current failure from one of an attempt already superseded.
 *
 * <p>Resources (the command gateway) are handler parameters, not fields: the saga's fields are exactly its state,
 * serialized as JSON between events.
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
    private static final int MAX_FAILURE_TEXT = 500;

    /** Where the order is. Every handler first checks that its event is the one this stage waits for. */
    enum Stage {
        RESERVING_STOCK, CHARGING_PAYMENT, SCHEDULING_SHIPMENT, SENDING_EMAIL, SENDING_SMS, COMPLETING,
        REFUNDING_PAYMENT, RELEASING_STOCK, CANCELLING
    }

    /** What is known about the reservation of one SKU of the order. */
    enum LineState {
        RESERVING, RESERVED, REJECTED,
        /** the reservation failed without an answer: whether stock is held is unknown, so it is released too */
        UNKNOWN,
        RELEASING, RELEASED
    }

    private String orderId;
    private String customerId;
    private List<OrderLine> items;
    private BigDecimal total;
    private String currency;
    private ContactDetails contact;
    private ShippingAddress shippingAddress;
    private Stage stage;
    private Map<String, LineState> lines = new LinkedHashMap<>();
    private Map<String, Integer> attempts = new HashMap<>();
    private String trackingNumber;
    /** The first failure, which becomes the reason the order is cancelled. */
    private String failure;

    // 1. Reserve every line ------------------------------------------------------------------------------------

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderPlacedEvent event, CommandGateway commands) {
        orderId = event.orderId();
        customerId = event.customerId();
        items = event.items();
        total = event.total();
        currency = event.currency();
        contact = event.contact();
        shippingAddress = event.shippingAddress();
        stage = Stage.RESERVING_STOCK;
        for (OrderLine line : items) {
            lines.put(line.sku(), LineState.RESERVING);
            dispatch(OrderStep.RESERVE_STOCK, line.sku(),
                    new ReserveStockCommand(line.sku(), orderId, line.quantity()), commands);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservedEvent event, CommandGateway commands) {
        if (lines.get(event.sku()) == LineState.RESERVING) {
            lines.put(event.sku(), LineState.RESERVED);
            afterStockAnswer(commands);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservationRejectedEvent event, CommandGateway commands) {
        if (lines.get(event.sku()) == LineState.RESERVING) {
            lines.put(event.sku(), LineState.REJECTED);
            fail(event.reason());
            afterStockAnswer(commands);
        }
    }

    /** Waits until every line has its answer; then charges, or releases what was reserved. */
    private void afterStockAnswer(CommandGateway commands) {
        if (stage != Stage.RESERVING_STOCK || lines.containsValue(LineState.RESERVING)) {
            return;
        }
        if (failure == null) {
            chargePayment(commands);
        } else {
            releaseStock(commands);
        }
    }

    // 2. Charge ------------------------------------------------------------------------------------------------

    private void chargePayment(CommandGateway commands) {
        stage = Stage.CHARGING_PAYMENT;
        dispatch(OrderStep.CHARGE_PAYMENT, null,
                new ChargePaymentCommand(PaymentIds.forOrder(orderId), orderId, customerId, total, currency),
                commands);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentChargedEvent event, CommandGateway commands) {
        if (stage == Stage.CHARGING_PAYMENT) {
            scheduleShipment(commands);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentDeclinedEvent event, CommandGateway commands) {
        if (stage == Stage.CHARGING_PAYMENT) {
            fail("Payment declined: " + event.reason());
            releaseStock(commands);
        }
    }

    // 3. Ship --------------------------------------------------------------------------------------------------

    private void scheduleShipment(CommandGateway commands) {
        stage = Stage.SCHEDULING_SHIPMENT;
        List<ShipmentItem> shipmentItems = items.stream()
                .map(line -> new ShipmentItem(line.sku(), line.quantity()))
                .toList();
        dispatch(OrderStep.SCHEDULE_SHIPMENT, null,
                new ScheduleShipmentCommand(ShipmentIds.forOrder(orderId), orderId, shipmentItems, shippingAddress),
                commands);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentScheduledEvent event, CommandGateway commands) {
        if (stage == Stage.SCHEDULING_SHIPMENT) {
            trackingNumber = event.trackingNumber();
            sendEmail(commands);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(ShipmentFailedEvent event, CommandGateway commands) {
        if (stage == Stage.SCHEDULING_SHIPMENT) {
            fail("Shipment failed: " + event.reason());
            refundPayment(commands);
        }
    }

    // 4. and 5. Notify (non-critical) ---------------------------------------------------------------------------

    private void sendEmail(CommandGateway commands) {
        stage = Stage.SENDING_EMAIL;
        dispatch(OrderStep.SEND_EMAIL, null, new SendEmailCommand(NotificationIds.forOrder(orderId), orderId,
                contact.email(), confirmation()), commands);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(EmailSentEvent event, CommandGateway commands) {
        if (stage == Stage.SENDING_EMAIL) {
            sendSmsOrComplete(commands);
        }
    }

    private void sendSmsOrComplete(CommandGateway commands) {
        if (contact.hasPhone()) {
            stage = Stage.SENDING_SMS;
            dispatch(OrderStep.SEND_SMS, null, new SendSmsCommand(NotificationIds.forOrder(orderId), orderId,
                    contact.phone(), confirmation()), commands);
        } else {
            complete(commands);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(SmsSentEvent event, CommandGateway commands) {
        if (stage == Stage.SENDING_SMS) {
            complete(commands);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(NotificationFailedEvent event, CommandGateway commands) {
        if (event.channel() == Channel.EMAIL && stage == Stage.SENDING_EMAIL) {
            sendSmsOrComplete(commands);
        } else if (event.channel() == Channel.SMS && stage == Stage.SENDING_SMS) {
            complete(commands);
        }
    }

    private OrderConfirmation confirmation() {
        return new OrderConfirmation(total, currency, trackingNumber);
    }

    // 6. Complete ----------------------------------------------------------------------------------------------

    private void complete(CommandGateway commands) {
        stage = Stage.COMPLETING;
        commands.send(new CompleteOrderCommand(orderId));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCompletedEvent event) {
        log.info("Order {} completed", orderId);
    }

    // Compensation ---------------------------------------------------------------------------------------------

    /** Undoes the charge. Also sent when the charge's outcome is unknown: the provider refunds only what it took. */
    private void refundPayment(CommandGateway commands) {
        stage = Stage.REFUNDING_PAYMENT;
        dispatch(OrderStep.REFUND_PAYMENT, null,
                new RefundPaymentCommand(PaymentIds.forOrder(orderId), orderId, failure), commands);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentRefundedEvent event, CommandGateway commands) {
        if (stage == Stage.REFUNDING_PAYMENT) {
            releaseStock(commands);
        }
    }

    /** Releases every line that holds stock or might (its reservation failed without an answer). */
    private void releaseStock(CommandGateway commands) {
        stage = Stage.RELEASING_STOCK;
        lines.replaceAll((sku, state) ->
                state == LineState.RESERVED || state == LineState.UNKNOWN ? LineState.RELEASING : state);
        lines.forEach((sku, state) -> {
            if (state == LineState.RELEASING) {
                dispatch(OrderStep.RELEASE_STOCK, sku, new ReleaseStockCommand(sku, orderId), commands);
            }
        });
        cancelWhenStockReleased(commands);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReleasedEvent event, CommandGateway commands) {
        if (lines.get(event.sku()) == LineState.RELEASING) {
            lines.put(event.sku(), LineState.RELEASED);
            cancelWhenStockReleased(commands);
        }
    }

    private void cancelWhenStockReleased(CommandGateway commands) {
        if (stage == Stage.RELEASING_STOCK && !lines.containsValue(LineState.RELEASING)) {
            stage = Stage.CANCELLING;
            commands.send(new CancelOrderCommand(orderId, failure));
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancelledEvent event) {
        log.info("Order {} cancelled: {}", orderId, event.reason());
    }

    // Failed attempts ------------------------------------------------------------------------------------------

    /**
     * A step's command failed without an answer. Retrying with backoff belongs here; until then a failed attempt
     * ends its step: a critical step is compensated, a notification is skipped, a compensation moves on (its
     * failure is in the history for an operator to act on).
     */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepAttemptFailedEvent event, CommandGateway commands) {
        if (event.attempt() != attempts.getOrDefault(stepKey(event.step(), event.target()), 0)) {
            return; // an attempt that was already superseded
        }
        switch (event.step()) {
            case RESERVE_STOCK -> {
                if (lines.get(event.target()) == LineState.RESERVING) {
                    lines.put(event.target(), LineState.UNKNOWN);
                    fail("Stock reservation for " + event.target() + " failed: " + event.reason());
                    afterStockAnswer(commands);
                }
            }
            case CHARGE_PAYMENT -> {
                if (stage == Stage.CHARGING_PAYMENT) {
                    fail("Payment failed: " + event.reason());
                    refundPayment(commands);
                }
            }
            case SCHEDULE_SHIPMENT -> {
                if (stage == Stage.SCHEDULING_SHIPMENT) {
                    fail("Shipment failed: " + event.reason());
                    refundPayment(commands);
                }
            }
            case SEND_EMAIL -> {
                if (stage == Stage.SENDING_EMAIL) {
                    sendSmsOrComplete(commands);
                }
            }
            case SEND_SMS -> {
                if (stage == Stage.SENDING_SMS) {
                    complete(commands);
                }
            }
            case REFUND_PAYMENT -> {
                if (stage == Stage.REFUNDING_PAYMENT) {
                    log.error("Order {}: refund failed ({}); releasing stock and cancelling regardless",
                            orderId, event.reason());
                    releaseStock(commands);
                }
            }
            case RELEASE_STOCK -> {
                if (lines.get(event.target()) == LineState.RELEASING) {
                    log.error("Order {}: release of {} failed ({}); cancelling regardless",
                            orderId, event.target(), event.reason());
                    lines.put(event.target(), LineState.RELEASED);
                    cancelWhenStockReleased(commands);
                }
            }
        }
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /**
     * Sends a step's command without waiting for it. Should it fail without an answer, its callback — which runs
     * outside this saga and touches none of its state — has the failure recorded on the order.
     */
    private void dispatch(OrderStep step, String target, Object command, CommandGateway commands) {
        int attempt = attempts.merge(stepKey(step, target), 1, Integer::sum);
        String order = orderId;
        commands.send(command).exceptionally(error -> {
            commands.send(new RecordStepFailureCommand(order, step, target, attempt, describe(error)));
            return null;
        });
    }

    private static String stepKey(OrderStep step, String target) {
        return target == null ? step.name() : step.name() + ":" + target;
    }

    /** The failure as one line for the history: the innermost cause's type and message, truncated. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() <= MAX_FAILURE_TEXT ? text : text.substring(0, MAX_FAILURE_TEXT) + "…";
    }
}
