package io.ordersaga.order.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.events.OrderEvents;
import io.ordersaga.order.events.OrderEvents.Meaning;
import io.ordersaga.order.flow.OrderFlow;
import io.ordersaga.order.query.OrderHistory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws an order's events as a Mermaid {@code sequenceDiagram}: the customer, the saga and the four services it drives.
 *
 * <p>Each command the saga sent is an arrow to the service that handles it; each answer an arrow back, named by the
 * event the service stored — {@code -->>} when the step succeeded, {@code --x} when it was refused or the attempt
 * failed. What the order itself recorded (an attempt failed, a retry scheduled with the backoff it waits, a step given
 * up, compensation started, the order completed or cancelled) is a note over the saga. Every answer and every note is
 * an event in the event store — a persistence point — with its time after the order was placed, {@code [+5.10 s]}.
 * Compensation is shaded.
 *
 * <p>Commands are not stored, only their outcomes: a command arrow is drawn just before the outcome of its attempt
 * (the reservations of all lines at once, as the saga sends them).
 */
public final class TimelineDiagram {

    private static final String SAGA = "Saga";
    private static final String CUSTOMER = "Customer";
    private static final int MAX_LABEL = 160;

    private final List<String> lines = new ArrayList<>();
    private final Map<String, Integer> quantities = new LinkedHashMap<>();
    /** per step and SKU: the attempt whose command is drawn, and the attempt that comes next */
    private final Map<String, Integer> drawn = new HashMap<>();
    private final Map<String, Integer> current = new HashMap<>();
    private String total = "";
    private Instant placedAt;
    private boolean shaded;
    private boolean ended;

    private TimelineDiagram() {
    }

    /** The diagram of an order's events, oldest first. */
    public static String of(List<OrderHistory.Entry> events) {
        TimelineDiagram diagram = new TimelineDiagram();
        diagram.header();
        for (OrderHistory.Entry event : events) {
            diagram.add(event);
        }
        diagram.footer(events.isEmpty() ? null : events.get(events.size() - 1));
        return String.join("\n", diagram.lines) + "\n";
    }

    private void header() {
        lines.add("sequenceDiagram");
        for (String participant : List.of(CUSTOMER, SAGA + " as Order Saga", "Inventory", "Payment", "Shipping",
                "Notification")) {
            lines.add("    participant " + participant);
        }
    }

    private void add(OrderHistory.Entry event) {
        Meaning meaning = OrderEvents.of(event.payloadType(), event.payload());
        if (placedAt == null) {
            placedAt = event.timestamp();
        }
        String at = " [+" + OrderEvents.seconds(Duration.between(placedAt, event.timestamp()).toMillis()) + "]";
        String name = eventName(meaning.type());
        OrderStep step = meaning.step();
        switch (meaning.outcome()) {
            case PLACED -> placed(event.payload(), meaning, at);
            case SUCCEEDED -> {
                commandFor(step, meaning.target());
                arrow(participant(step), "-->>", SAGA, name + detail(meaning) + at);
            }
            case REJECTED -> {
                commandFor(step, meaning.target());
                arrow(participant(step), "--x", SAGA, name + detail(meaning) + at);
            }
            case ATTEMPT_FAILED -> {
                commandFor(step, meaning.target());
                arrow(participant(step), "--x", SAGA,
                        "attempt " + meaning.attempt() + " failed" + detail(meaning) + at);
            }
            case RETRY_SCHEDULED -> {
                current.put(OrderFlow.key(step, meaning.target()), meaning.attempt());
                note(SAGA + "," + participant(step), name + ": attempt " + meaning.attempt() + " after a backoff of "
                        + OrderEvents.seconds(event.payload().path("delayMillis").asLong()) + at);
            }
            case GIVEN_UP -> note(SAGA + "," + participant(step), name + ": " + what(step, meaning.target())
                    + " given up after " + meaning.attempt() + " attempts, " + consequence(step) + at);
            case COMPENSATION_STARTED -> {
                if (!shaded) {
                    shaded = true;
                    lines.add("    rect rgb(255, 236, 236)");
                }
                note(SAGA, name + detail(meaning) + at);
            }
            case COMPLETED -> {
                commandFor(OrderStep.COMPLETE_ORDER, null);
                note(SAGA, name + at);
                closeRects();
                arrow(SAGA, "-->>", CUSTOMER, "COMPLETED");
                ended = true;
            }
            case CANCELLED -> {
                commandFor(OrderStep.CANCEL_ORDER, null);
                note(SAGA, name + detail(meaning) + at);
                closeRects();
                arrow(SAGA, "--x", CUSTOMER, "CANCELLED");
                ended = true;
            }
            case OPERATOR -> operator(meaning, name, at);
            case RECORDED -> note(participantOf(meaning.service()), name + detail(meaning) + at);
            case ALARM -> {
                // the saga's own bookkeeping: the retry it starts is drawn as the next arrow
            }
        }
    }

