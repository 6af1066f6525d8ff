package io.ordersaga.order.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.contracts.Services;
import io.ordersaga.contracts.order.OrderStep;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * What each stored event about an order means: which service stored it, which step of the saga it answers (and for
 * which SKU or attempt), and how that step went. The one place that reads the events this way — the audit log, the
 * timeline and the order list all ask here, so they tell the same story.
 *
 * <p>It reads the event's JSON (as stored), not its class, so that it describes events of any age the same way.
 */
public final class OrderEvents {

    private static final int MAX_DETAIL = 1000;

    private OrderEvents() {
    }

    /** How the step an event is about went. */
    public enum Outcome {
        /** the order was accepted */
        PLACED,
        /** the step did what it was asked */
        SUCCEEDED,
        /** the service answered no: a business refusal, never retried */
        REJECTED,
        /** an attempt failed without an answer (timeout, outage) */
        ATTEMPT_FAILED,
        /** the saga waits, then tries the step again */
        RETRY_SCHEDULED,
        /** the saga stopped trying */
        GIVEN_UP,
        COMPENSATION_STARTED,
        COMPLETED,
        CANCELLED,
        /** a fact that answers no step of the saga (stock committed after completion) */
        RECORDED,
        /** the saga's alarm went off: it acts on what is due (a retry, an overdue answer); its own bookkeeping */
        ALARM,
        /** an operator acted on the order: a step retried now or skipped, the order cancelled, a parked order retried */
        OPERATOR
    }

    /**
     * @param service  the service that stored the event: order, inventory, payment, shipping or notification
     * @param step     the saga step it is about, if any
     * @param target   the SKU, for steps done per order line
     * @param attempt  the attempt it is about (failures; for a retry, the attempt to come; for giving up, the count)
     * @param detail   a short description (reason, error, amount); never personal data
     */
    public record Meaning(String type, String service, OrderStep step, String target, Integer attempt, Outcome outcome,
                          String detail) {
    }

