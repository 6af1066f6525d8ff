package io.ordersaga.systemtests.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.systemtests.support.EventStoreView.End;
import io.ordersaga.systemtests.support.EventStoreView.Stored;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;

/**
 * What must hold after a chaos run, each check counting its violations (and keeping a few of them as examples): by
 * SQL on the event store and on the provider simulators' ledgers — the providers' own records of what they did.
 */
public final class ChaosChecks {

    /** A check's result: how many violations, and the first few of them, described. */
    public record Check(String name, long violations, List<String> examples) {

        static Check of(String name, List<String> violations) {
            return new Check(name, violations.size(), violations.stream().limit(EXAMPLES).toList());
        }
    }

    private static final int EXAMPLES = 10;

    /**
     * The success or business answer that ends each step (target: the SKU for the stock steps); a notification's
     * refusal ({@code NotificationFailedEvent}) answers the step of its channel.
     */
    private static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("StockReservedEvent", "RESERVE_STOCK"),
            Map.entry("StockReservationRejectedEvent", "RESERVE_STOCK"),
            Map.entry("PaymentChargedEvent", "CHARGE_PAYMENT"),
            Map.entry("PaymentDeclinedEvent", "CHARGE_PAYMENT"),
            Map.entry("ShipmentScheduledEvent", "SCHEDULE_SHIPMENT"),
            Map.entry("ShipmentFailedEvent", "SCHEDULE_SHIPMENT"),
            Map.entry("EmailSentEvent", "SEND_EMAIL"),
            Map.entry("SmsSentEvent", "SEND_SMS"),
            Map.entry("OrderCompletedEvent", "COMPLETE_ORDER"),
            Map.entry("CompensationStartedEvent", "START_COMPENSATION"),
            Map.entry("ShipmentCancelledEvent", "CANCEL_SHIPMENT"),
            Map.entry("PaymentRefundedEvent", "REFUND_PAYMENT"),
            Map.entry("StockReleasedEvent", "RELEASE_STOCK"),
            Map.entry("OrderCancelledEvent", "CANCEL_ORDER"));

    /** Effects on the outside world, and their records in the event store, that happen at most once per order. */
    private static final List<String> ONCE = List.of("PaymentChargedEvent", "PaymentRefundedEvent",
            "ShipmentScheduledEvent", "ShipmentCancelledEvent", "EmailSentEvent", "SmsSentEvent",
            "OrderCompletedEvent", "OrderCancelledEvent");

    private final JdbcTemplate database;
    private final EventStoreView events;

    public ChaosChecks(JdbcTemplate database, EventStoreView events) {
        this.database = database;
        this.events = events;
    }

    /**
     * 1. Every order placed, and every order accepted, is in the event store and ended — completed or cancelled, not
     * both — and the order service's own view ({@code order_summary}, what {@code GET /orders/{id}} answers) says the
     * same once it has caught up (waited for {@code within}).
     */
    public Check everyAcceptedOrderEnded(Map<String, ChaosOrders.Kind> accepted, Duration within) {
        List<String> violations = new ArrayList<>();
        Set<String> orders = new TreeSet<>(events.orders());
        for (String orderId : accepted.keySet()) {
            if (!orders.contains(orderId)) {
                violations.add(orderId + " was accepted but is not in the event store");
            }
        }
        for (String orderId : orders) {
            End end = events.end(orderId);
            if (end == End.OPEN || end == End.BOTH) {
                violations.add(orderId + " (" + accepted.getOrDefault(orderId, null) + ") " + (end == End.OPEN
                        ? "has not ended" : "is both completed and cancelled") + ":" + events.describe(orderId));
            }
        }
        try {
            await().atMost(within).pollInterval(Duration.ofSeconds(1))
                    .until(() -> projectionDisagreements(orders).isEmpty());
        } catch (ConditionTimeoutException notCaughtUp) {
            violations.addAll(projectionDisagreements(orders));
        }
        return Check.of("every accepted order ended (COMPLETED or CANCELLED)", violations);
    }

    private List<String> projectionDisagreements(Set<String> orders) {
        Map<String, String> statuses = new HashMap<>();
        database.query("SELECT order_id, status FROM order_summary",
                row -> {
                    statuses.put(row.getString("order_id"), row.getString("status"));
                });
        List<String> disagreements = new ArrayList<>();
        for (String orderId : orders) {
            End end = events.end(orderId);
            String status = statuses.get(orderId);
            if ((end == End.COMPLETED || end == End.CANCELLED) && !end.name().equals(status)) {
                disagreements.add(orderId + " is " + end + " in the event store, " + status + " in order_summary");
            }
        }
        return disagreements;
    }

    /** 2. No order charged, refunded, shipped, e-mailed or texted twice: at the providers, and in the event store. */
    public Check noEffectTwice() {
        List<String> violations = new ArrayList<>();
        database.query("""
                SELECT split_part(idempotency_key, ':', 1) AS order_id, operation AS effect, count(*) AS times
                  FROM payment_simulator_ledger GROUP BY 1, 2 HAVING count(*) > 1
                UNION ALL
                SELECT order_id, 'SHIPMENT', count(*) FROM shipping_simulator_ledger GROUP BY 1 HAVING count(*) > 1
                UNION ALL
                SELECT split_part(idempotency_key, ':', 1), channel, count(*)
                  FROM notification_simulator_outbox GROUP BY 1, 2 HAVING count(*) > 1""",
                row -> {
                    violations.add(row.getString("order_id") + ": " + row.getString("effect") + " "
                            + row.getLong("times") + " times at the provider");
                });
        for (String orderId : events.orders()) {
            for (String type : ONCE) {
                long times = events.count(orderId, type);
                if (times > 1) {
                    violations.add(orderId + ": " + type + " " + times + " times in the event store");
                }
            }
        }
        return Check.of("no order charged, refunded, shipped, e-mailed or texted twice", violations);
    }

    /**
     * 3. No money kept and no shipment left for a cancelled order (charged ⇒ refunded in full; booked ⇒ booking
     * cancelled); every completed order charged once and shipped once, neither undone; no order of a kind that
     * must fail completed.
     */
    public Check compensatedOrCompletedInFull(Map<String, ChaosOrders.Kind> accepted) {
        Map<String, BigDecimal> charged = new HashMap<>();
        Map<String, BigDecimal> refunded = new HashMap<>();
        database.query("""
                SELECT split_part(idempotency_key, ':', 1) AS order_id, operation, amount
                  FROM payment_simulator_ledger WHERE reference IS NOT NULL""", row -> {
            (row.getString("operation").equals("CHARGE") ? charged : refunded)
                    .merge(row.getString("order_id"), row.getBigDecimal("amount"), BigDecimal::add);
        });
        Map<String, Integer> booked = new HashMap<>();
        Map<String, Integer> bookedNotCancelled = new HashMap<>();
        database.query("SELECT order_id, cancelled FROM shipping_simulator_ledger WHERE tracking_number IS NOT NULL",
                row -> {
                    booked.merge(row.getString("order_id"), 1, Integer::sum);
                    if (!row.getBoolean("cancelled")) {
                        bookedNotCancelled.merge(row.getString("order_id"), 1, Integer::sum);
                    }
                });
        List<String> violations = new ArrayList<>();
        for (String orderId : events.orders()) {
            BigDecimal charge = charged.getOrDefault(orderId, BigDecimal.ZERO);
            BigDecimal refund = refunded.getOrDefault(orderId, BigDecimal.ZERO);
            int bookings = booked.getOrDefault(orderId, 0);
            int open = bookedNotCancelled.getOrDefault(orderId, 0);
            switch (events.end(orderId)) {
                case CANCELLED -> {
                    if (charge.compareTo(refund) != 0) {
                        violations.add(orderId + " cancelled: charged " + charge + ", refunded " + refund);
                    }
                    if (open > 0) {
                        violations.add(orderId + " cancelled: " + open + " shipment(s) still booked at the carrier");
                    }
                }
                case COMPLETED -> {
                    if (charge.signum() <= 0 || refund.signum() != 0) {
                        violations.add(orderId + " completed: charged " + charge + ", refunded " + refund);
                    }
                    if (bookings != 1 || open != 1) {
                        violations.add(orderId + " completed: " + bookings + " booking(s), " + open
                                + " not cancelled");
                    }
                    ChaosOrders.Kind kind = accepted.get(orderId);
                    if (kind != null && !kind.canComplete()) {
                        violations.add(orderId + " completed although it is " + kind + ":"
                                + events.describe(orderId));
                    }
                }
                default -> {
                    // not ended: counted by check 1
                }
            }
        }
        return Check.of("no money kept, no shipment left for a cancelled order; completed = charged, shipped once",
                violations);
    }

    /** 4. Every aggregate's events numbered 0, 1, 2, … without gap or duplicate; every global index once. */
    public Check sequencesContiguous() {
        List<String> violations = new ArrayList<>();
        database.query("""
                SELECT aggregate_identifier, max(type) AS type, count(*) AS events, min(sequence_number) AS first,
                       max(sequence_number) AS last, count(DISTINCT sequence_number) AS distinct_numbers
                  FROM domain_event_entry
                 GROUP BY aggregate_identifier
                HAVING min(sequence_number) <> 0
                    OR max(sequence_number) <> count(*) - 1
                    OR count(DISTINCT sequence_number) <> count(*)""", row -> {
            violations.add(row.getString("type") + " " + row.getString("aggregate_identifier") + ": "
                    + row.getLong("events") + " events numbered " + row.getLong("first") + ".."
                    + row.getLong("last") + " (" + row.getLong("distinct_numbers") + " distinct)");
        });
        Long duplicatedIndexes = database.queryForObject(
                "SELECT count(*) - count(DISTINCT global_index) FROM domain_event_entry", Long.class);
        if (duplicatedIndexes != null && duplicatedIndexes > 0) {
            violations.add(duplicatedIndexes + " global indexes used twice");
        }
        return Check.of("every aggregate's sequence numbers contiguous from 0", violations);
    }

    /**
     * 5. For each SKU: on hand = what was set − the quantities of the completed orders, and nothing reserved — as the
     * inventory service answers {@code GET /inventory/{sku}}, once the completed orders' stock has left the warehouse
     * (it does just after they complete; waited for {@code within}).
     */
    public Check stockConsistent(Api inventory, Map<String, Integer> set, Duration within) {
        List<String> violations = new ArrayList<>();
        try {
            await().atMost(within).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stockViolations(inventory, set).isEmpty());
        } catch (ConditionTimeoutException notSettled) {
            violations.addAll(stockViolations(inventory, set));
        }
        return Check.of("stock on hand = set − completed orders, nothing reserved", violations);
    }

    /** Compares with the orders completed as the event store says now (an order may end while this check waits). */
    private List<String> stockViolations(Api inventory, Map<String, Integer> set) {
        EventStoreView now = EventStoreView.read(database);
        Map<String, Integer> expected = new TreeMap<>(set);
        for (String orderId : now.orders()) {
            if (now.end(orderId) == End.COMPLETED) {
                now.lines(orderId).forEach((sku, quantity) -> expected.computeIfPresent(sku,
                        (key, onHand) -> onHand - quantity));
            }
        }
        List<String> violations = new ArrayList<>();
        expected.forEach((sku, onHand) -> {
            JsonNode stock = inventory.stock(sku);
            if (stock.path("onHand").asInt() != onHand || stock.path("reserved").asInt() != 0) {
                violations.add(sku + ": on hand " + stock.path("onHand").asInt() + " (expected " + onHand
                        + "), reserved " + stock.path("reserved").asInt() + " (expected 0)");
            }
        });
        return violations;
    }

    /**
     * 6. In every order's history no step recorded twice — a failed attempt, a scheduled retry (per step, target and
     * attempt), a step given up (per step and target) — and no failed attempt stored after the step's answer.
     */
    public Check historiesRecordEachStepOnce() {
        List<String> violations = new ArrayList<>();
        for (String orderId : events.orders()) {
            Set<String> failedAttempts = new HashSet<>();
            Set<String> retries = new HashSet<>();
            Set<String> givenUp = new HashSet<>();
            Map<String, Stored> answered = new HashMap<>();
            for (Stored event : events.events(orderId)) {
                String step = event.text("step") + " " + event.text("target");
                switch (event.type()) {
                    case "StepAttemptFailedEvent" -> {
                        if (!failedAttempts.add(step + " attempt " + event.text("attempt"))) {
                            violations.add(orderId + ": " + step + " attempt " + event.text("attempt")
                                    + " failed twice (#" + event.globalIndex() + ")");
                        }
                        Stored answer = answered.get(step);
                        if (answer != null) {
                            violations.add(orderId + ": " + step + " attempt " + event.text("attempt") + " failed ("
                                    + event.text("error") + ", #" + event.globalIndex() + ") after its answer "
                                    + answer.type() + " (#" + answer.globalIndex() + ")");
                        }
                    }
                    case "StepRetryScheduledEvent" -> {
                        if (!retries.add(step + " attempt " + event.text("attempt"))) {
                            violations.add(orderId + ": " + step + " retry of attempt " + event.text("attempt")
                                    + " scheduled twice (#" + event.globalIndex() + ")");
                        }
                    }
                    case "StepFailedEvent" -> {
                        if (!givenUp.add(step)) {
                            violations.add(orderId + ": " + step + " given up twice (#" + event.globalIndex() + ")");
                        }
                    }
                    case "NotificationFailedEvent" -> answered.putIfAbsent("SEND_" + event.text("channel") + " ", event);
                    default -> {
                        String answers = ANSWERS.get(event.type());
                        if (answers != null) {
                            String target = answers.equals("RESERVE_STOCK") || answers.equals("RELEASE_STOCK")
                                    ? event.text("sku") : "";
                            answered.putIfAbsent(answers + " " + target, event);
                        }
                    }
                }
            }
        }
        return Check.of("no step recorded twice, no failed attempt after its step was answered", violations);
    }
}
