package io.ordersaga.order.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.inventory.StockCommittedEvent;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancellationRequestedEvent;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import io.ordersaga.order.query.OrderHistory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The order's picture: which arrow and which note each event draws, in the order they happened. */
class TimelineDiagramTest {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final String ORDER = "7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a";
    private static final Instant PLACED = Instant.parse("2026-11-24T10:00:00Z");
    private static final String PARTICIPANTS = """
            sequenceDiagram
                participant Customer
                participant Saga as Order Saga
                participant Inventory
                participant Payment
                participant Shipping
                participant Notification
            """;

    private final List<OrderHistory.Entry> events = new ArrayList<>();

    @Test
    void drawsTheReferenceScenario() {
        at(0.0, placed("+31612345678", new OrderLine("LAPTOP-15", 1, new BigDecimal("999.90"))));
        at(5.1, new StepAttemptFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 1, "TimeoutException",
                "no answer within 5.0 s"));
        at(5.15, new StepRetryScheduledEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 2, 1040));
        at(6.2, new StepAttemptFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 2,
                "ServiceUnavailableException", "inventory.reserve is unavailable"));
        at(6.25, new StepRetryScheduledEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 3, 1980));
        at(8.3, new StockReservedEvent("LAPTOP-15", ORDER, 1));
        at(8.4, new PaymentChargedEvent("p-1", ORDER, new BigDecimal("999.90"), "EUR", "SIM-1"));
        at(8.5, new ShipmentScheduledEvent("s-1", ORDER, "SimCarrier", "SIM123"));
        at(8.6, new EmailSentEvent("n-1", ORDER, "m-1"));
        at(8.7, new StepAttemptFailedEvent(ORDER, OrderStep.SEND_SMS, null, 1, "ServiceUnavailableException",
                "notification.sms is unavailable"));
        at(8.75, new StepRetryScheduledEvent(ORDER, OrderStep.SEND_SMS, null, 2, 1000));
        at(9.8, new StepAttemptFailedEvent(ORDER, OrderStep.SEND_SMS, null, 2, "ServiceUnavailableException",
                "notification.sms is unavailable"));
        at(9.85, new StepRetryScheduledEvent(ORDER, OrderStep.SEND_SMS, null, 3, 2000));
        at(11.9, new StepAttemptFailedEvent(ORDER, OrderStep.SEND_SMS, null, 3, "ServiceUnavailableException",
                "notification.sms is unavailable"));
        at(11.95, new StepFailedEvent(ORDER, OrderStep.SEND_SMS, null, 3, "Step SEND_SMS failed after 3 attempts"));
        at(12.0, new OrderCompletedEvent(ORDER, List.of()));
        at(12.1, new StockCommittedEvent("LAPTOP-15", ORDER, 1));

        assertThat(TimelineDiagram.of(events)).isEqualTo(PARTICIPANTS + """
                    Customer->>Saga: place order (1 line, 999.90 EUR)
                    Note over Saga: OrderPlaced [+0.00 s]
                    Saga->>Inventory: reserve LAPTOP-15 x 1
                    Inventory--xSaga: attempt 1 failed: TimeoutException: no answer within 5.0 s [+5.10 s]
                    Note over Saga,Inventory: StepRetryScheduled: attempt 2 after a backoff of 1.04 s [+5.15 s]
                    Saga->>Inventory: reserve LAPTOP-15 x 1 (attempt 2)
                    Inventory--xSaga: attempt 2 failed: ServiceUnavailableException: inventory.reserve is unavailable [+6.20 s]
                    Note over Saga,Inventory: StepRetryScheduled: attempt 3 after a backoff of 1.98 s [+6.25 s]
                    Saga->>Inventory: reserve LAPTOP-15 x 1 (attempt 3)
                    Inventory-->>Saga: StockReserved: LAPTOP-15 x 1 [+8.30 s]
                    Saga->>Payment: charge 999.90 EUR
                    Payment-->>Saga: PaymentCharged: 999.90 EUR [+8.40 s]
                    Saga->>Shipping: schedule shipment
                    Shipping-->>Saga: ShipmentScheduled: SimCarrier, tracking SIM123 [+8.50 s]
                    Saga->>Notification: send confirmation e-mail
                    Notification-->>Saga: EmailSent [+8.60 s]
                    Saga->>Notification: send confirmation SMS
                    Notification--xSaga: attempt 1 failed: ServiceUnavailableException: notification.sms is unavailable [+8.70 s]
                    Note over Saga,Notification: StepRetryScheduled: attempt 2 after a backoff of 1.00 s [+8.75 s]
                    Saga->>Notification: send confirmation SMS (attempt 2)
                    Notification--xSaga: attempt 2 failed: ServiceUnavailableException: notification.sms is unavailable [+9.80 s]
                    Note over Saga,Notification: StepRetryScheduled: attempt 3 after a backoff of 2.00 s [+9.85 s]
                    Saga->>Notification: send confirmation SMS (attempt 3)
                    Notification--xSaga: attempt 3 failed: ServiceUnavailableException: notification.sms is unavailable [+11.90 s]
                    Note over Saga,Notification: StepFailed: SEND_SMS given up after 3 attempts, not critical: the order goes on [+11.95 s]
                    Saga->>Saga: complete order
                    Note over Saga: OrderCompleted [+12.00 s]
                    Saga-->>Customer: COMPLETED
                    Note over Inventory: StockCommitted: LAPTOP-15 x 1 left the warehouse [+12.10 s]
                """);
    }

    @Test
    void shadesTheCompensationAndReservesEveryLineAtOnce() {
        at(0.0, placed(null, new OrderLine("LAPTOP-15", 1, new BigDecimal("20000.00")),
                new OrderLine("MOUSE-01", 2, new BigDecimal("10.00"))));
        at(0.1, new StockReservedEvent("MOUSE-01", ORDER, 2));
        at(0.2, new StockReservedEvent("LAPTOP-15", ORDER, 1));
        at(0.3, new PaymentDeclinedEvent("p-1", ORDER, new BigDecimal("20020.00"), "EUR", "card declined"));
        at(0.4, new CompensationStartedEvent(ORDER, "Payment declined: card declined"));
        at(0.5, new StockReleasedEvent("LAPTOP-15", ORDER, 1));
        at(0.6, new StockReleasedEvent("MOUSE-01", ORDER, 2));
        at(0.7, new OrderCancelledEvent(ORDER, "Payment declined: card declined", null));

        assertThat(TimelineDiagram.of(events)).isEqualTo(PARTICIPANTS + """
                    Customer->>Saga: place order (2 lines, 20020.00 EUR)
                    Note over Saga: OrderPlaced [+0.00 s]
                    Saga->>Inventory: reserve LAPTOP-15 x 1
                    Saga->>Inventory: reserve MOUSE-01 x 2
                    Inventory-->>Saga: StockReserved: MOUSE-01 x 2 [+0.10 s]
                    Inventory-->>Saga: StockReserved: LAPTOP-15 x 1 [+0.20 s]
                    Saga->>Payment: charge 20020.00 EUR
                    Payment--xSaga: PaymentDeclined: card declined [+0.30 s]
                    rect rgb(255, 236, 236)
                    Note over Saga: CompensationStarted: Payment declined: card declined [+0.40 s]
                    Saga->>Inventory: release LAPTOP-15
                    Inventory-->>Saga: StockReleased: LAPTOP-15 x 1 [+0.50 s]
                    Saga->>Inventory: release MOUSE-01
                    Inventory-->>Saga: StockReleased: MOUSE-01 x 2 [+0.60 s]
                    Saga->>Saga: cancel order
                    Note over Saga: OrderCancelled: Payment declined: card declined [+0.70 s]
                    end
                    Saga--xCustomer: CANCELLED
                """);
    }

    @Test
    void saysWhenTheOrderIsStillUnderWay() {
        at(0.0, placed(null, new OrderLine("LAPTOP-15", 1, new BigDecimal("999.90"))));
        at(5.0, new StepAttemptFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 1,
                "ServiceUnavailableException", "down"));
        at(5.1, new StepRetryScheduledEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 2, 1000));

        assertThat(TimelineDiagram.of(events)).endsWith("""
                    Note over Saga,Inventory: StepRetryScheduled: attempt 2 after a backoff of 1.00 s [+5.10 s]
                    Note over Saga: in progress
                """);
    }

    @Test
    void notesAnOperatorsRetryAndDrawsTheAttemptItStarts() {
        at(0.0, placed(null, new OrderLine("LAPTOP-15", 1, new BigDecimal("999.90"))));
        at(0.1, new StockReservedEvent("LAPTOP-15", ORDER, 1));
        at(5.0, new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 1, "ServiceUnavailableException",
                "down"));
        at(5.1, new StepRetryScheduledEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 2, 600_000));
        at(9.0, new StepRetriedByOperatorEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 3, "alice", "PSP back"));
        at(9.2, new PaymentChargedEvent(ORDER, ORDER, new BigDecimal("999.90"), "EUR", "ch-1"));

        assertThat(TimelineDiagram.of(events)).contains("""
                    Note over Saga,Payment: Operator: StepRetriedByOperator: attempted now by alice: attempt 3, the first of a fresh set (PSP back) [+9.00 s]
                    Saga->>Payment: charge 999.90 EUR (attempt 3)
                    Payment-->>Saga: PaymentCharged: 999.90 EUR [+9.20 s]
                """);
    }

    @Test
    void shadesTheCompensationAnOperatorStarts() {
        at(0.0, placed(null, new OrderLine("LAPTOP-15", 1, new BigDecimal("999.90"))));
        at(3.0, new OrderCancellationRequestedEvent(ORDER, "alice", "the customer called"));

        assertThat(TimelineDiagram.of(events)).contains("""
                    rect rgb(255, 236, 236)
                    Note over Saga: Operator: OrderCancellationRequested: cancelled by alice (the customer called) [+3.00 s]
                """);
    }

    @Test
    void keepsEveryLabelOnOneSafeLine() {
        at(0.0, placed(null, new OrderLine("LAPTOP-15", 1, new BigDecimal("999.90"))));
        at(1.0, new OrderCancelledEvent(ORDER, "refused;\nSaga->>Customer: #59; <script>alert(1)</script> %%{init}%%", null));

        String diagram = TimelineDiagram.of(events);

        assertThat(diagram.lines().filter(line -> line.contains("OrderCancelled")).toList()).singleElement()
                .isEqualTo("    Note over Saga: OrderCancelled: refused, Saga-))Customer: no. 59, (script)alert(1)(/script)"
                        + " %(init)% [+1.00 s]");
        assertThat(diagram).doesNotContain("<script>", ";", "#", "%%");
    }

    private static OrderPlacedEvent placed(String phone, OrderLine... lines) {
        BigDecimal total = List.of(lines).stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new OrderPlacedEvent(ORDER, "c-42", List.of(lines), total, "EUR",
                new ContactDetails("ada@example.com", phone),
                new ShippingAddress("Ada Lovelace", "1 Main St", "Amsterdam", "1011AA", "NL"), "fingerprint");
    }

    private void at(double seconds, OrderScoped event) {
        events.add(new OrderHistory.Entry(PLACED.plusMillis(Math.round(seconds * 1000)), "Aggregate", "id",
                events.size(), event.getClass().getSimpleName(), JSON.valueToTree(event), event.getClass().getName()));
    }
}
