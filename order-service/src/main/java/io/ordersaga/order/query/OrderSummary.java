package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.events.OrderEvents;
import io.ordersaga.order.flow.OrderFlow;
import io.ordersaga.order.flow.OrderFlow.WhenGivenUp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * One row of {@code order_summary} per order: what {@code GET /orders/{id}} and the order list answer. Written only by
 * {@link OrderProjection}, read and written by {@link OrderSummaries}.
 *
 * <p>Besides the status it keeps where the order is: the step the saga works on (told from the events by the steps'
 * description, {@link OrderFlow}: after the last line is reserved the saga charges, ...), the latest event and failure —
 * what an operator needs to see why an order is stuck.
 */
public class OrderSummary {

    private final String orderId;
    private final String customerId;
    private OrderStatus status;
    private final BigDecimal total;
    private final String currency;
    /** Set when the order is placed and never changed; read from its JSON only when asked for (a view). */
    private final Supplier<List<OrderLine>> items;
    private String reason;
    private final Instant placedAt;
    private Instant updatedAt;
    private OrderStep step;
    private String lastEvent;
    private String lastFailure;
    private Instant lastFailureAt;
    private int linesPending;
    private final boolean smsPlanned;
    /** How to reach the customer, masked ({@code a***@example.com}, {@code +31******78}): for the order page. */
    private String contactEmail;
    private String contactPhone;
    private String trackingNumber;
    /** The step that failed without an answer and is being retried, and where its attempts are. */
    private OrderStep retryStep;
    private String retryTarget;
    /** The attempt made or to come, numbered as the order's history numbers it. */
    private Integer retryAttempt;
    /** The attempts before an operator's retry started a fresh set (not counted by the step's policy). */
    private int retryAttemptsBefore;
    /** When the next attempt is due, while the step waits in its backoff. */
    private Instant nextAttemptAt;

    /** A new order, as it is placed. */
    OrderSummary(String orderId, String customerId, List<OrderLine> items, BigDecimal total, String currency,
                 boolean smsPlanned, Instant placedAt) {
        this.orderId = orderId;
        this.customerId = customerId;
        List<OrderLine> lines = List.copyOf(items);
        this.items = () -> lines;
        this.total = total;
        this.currency = currency;
        this.status = OrderStatus.PLACED;
        this.placedAt = placedAt;
        this.updatedAt = placedAt;
        this.step = OrderStep.RESERVE_STOCK;
        this.lastEvent = "OrderPlacedEvent";
        this.linesPending = items.size();
        this.smsPlanned = smsPlanned;
    }

    /** An order as stored: its row, column by column ({@link OrderSummaries}). */
    @SuppressWarnings("java:S107") // one parameter per column of the row
    OrderSummary(String orderId, String customerId, OrderStatus status, BigDecimal total, String currency,
                 Supplier<List<OrderLine>> items, String reason, Instant placedAt, Instant updatedAt, OrderStep step,
                 String lastEvent, String lastFailure, Instant lastFailureAt, int linesPending, boolean smsPlanned,
                 String contactEmail, String contactPhone, String trackingNumber, OrderStep retryStep,
                 String retryTarget, Integer retryAttempt, int retryAttemptsBefore, Instant nextAttemptAt) {
        this.orderId = orderId;
        this.customerId = customerId;
        this.status = status;
        this.total = total;
        this.currency = currency;
        this.items = items;
        this.reason = reason;
        this.placedAt = placedAt;
        this.updatedAt = updatedAt;
        this.step = step;
        this.lastEvent = lastEvent;
        this.lastFailure = lastFailure;
        this.lastFailureAt = lastFailureAt;
        this.linesPending = linesPending;
        this.smsPlanned = smsPlanned;
        this.contactEmail = contactEmail;
        this.contactPhone = contactPhone;
        this.trackingNumber = trackingNumber;
        this.retryStep = retryStep;
        this.retryTarget = retryTarget;
        this.retryAttempt = retryAttempt;
        this.retryAttemptsBefore = retryAttemptsBefore;
        this.nextAttemptAt = nextAttemptAt;
    }

    /** The customer's contact details as the order page shows them: masked. */
    void contact(String maskedEmail, String maskedPhone) {
        this.contactEmail = maskedEmail;
        this.contactPhone = maskedPhone;
    }

    void tracked(String trackingNumber) {
        this.trackingNumber = trackingNumber;
    }

    /** A retry was scheduled: the attempt to come is due at {@code due}. */
    void nextAttemptDue(Instant due) {
        if (!status.isTerminal() && retryStep != null) {
            nextAttemptAt = due;
        }
    }

    /** Takes in an event about this order: status, step, latest event and failure. An ended order stays as it is. */
    void record(OrderEvents.Meaning event, Instant at) {
        if (status.isTerminal() || event.outcome() == OrderEvents.Outcome.RECORDED
                || event.outcome() == OrderEvents.Outcome.ALARM) {
            return;
        }
        lastEvent = event.type();
        updatedAt = at;
        retrying(event, at);
        switch (event.outcome()) {
            case SUCCEEDED -> succeeded(event.step());
            case REJECTED -> {
                failed(event, "refused", at);
                step = event.step() == null ? null : OrderFlow.whenGivenUp(event.step()) == WhenGivenUp.GO_ON
                        ? next(event.step()) : OrderStep.START_COMPENSATION;
            }
            case ATTEMPT_FAILED -> {
                failed(event, "attempt " + event.attempt() + " failed", at);
                step = event.step();
            }
            case RETRY_SCHEDULED -> step = event.step();
            case GIVEN_UP -> {
                failed(event, null, at); // the reason says which step, how often and why
                givenUp(event.step());
            }
            case COMPENSATION_STARTED -> {
                status = OrderStatus.COMPENSATING;
                step = null; // the compensation's own events tell which undo is under way
            }
            case OPERATOR -> operator(event);
            case COMPLETED -> end(OrderStatus.COMPLETED, null);
            case CANCELLED -> end(OrderStatus.CANCELLED, event.detail());
            case PLACED, RECORDED, ALARM -> {
                // the row is created by OrderPlaced; recorded facts answer no step
            }
        }
    }