    /** An operator's action: a note over the saga (and the step's service); a cancellation starts the shading. */
    private void operator(Meaning meaning, String name, String at) {
        OrderStep step = meaning.step();
        if ("OrderCancellationRequestedEvent".equals(meaning.type()) && !shaded) {
            shaded = true;
            lines.add("    rect rgb(255, 236, 236)");
        }
        if (step != null && meaning.attempt() != null) {
            current.put(OrderFlow.key(step, meaning.target()), meaning.attempt()); // the retry's command is drawn next
        }
        note(step == null || participant(step).equals(SAGA) ? SAGA : SAGA + "," + participant(step),
                "Operator: " + name + detail(meaning) + at);
    }

    private void placed(JsonNode payload, Meaning meaning, String at) {
        total = OrderEvents.amount(payload, "total");
        for (JsonNode item : payload.path("items")) {
            quantities.put(item.path("sku").asText(), item.path("quantity").asInt());
        }
        arrow(CUSTOMER, "->>", SAGA, "place order (" + meaning.detail() + ")");
        note(SAGA, eventName(meaning.type()) + at);
        for (String sku : quantities.keySet()) {
            commandFor(OrderStep.RESERVE_STOCK, sku); // the saga reserves every line at once
        }
    }

    private void footer(OrderHistory.Entry last) {
        closeRects();
        if (last != null && !ended) {
            note(SAGA, "in progress");
        }
    }

    /** Draws the command of the current attempt of a step, unless it is drawn already. */
    private void commandFor(OrderStep step, String target) {
        if (step == null || step == OrderStep.START_COMPENSATION) {
            return;
        }
        String key = OrderFlow.key(step, target);
        int attempt = current.getOrDefault(key, 1);
        if (drawn.getOrDefault(key, 0) >= attempt) {
            return;
        }
        drawn.put(key, attempt);
        arrow(SAGA, "->>", participant(step),
                command(step, target) + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
    }

    private String command(OrderStep step, String sku) {
        return switch (step) {
            case RESERVE_STOCK -> "reserve " + sku + (quantities.containsKey(sku) ? " x " + quantities.get(sku) : "");
            case CHARGE_PAYMENT -> "charge " + total;
            case SCHEDULE_SHIPMENT -> "schedule shipment";
            case SEND_EMAIL -> "send confirmation e-mail";
            case SEND_SMS -> "send confirmation SMS";
            case COMPLETE_ORDER -> "complete order";
            case START_COMPENSATION -> "start compensation";
            case CANCEL_SHIPMENT -> "cancel shipment";
            case REFUND_PAYMENT -> "refund payment";
            case RELEASE_STOCK -> "release " + sku;
            case CANCEL_ORDER -> "cancel order";
        };
    }

    /** What giving a step up means for the order, as {@link OrderFlow} says. */
    private static String consequence(OrderStep step) {
        return step == null ? "see the saga's log" : OrderFlow.whenGivenUp(step).consequence();
    }

    private static String what(OrderStep step, String target) {
        return step == null ? "step" : step.name() + (target == null ? "" : " " + target);
    }

    /** The participant that does a step: the service that owns it ({@link OrderFlow}), or the saga for the order's own. */
    private static String participant(OrderStep step) {
        return step == null ? SAGA : participantOf(OrderFlow.service(step));
    }

    private static String participantOf(String service) {
        return switch (service) {
            case "inventory" -> "Inventory";
            case "payment" -> "Payment";
            case "shipping" -> "Shipping";
            case "notification" -> "Notification";
            default -> SAGA;
        };
    }

    private void closeRects() {
        if (shaded) {
            lines.add("    end");
            shaded = false;
        }
    }

    private static String eventName(String type) {
        return type.endsWith("Event") ? type.substring(0, type.length() - "Event".length()) : type;
    }

    private static String detail(Meaning meaning) {
        return meaning.detail() == null || meaning.detail().isBlank() ? "" : ": " + meaning.detail();
    }

    private void arrow(String from, String arrow, String to, String label) {
        lines.add("    " + from + arrow + to + ": " + text(label));
    }

    private void note(String over, String label) {
        lines.add("    Note over " + over + ": " + text(label));
    }

    /** A label made safe for Mermaid: one line, no statement separator, no entity or markup, not too long. */
    static String text(String label) {
        String safe = label
                .replaceAll("[\\r\\n\\t]+", " ")
                .replace(';', ',')
                .replace("#", "no. ")
                .replace("%%", "%")
                .replace('<', '(')
                .replace('>', ')')
                .replace('{', '(')
                .replace('}', ')');
        return safe.length() <= MAX_LABEL ? safe : safe.substring(0, MAX_LABEL - 1) + "…";
    }
}
