package io.ordersaga.order.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ordersaga.contracts.inventory.StockCommittedEvent;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import io.ordersaga.order.events.OrderEvents.Meaning;
import io.ordersaga.order.events.OrderEvents.Outcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the audit log, the timeline and the order list read each kind of event. */
class OrderEventsTest {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final String ORDER = "7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a";

    @Test
    void anOrderPlacedIsThePlacementWithItsLinesAndTotal() {
        Meaning placed = meaning(new OrderPlacedEvent(ORDER, "c-42",
                List.of(new OrderLine("LAPTOP-15", 2, new BigDecimal("999.90"))), new BigDecimal("1999.8"), "EUR",
                new ContactDetails("ada@example.com", "+31612345678"),
                new ShippingAddress("Ada", "1 Main St", "Amsterdam", "1011AA", "NL"), "f"));

        assertThat(placed).isEqualTo(new Meaning("OrderPlacedEvent", "order", null, null, null, Outcome.PLACED,
                "1 line, 1999.80 EUR"));
        assertThat(placed.detail()).doesNotContain("ada", "+316", "Main St");
    }

    @Test
    void aServiceAnswerNamesItsServiceStepAndTarget() {
        assertThat(meaning(new StockReservedEvent("LAPTOP-15", ORDER, 2))).isEqualTo(new Meaning(
                "StockReservedEvent", "inventory", OrderStep.RESERVE_STOCK, "LAPTOP-15", null, Outcome.SUCCEEDED,
                "LAPTOP-15 x 2"));
        assertThat(meaning(new StockReservationRejectedEvent("MOUSE-01", ORDER, 5, 1, "only 1 available")))
                .extracting(Meaning::step, Meaning::outcome, Meaning::detail)
                .containsExactly(OrderStep.RESERVE_STOCK, Outcome.REJECTED, "only 1 available");
        assertThat(meaning(new PaymentChargedEvent("p", ORDER, new BigDecimal("12.5"), "EUR", "ref")))
                .extracting(Meaning::service, Meaning::step, Meaning::detail)
                .containsExactly("payment", OrderStep.CHARGE_PAYMENT, "12.50 EUR");
        assertThat(meaning(new NotificationFailedEvent("n", ORDER, Channel.SMS, "invalid number")))
                .extracting(Meaning::service, Meaning::step, Meaning::outcome)
                .containsExactly("notification", OrderStep.SEND_SMS, Outcome.REJECTED);
    }

    @Test
    void failuresRetriesAndGivingUpCarryTheirStepAndAttempt() {
        assertThat(meaning(new StepAttemptFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "LAPTOP-15", 1,
                "TimeoutException", "no answer within 5.0 s"))).isEqualTo(new Meaning("StepAttemptFailedEvent",
                "order", OrderStep.RESERVE_STOCK, "LAPTOP-15", 1, Outcome.ATTEMPT_FAILED,
                "TimeoutException: no answer within 5.0 s"));
        assertThat(meaning(new StepRetryScheduledEvent(ORDER, OrderStep.SEND_SMS, null, 3, 2047)))
                .extracting(Meaning::step, Meaning::attempt, Meaning::outcome, Meaning::detail)
                .containsExactly(OrderStep.SEND_SMS, 3, Outcome.RETRY_SCHEDULED, "attempt 3 in 2.05 s");
        assertThat(meaning(new StepFailedEvent(ORDER, OrderStep.SEND_SMS, null, 3, "gateway down")))
                .extracting(Meaning::step, Meaning::attempt, Meaning::outcome)
                .containsExactly(OrderStep.SEND_SMS, 3, Outcome.GIVEN_UP);
    }

    @Test
    void whatAnswersNoStepIsRecordedOnly() {
        assertThat(meaning(new StockCommittedEvent("LAPTOP-15", ORDER, 2)))
                .extracting(Meaning::step, Meaning::outcome).containsExactly(null, Outcome.RECORDED);
        assertThat(OrderEvents.of("com.example.SomethingNewEvent", JSON.createObjectNode()))
                .extracting(Meaning::service, Meaning::outcome).containsExactly("other", Outcome.RECORDED);
    }

    @Test
    void aStepThisVersionDoesNotKnowIsNoStep() {
        JsonNode future = JSON.createObjectNode().put("orderId", ORDER).put("step", "TELEPORT").put("attempt", 1)
                .put("error", "X");

        assertThat(OrderEvents.of(StepAttemptFailedEvent.class.getName(), future).step()).isNull();
    }

    @Test
    void keepsDetailsShort() {
        Meaning cancelled = meaning(new OrderCancelledEvent(ORDER, "x".repeat(5000), null));

        assertThat(cancelled.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(cancelled.detail()).hasSize(1001);
    }

    private static Meaning meaning(Object event) {
        return OrderEvents.of(event.getClass().getName(), JSON.valueToTree(event));
    }
}
