package io.ordersaga.order.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.OrderCancellationRequestedEvent;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.order.StepSkippedByOperatorEvent;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.order.events.OrderEvents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where an order is, as the order list shows it: status, the step the saga works on, the latest failure. */
class OrderSummaryTest {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final String ORDER = "7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a";
    private static final Instant PLACED = Instant.parse("2026-11-24T10:00:00Z");
    private static final BigDecimal PRICE = new BigDecimal("10.00");

    private OrderSummary order(boolean sms, String... skus) {
        List<OrderLine> lines = List.of(skus).stream().map(sku -> new OrderLine(sku, 1, PRICE)).toList();
        return new OrderSummary(ORDER, "c-42", lines, PRICE.multiply(BigDecimal.valueOf(skus.length)), "EUR", sms,
                PLACED);
    }

    @Test
    void followsTheSagaAlongTheWayItGoes() {
        OrderSummary order = order(true, "LAPTOP-15", "MOUSE-01");
        assertThat(order.getStep()).isEqualTo(OrderStep.RESERVE_STOCK);

        record(order, 1, new StockReservedEvent("MOUSE-01", ORDER, 1));
        assertThat(order.getStep()).as("one line still to reserve").isEqualTo(OrderStep.RESERVE_STOCK);
        record(order, 2, new StockReservedEvent("LAPTOP-15", ORDER, 1));
        assertThat(order.getStep()).isEqualTo(OrderStep.CHARGE_PAYMENT);
        record(order, 3, new PaymentChargedEvent("p", ORDER, PRICE, "EUR", "ref"));
        assertThat(order.getStatus()).isEqualTo(OrderStatus.PAID);
        assertThat(order.getStep()).isEqualTo(OrderStep.SCHEDULE_SHIPMENT);
        record(order, 4, new ShipmentScheduledEvent("s", ORDER, "SimCarrier", "T1"));
        assertThat(order.getStatus()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(order.getStep()).isEqualTo(OrderStep.SEND_EMAIL);
        record(order, 5, new EmailSentEvent("n", ORDER, "m"));
        assertThat(order.getStep()).isEqualTo(OrderStep.SEND_SMS);
        record(order, 6, new NotificationFailedEvent("n", ORDER, Channel.SMS, "invalid number"));
        assertThat(order.getStep()).as("a refused SMS does not stop the order").isEqualTo(OrderStep.COMPLETE_ORDER);
        assertThat(order.getLastFailure()).isEqualTo("SEND_SMS refused: invalid number");
        record(order, 7, new OrderCompletedEvent(ORDER, List.of()));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(order.getStep()).isNull();
        assertThat(order.getLastEvent()).isEqualTo("OrderCompletedEvent");
        assertThat(order.getUpdatedAt()).isEqualTo(PLACED.plusSeconds(7));
    }

    @Test
    void withoutAPhoneTheOrderCompletesAfterTheEmail() {
        OrderSummary order = order(false, "LAPTOP-15");

        record(order, 1, new EmailSentEvent("n", ORDER, "m"));

        assertThat(order.getStep()).isEqualTo(OrderStep.COMPLETE_ORDER);
    }

    @Test
    void showsTheStepThatFailsAndItsLatestFailure() {
        OrderSummary order = order(true, "LAPTOP-15");

        record(order, 5, new StepAttemptFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 1,
                "ServiceUnavailableException", "inventory is down"));
        record(order, 6, new StepRetryScheduledEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 2, 1000));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.getStep()).isEqualTo(OrderStep.RESERVE_STOCK);
        assertThat(order.getLastFailure())
                .isEqualTo("RESERVE_STOCK LAPTOP-15 attempt 1 failed: ServiceUnavailableException: inventory is down");
        assertThat(order.getLastFailureAt()).isEqualTo(PLACED.plusSeconds(5));
        assertThat(order.getLastEvent()).isEqualTo("StepRetryScheduledEvent");
    }

    @Test
    void aRefusalLeadsToCompensationAndCancellation() {
        OrderSummary order = order(true, "LAPTOP-15");

        record(order, 1, new StockReservationRejectedEvent("LAPTOP-15", ORDER, 1, 0, "out of stock"));
        assertThat(order.getStep()).isEqualTo(OrderStep.START_COMPENSATION);
        record(order, 2, new CompensationStartedEvent(ORDER, "out of stock"));
        assertThat(order.getStatus()).isEqualTo(OrderStatus.COMPENSATING);
        record(order, 3, new OrderCancelledEvent(ORDER, "out of stock", null));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.getReason()).isEqualTo("out of stock");
        assertThat(order.getStep()).isNull();
    }

    @Test
    void anEndedOrderStaysAsItEnded() {
        OrderSummary order = order(true, "LAPTOP-15");
        record(order, 1, new OrderCompletedEvent(ORDER, List.of()));

        record(order, 2, new StepFailedEvent(ORDER, OrderStep.SEND_SMS, null, 3, "late"));
        record(order, 3, new OrderCancelledEvent(ORDER, "too late", null));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(order.getReason()).isNull();
        assertThat(order.getUpdatedAt()).isEqualTo(PLACED.plusSeconds(1));
    }

    @Test
    void showsWhereTheAttemptsOfAStepInBackoffAreAndCountsThemAfreshAfterAnOperatorsRetry() {
        OrderSummary order = order(true, "LAPTOP-15");
        record(order, 1, new StockReservedEvent("LAPTOP-15", ORDER, 1));
        record(order, 2, new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 1, "Unavailable", "down"));
        record(order, 2, new StepRetryScheduledEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 2, 600_000));
        order.nextAttemptDue(PLACED.plusSeconds(602));

        OrderView held = OrderView.of(order, step -> 5);
        assertThat(held.retry()).isEqualTo(new OrderView.Retry(OrderStep.CHARGE_PAYMENT, null, 2, 2, 5, 3,
                PLACED.plusSeconds(602)));

        record(order, 10, new StepRetriedByOperatorEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 3, "alice", null));
        assertThat(OrderView.of(order, step -> 5).retry()).isEqualTo(new OrderView.Retry(OrderStep.CHARGE_PAYMENT,
                null, 3, 1, 5, 4, PLACED.plusSeconds(10)));
        assertThat(order.getStep()).isEqualTo(OrderStep.CHARGE_PAYMENT);

        record(order, 11, new PaymentChargedEvent("p", ORDER, PRICE, "EUR", "ref"));
        assertThat(OrderView.of(order, step -> 5).retry()).as("answered: no retry under way").isNull();
    }

    @Test
    void anOperatorsCancellationStartsTheCompensationAndASkippedSmsLetsTheOrderGoOn() {
        OrderSummary cancelled = order(true, "LAPTOP-15");
        record(cancelled, 1, new OrderCancellationRequestedEvent(ORDER, "alice", "the customer called"));
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.COMPENSATING);
        assertThat(cancelled.getLastEvent()).isEqualTo("OrderCancellationRequestedEvent");

        OrderSummary skipped = order(true, "LAPTOP-15");
        record(skipped, 1, new StepAttemptFailedEvent(ORDER, OrderStep.SEND_SMS, null, 1, "Unavailable", "down"));
        record(skipped, 2, new StepSkippedByOperatorEvent(ORDER, OrderStep.SEND_SMS, null, "bob", null));
        assertThat(skipped.getStep()).isEqualTo(OrderStep.COMPLETE_ORDER);
        assertThat(OrderView.of(skipped).retry()).isNull();
    }

    @Test
    void aCompletionGivenUpWaitsForAnOperatorAtThatStep() {
        OrderSummary order = order(false, "LAPTOP-15");
        record(order, 1, new EmailSentEvent("n", ORDER, "m"));

        record(order, 2, new StepFailedEvent(ORDER, OrderStep.COMPLETE_ORDER, null, 5, "no answer"));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.PLACED);
        assertThat(order.getStep()).as("not compensated: it waits for an operator's retry of the completion")
                .isEqualTo(OrderStep.COMPLETE_ORDER);
    }

    private static void record(OrderSummary order, int second, OrderScoped event) {
        order.record(OrderEvents.of(event.getClass().getName(), JSON.valueToTree(event)), PLACED.plusSeconds(second));
    }
}
