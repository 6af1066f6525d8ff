package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.events.OrderEvents.Meaning;
import io.ordersaga.order.events.OrderEvents.Outcome;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code order_summary} on PostgreSQL, as the projection writes it and the queries read it: every column. */
@StandaloneIT
class OrderSummariesIT {

    private static final Instant PLACED = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private static final List<OrderLine> LINES = List.of(new OrderLine("SUMMARY-A", 2, new BigDecimal("12.50")),
            new OrderLine("SUMMARY-B", 1, new BigDecimal("0.99")));

    @Autowired
    OrderSummaries summaries;
    @Autowired
    JdbcTemplate jdbc;
    /** Rows of orders no saga runs for: taken out again, so that no other test sees them as orders under way. */
    private final List<String> stored = new ArrayList<>();

    @AfterEach
    void removeTheRows() {
        jdbc.update("DELETE FROM order_summary WHERE order_id = ANY (?)",
                (Object) stored.toArray(String[]::new));
    }

    private OrderSummary placed(String orderId) {
        stored.add(orderId);
        OrderSummary order = new OrderSummary(orderId, "c-17", LINES, new BigDecimal("25.99"), "EUR", true, PLACED);
        order.contact("a***@example.com", "+31******78");
        return order;
    }

    @Test
    void aNewOrderIsStoredAsPlacedAndReadBackColumnByColumn() {
        String orderId = UUID.randomUUID().toString();
        OrderSummary order = placed(orderId);

        assertThat(summaries.insert(order)).isTrue();

        OrderSummary stored = summaries.find(orderId).orElseThrow();
        assertThat(stored).usingRecursiveComparison().comparingOnlyFields(
                "orderId", "customerId", "status", "total", "currency", "reason", "placedAt", "updatedAt", "step",
                "lastEvent", "lastFailure", "lastFailureAt", "linesPending", "smsPlanned", "contactEmail",
                "contactPhone", "trackingNumber", "retryStep", "retryTarget", "retryAttempt", "retryAttemptsBefore",
                "nextAttemptAt").isEqualTo(order);
        assertThat(stored.getItems()).isEqualTo(LINES);
        assertThat(stored.getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(stored.getStep()).isEqualTo(OrderStep.RESERVE_STOCK);
        assertThat(stored.getLinesPending()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT jsonb_typeof(items) FROM order_summary WHERE order_id = ?",
                String.class, orderId)).as("items stored as JSON").isEqualTo("array");
    }

    @Test
    void whatEventsChangedIsWrittenAndReadBack() {
        String orderId = UUID.randomUUID().toString();
        OrderSummary order = placed(orderId);
        summaries.insert(order);
        Instant failed = PLACED.plusMillis(1500);
        order.record(new Meaning("StepAttemptFailedEvent", "order", OrderStep.CHARGE_PAYMENT, null, 2,
                Outcome.ATTEMPT_FAILED, "UNAVAILABLE"), failed);
        order.nextAttemptDue(failed.plusSeconds(2));
        order.tracked("TRACK-1");
        OrderSummary other = placed(UUID.randomUUID().toString());
        summaries.insert(other);
        other.record(new Meaning("OrderCancelledEvent", "order", null, null, null, Outcome.CANCELLED,
                "payment declined"), failed);

        summaries.update(List.of(order, other));

        OrderSummary stored = summaries.find(orderId).orElseThrow();
        assertThat(stored.getStep()).isEqualTo(OrderStep.CHARGE_PAYMENT);
        assertThat(stored.getRetryStep()).isEqualTo(OrderStep.CHARGE_PAYMENT);
        assertThat(stored.getRetryAttempt()).isEqualTo(2);
        assertThat(stored.getNextAttemptAt()).isEqualTo(failed.plusSeconds(2));
        assertThat(stored.getLastFailure()).isEqualTo("CHARGE_PAYMENT attempt 2 failed: UNAVAILABLE");
        assertThat(stored.getLastFailureAt()).isEqualTo(failed);
        assertThat(stored.getUpdatedAt()).isEqualTo(failed);
        assertThat(stored.getLastEvent()).isEqualTo("StepAttemptFailedEvent");
        assertThat(stored.getTrackingNumber()).isEqualTo("TRACK-1");
        assertThat(stored.getItems()).as("never written again").isEqualTo(LINES);
        OrderSummary cancelled = summaries.find(other.getOrderId()).orElseThrow();
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.getReason()).isEqualTo("payment declined");
        assertThat(cancelled.getStep()).isNull();
        assertThat(summaries.ended(List.of(orderId, other.getOrderId())))
                .extracting(OrderSummary::getOrderId).containsExactly(other.getOrderId());
    }

    @Test
    void anOrderPlacedAgainLeavesItsRowAsItIs() {
        String orderId = UUID.randomUUID().toString();
        OrderSummary order = placed(orderId);
        summaries.insert(order);
        order.record(new Meaning("OrderCompletedEvent", "order", null, null, null, Outcome.COMPLETED, null),
                PLACED.plusSeconds(1));
        summaries.update(List.of(order));

        assertThat(summaries.insert(placed(orderId))).as("a replayed placing").isFalse();

        assertThat(summaries.find(orderId).orElseThrow().getStatus()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(summaries.placedAt(orderId)).contains(PLACED);
        assertThat(summaries.find("no-such-order")).isEmpty();
    }
}