    /** Where the attempts of the step being retried are: set by its failures and retries, cleared by its answer. */
    private void retrying(OrderEvents.Meaning event, Instant at) {
        boolean sameStep = event.step() != null && event.step() == retryStep
                && java.util.Objects.equals(event.target(), retryTarget);
        switch (event.outcome()) {
            case ATTEMPT_FAILED, RETRY_SCHEDULED -> {
                if (!sameStep) {
                    retryAttemptsBefore = 0;
                }
                retryStep = event.step();
                retryTarget = event.target();
                retryAttempt = event.attempt();
                nextAttemptAt = null;
            }
            case OPERATOR -> {
                if ("StepRetriedByOperatorEvent".equals(event.type()) && event.attempt() != null) {
                    retryStep = event.step();
                    retryTarget = event.target();
                    retryAttempt = event.attempt();
                    retryAttemptsBefore = event.attempt() - 1;
                    nextAttemptAt = at;
                } else if (sameStep || "OrderCancellationRequestedEvent".equals(event.type())) {
                    clearRetry();
                }
            }
            case SUCCEEDED, REJECTED, GIVEN_UP -> {
                if (sameStep) {
                    clearRetry();
                }
            }
            case COMPENSATION_STARTED, COMPLETED, CANCELLED -> clearRetry();
            default -> {
                // nothing about the step being retried
            }
        }
    }

    private void clearRetry() {
        retryStep = null;
        retryTarget = null;
        retryAttempt = null;
        retryAttemptsBefore = 0;
        nextAttemptAt = null;
    }

    /** What an operator's action means for where the order is. */
    private void operator(OrderEvents.Meaning event) {
        switch (event.type()) {
            case "StepRetriedByOperatorEvent" -> step = event.step();
            case "StepSkippedByOperatorEvent" -> givenUp(event.step());
            case "OrderCancellationRequestedEvent" -> {
                status = OrderStatus.COMPENSATING;
                step = null;
            }
            default -> {
                // a parked order retried: where it is follows from the saga's next events
            }
        }
    }

    /** Where the order goes after a step succeeded: the next step, as {@link OrderFlow} says. */
    private void succeeded(OrderStep done) {
        if (done == null) {
            return;
        }
        switch (done) {
            case RESERVE_STOCK -> {
                linesPending = Math.max(0, linesPending - 1);
                step = linesPending == 0 ? next(done) : OrderStep.RESERVE_STOCK;
            }
            case CHARGE_PAYMENT -> {
                status = OrderStatus.PAID;
                step = next(done);
            }
            case SCHEDULE_SHIPMENT -> {
                status = OrderStatus.SHIPPED;
                step = next(done);
            }
            case SEND_EMAIL, SEND_SMS -> step = next(done);
            default -> step = null; // an undo: the summary does not follow compensation line by line
        }
    }

    /** Where the order goes after a step was given up (or skipped), as {@link OrderFlow} says. */
    private void givenUp(OrderStep given) {
        if (given == null) {
            return;
        }
        switch (OrderFlow.whenGivenUp(given)) {
            case COMPENSATE -> step = status == OrderStatus.COMPENSATING ? null : OrderStep.START_COMPENSATION;
            case GO_ON -> step = next(given);
            case NOTE_AND_GO_ON -> step = null;
            case WAIT_FOR_AN_OPERATOR -> step = given;
        }
    }

    private OrderStep next(OrderStep done) {
        return OrderFlow.next(done, smsPlanned);
    }

    private void failed(OrderEvents.Meaning event, String what, Instant at) {
        String step = event.step() == null ? "" : event.step() + (event.target() == null ? "" : " " + event.target());
        String text = what == null ? String.valueOf(event.detail())
                : step + " " + what + (event.detail() == null ? "" : ": " + event.detail());
        lastFailure = text.length() <= 1000 ? text.strip() : text.substring(0, 999).strip() + "…";
        lastFailureAt = at;
    }

    private void end(OrderStatus terminal, String reason) {
        status = terminal;
        step = null;
        this.reason = reason;
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public String getCurrency() {
        return currency;
    }

    public List<OrderLine> getItems() {
        return items.get();
    }

    public String getReason() {
        return reason;
    }

    public Instant getPlacedAt() {
        return placedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public OrderStep getStep() {
        return step;
    }

    public String getLastEvent() {
        return lastEvent;
    }

    public String getLastFailure() {
        return lastFailure;
    }

    public Instant getLastFailureAt() {
        return lastFailureAt;
    }

    public int getLinesPending() {
        return linesPending;
    }

    public boolean isSmsPlanned() {
        return smsPlanned;
    }

    public String getContactEmail() {
        return contactEmail;
    }

    public String getContactPhone() {
        return contactPhone;
    }

    public String getTrackingNumber() {
        return trackingNumber;
    }

    public OrderStep getRetryStep() {
        return retryStep;
    }

    public String getRetryTarget() {
        return retryTarget;
    }

    public Integer getRetryAttempt() {
        return retryAttempt;
    }

    public int getRetryAttemptsBefore() {
        return retryAttemptsBefore;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }
}
