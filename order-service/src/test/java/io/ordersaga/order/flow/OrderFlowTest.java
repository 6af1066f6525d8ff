package io.ordersaga.order.flow;

import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.flow.OrderFlow.WhenGivenUp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ordersaga.contracts.order.OrderStep.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The diagram, as the saga, the Order aggregate, the order summary and the timeline read it. */
class OrderFlowTest {

    @Test
    void describesEveryStep() {
        for (OrderStep step : OrderStep.values()) {
            assertThat(OrderFlow.of(step)).as(step.name()).isNotNull();
            assertThat(OrderFlow.service(step)).as(step.name())
                    .isIn("order", "inventory", "payment", "shipping", "notification");
        }
    }

    @Test
    void goesForwardFromTheReservationToTheCompletion() {
        assertThat(walk(RESERVE_STOCK, true)).containsExactly(RESERVE_STOCK, CHARGE_PAYMENT, SCHEDULE_SHIPMENT,
                SEND_EMAIL, SEND_SMS, COMPLETE_ORDER);
        assertThat(walk(RESERVE_STOCK, false)).as("no phone number, no SMS").containsExactly(RESERVE_STOCK,
                CHARGE_PAYMENT, SCHEDULE_SHIPMENT, SEND_EMAIL, COMPLETE_ORDER);
    }

    @Test
    void undoesInReverseOrderOfWhatWasDoneThenCancels() {
        assertThat(walk(OrderFlow.undoOf(SCHEDULE_SHIPMENT), true))
                .containsExactly(CANCEL_SHIPMENT, REFUND_PAYMENT, RELEASE_STOCK, CANCEL_ORDER);
        assertThat(OrderFlow.undoOf(CHARGE_PAYMENT)).isEqualTo(REFUND_PAYMENT);
        assertThat(OrderFlow.undoOf(RESERVE_STOCK)).isEqualTo(RELEASE_STOCK);
        assertThat(OrderFlow.undoOf(SEND_EMAIL)).as("a message cannot be taken back").isNull();
    }

    @Test
    void aRefusedStepHasWhatCameBeforeItUndone() {
        assertThat(OrderFlow.undoOf(OrderFlow.before(CHARGE_PAYMENT))).isEqualTo(RELEASE_STOCK);
        assertThat(OrderFlow.undoOf(OrderFlow.before(SCHEDULE_SHIPMENT))).isEqualTo(REFUND_PAYMENT);
        assertThatThrownBy(() -> OrderFlow.before(RESERVE_STOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheNotificationsNeverFailTheOrder() {
        assertThat(List.of(OrderStep.values())).filteredOn(step -> OrderFlow.whenGivenUp(step) == WhenGivenUp.GO_ON)
                .containsExactly(SEND_EMAIL, SEND_SMS);
        assertThat(List.of(OrderStep.values()))
                .filteredOn(step -> OrderFlow.whenGivenUp(step) == WhenGivenUp.WAIT_FOR_AN_OPERATOR)
                .containsExactly(COMPLETE_ORDER, START_COMPENSATION, CANCEL_ORDER);
    }

    @Test
    void keysAStepByItsTarget() {
        assertThat(OrderFlow.key(RESERVE_STOCK, "LAPTOP-15")).isEqualTo("RESERVE_STOCK:LAPTOP-15");
        assertThat(OrderFlow.key(CHARGE_PAYMENT, null)).isEqualTo("CHARGE_PAYMENT");
    }

    private static List<OrderStep> walk(OrderStep from, boolean sms) {
        List<OrderStep> steps = new ArrayList<>();
        for (OrderStep step = from; step != null; step = OrderFlow.next(step, sms)) {
            steps.add(step);
        }
        return steps;
    }
}