    /** @param payloadType the event's class name as stored ({@code io.ordersaga.contracts.inventory.StockReservedEvent}) */
    public static Meaning of(String payloadType, JsonNode payload) {
        String type = payloadType.substring(payloadType.lastIndexOf('.') + 1);
        String service = serviceOf(payloadType);
        String sku = text(payload, "sku");
        return switch (type) {
            case "OrderPlacedEvent" -> new Meaning(type, service, null, null, null, Outcome.PLACED,
                    lines(payload) + ", " + amount(payload, "total"));
            case "StockReservedEvent" -> new Meaning(type, service, OrderStep.RESERVE_STOCK, sku, null,
                    Outcome.SUCCEEDED, sku + " x " + number(payload, "quantity"));
            case "StockReservationRejectedEvent" -> new Meaning(type, service, OrderStep.RESERVE_STOCK, sku, null,
                    Outcome.REJECTED, text(payload, "reason"));
            case "StockReleasedEvent" -> new Meaning(type, service, OrderStep.RELEASE_STOCK, sku, null,
                    Outcome.SUCCEEDED, sku + " x " + number(payload, "quantity"));
            case "StockCommittedEvent" -> new Meaning(type, service, null, sku, null, Outcome.RECORDED,
                    sku + " x " + number(payload, "quantity") + " left the warehouse");
            case "PaymentChargedEvent" -> new Meaning(type, service, OrderStep.CHARGE_PAYMENT, null, null,
                    Outcome.SUCCEEDED, amount(payload, "amount"));
            case "PaymentDeclinedEvent" -> new Meaning(type, service, OrderStep.CHARGE_PAYMENT, null, null,
                    Outcome.REJECTED, text(payload, "reason"));
            case "PaymentRefundedEvent" -> new Meaning(type, service, OrderStep.REFUND_PAYMENT, null, null,
                    Outcome.SUCCEEDED, amount(payload, "amount"));
            case "ShipmentScheduledEvent" -> new Meaning(type, service, OrderStep.SCHEDULE_SHIPMENT, null, null,
                    Outcome.SUCCEEDED, text(payload, "carrier") + ", tracking " + text(payload, "trackingNumber"));
            case "ShipmentFailedEvent" -> new Meaning(type, service, OrderStep.SCHEDULE_SHIPMENT, null, null,
                    Outcome.REJECTED, text(payload, "reason"));
            case "ShipmentCancelledEvent" -> new Meaning(type, service, OrderStep.CANCEL_SHIPMENT, null, null,
                    Outcome.SUCCEEDED, payload.path("bookingCancelled").asBoolean()
                    ? "booking cancelled at the carrier" : "nothing was booked");
            case "EmailSentEvent" -> new Meaning(type, service, OrderStep.SEND_EMAIL, null, null, Outcome.SUCCEEDED,
                    null);
            case "SmsSentEvent" -> new Meaning(type, service, OrderStep.SEND_SMS, null, null, Outcome.SUCCEEDED, null);
            case "NotificationFailedEvent" -> new Meaning(type, service,
                    "SMS".equals(text(payload, "channel")) ? OrderStep.SEND_SMS : OrderStep.SEND_EMAIL, null, null,
                    Outcome.REJECTED, text(payload, "reason"));
            case "StepAttemptFailedEvent" -> new Meaning(type, service, step(payload), text(payload, "target"),
                    number(payload, "attempt"), Outcome.ATTEMPT_FAILED, failure(payload));
            case "StepRetryScheduledEvent" -> new Meaning(type, service, step(payload), text(payload, "target"),
                    number(payload, "attempt"), Outcome.RETRY_SCHEDULED,
                    "attempt " + number(payload, "attempt") + " in " + seconds(payload.path("delayMillis").asLong()));
            case "StepFailedEvent" -> new Meaning(type, service, step(payload), text(payload, "target"),
                    number(payload, "attempts"), Outcome.GIVEN_UP, text(payload, "reason"));
            case "CompensationStartedEvent" -> new Meaning(type, service, OrderStep.START_COMPENSATION, null, null,
                    Outcome.COMPENSATION_STARTED, text(payload, "reason"));
            case "OrderCompletedEvent" -> new Meaning(type, service, OrderStep.COMPLETE_ORDER, null, null,
                    Outcome.COMPLETED, null);
            case "OrderCancelledEvent" -> new Meaning(type, service, OrderStep.CANCEL_ORDER, null, null,
                    Outcome.CANCELLED, text(payload, "reason"));
            case "StepRetriedByOperatorEvent" -> new Meaning(type, service, step(payload), text(payload, "target"),
                    number(payload, "attempt"), Outcome.OPERATOR, "attempted now by " + operator(payload)
                    + ": attempt " + number(payload, "attempt") + ", the first of a fresh set" + because(payload));
            case "StepSkippedByOperatorEvent" -> new Meaning(type, service, step(payload), text(payload, "target"),
                    null, Outcome.OPERATOR, "skipped by " + operator(payload) + because(payload));
            case "OrderCancellationRequestedEvent" -> new Meaning(type, service, null, null, null, Outcome.OPERATOR,
                    "cancelled by " + operator(payload) + because(payload));
            case "ParkedOrderRetriedEvent" -> new Meaning(type, service, null, null, null, Outcome.OPERATOR,
                    "parked events handed to the saga again by " + operator(payload) + ": "
                            + number(payload, "eventsHandled") + " handled, "
                            + (payload.path("released").asBoolean() ? "released"
                            : "still parked: " + text(payload, "error")));
            case "SagaAlarmEvent" -> new Meaning(type, "order", null, null, null, Outcome.ALARM,
                    "alarm " + number(payload, "number") + " went off");
            default -> new Meaning(type, service, null, null, null, Outcome.RECORDED, null);
        };
    }

    /** The service whose contracts define the event: {@code io.ordersaga.contracts.<service>.SomeEvent}. */
    static String serviceOf(String payloadType) {
        String service = Services.owning(payloadType);
        return service == null ? "other" : service;
    }

    /** A backoff as people read it: {@code 1.05 s}. */
    public static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    private static OrderStep step(JsonNode payload) {
        String step = text(payload, "step");
        try {
            return step == null ? null : OrderStep.valueOf(step);
        } catch (IllegalArgumentException unknown) {
            return null; // a step this version does not know
        }
    }

    private static String operator(JsonNode payload) {
        String operator = text(payload, "operator");
        return operator == null ? "an operator" : operator;
    }

    private static String because(JsonNode payload) {
        String reason = text(payload, "reason");
        return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
    }

    private static String failure(JsonNode payload) {
        String error = text(payload, "error");
        String message = text(payload, "message");
        return truncated(message == null ? error : error + ": " + message);
    }

    private static String lines(JsonNode payload) {
        int lines = payload.path("items").size();
        return lines + (lines == 1 ? " line" : " lines");
    }

    /** {@code 999.90 EUR}: with the cents, however the amount was written. */
    public static String amount(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        String amount = value.isNumber() || value.isTextual() ? decimal(value.asText()) : value.asText();
        return amount + " " + payload.path("currency").asText();
    }

    private static String decimal(String number) {
        try {
            BigDecimal amount = new BigDecimal(number);
            return (amount.scale() < 2 ? amount.setScale(2, RoundingMode.UNNECESSARY) : amount).toPlainString();
        } catch (NumberFormatException | ArithmeticException e) {
            return number;
        }
    }

    private static Integer number(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || !value.canConvertToInt() ? null : value.asInt();
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : truncated(value.asText());
    }

    private static String truncated(String text) {
        return text == null || text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }
}
