package io.ordersaga.order.saga;

import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.ordersaga.order.saga.OrderSagaTest.LAPTOP;
import static io.ordersaga.order.saga.OrderSagaTest.MOUSE;
import static io.ordersaga.order.saga.OrderSagaTest.ORDER;
import static io.ordersaga.order.saga.OrderSagaTest.PAYMENT;
import static io.ordersaga.order.saga.OrderSagaTest.TOTAL;
import static io.ordersaga.order.saga.OrderSagaTest.WITH_PHONE;
import static io.ordersaga.order.saga.OrderSagaTest.failed;
import static io.ordersaga.order.saga.OrderSagaTest.placed;
import static io.ordersaga.order.saga.OrderSagaTest.reserved;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once delivery, met head-on: after a crash a deadline can fire twice and an event can be delivered twice.
 * The saga itself, handler by handler, must then still send each step's command once.
 */
class OrderSagaRedeliveryTest {

    private final RecordingCommandBus bus = new RecordingCommandBus();
    private final CommandGateway commands = DefaultCommandGateway.builder().commandBus(bus).build();
    private final RecordingDeadlines deadlines = new RecordingDeadlines();
    private final RetryPolicies retries = OrderSagaTest.policies();
    private OrderSaga saga;

    @BeforeEach
    void placeTheOrder() {
        saga = new OrderSaga();
        saga.on(placed(WITH_PHONE), commands, deadlines, retries);
    }

    @Test
    void aReservationDeliveredTwiceChargesOnce() {
        saga.on(reserved(LAPTOP), commands, deadlines, retries);
        saga.on(reserved(MOUSE), commands, deadlines, retries);
        saga.on(reserved(MOUSE), commands, deadlines, retries);

        assertThat(sent(ChargePaymentCommand.class)).hasSize(1);
    }

    @Test
    void aChargeDeliveredTwiceSchedulesOneShipment() {
        saga.on(reserved(LAPTOP), commands, deadlines, retries);
        saga.on(reserved(MOUSE), commands, deadlines, retries);
        PaymentChargedEvent charged = new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1");
        saga.on(charged, commands, deadlines, retries);
        saga.on(charged, commands, deadlines, retries);

        assertThat(sent(ScheduleShipmentCommand.class)).hasSize(1);
    }

    @Test
    void aRetryDeadlineFiringTwiceMakesOneMoreAttempt() {
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), commands, deadlines, retries);
        OrderSaga.StepDeadline due = new OrderSaga.StepDeadline(OrderStep.RESERVE_STOCK, "MOUSE-01", 2);

        saga.onRetryDue(due, commands, deadlines, retries);
        saga.onRetryDue(due, commands, deadlines, retries);

        assertThat(sent(ReserveStockCommand.class))
                .filteredOn(reserve -> reserve.sku().equals("MOUSE-01")).hasSize(2); // the first attempt and one retry
    }

    @Test
    void anAnswerDeadlineFiringTwiceReportsTheAttemptOnce() {
        OrderSaga.StepDeadline overdue = new OrderSaga.StepDeadline(OrderStep.RESERVE_STOCK, "MOUSE-01", 1);

        saga.onAnswerOverdue(overdue, commands, deadlines, retries);
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), commands, deadlines, retries);
        saga.onAnswerOverdue(overdue, commands, deadlines, retries);

        assertThat(sent(RecordStepFailureCommand.class)).hasSize(1);
    }

    @Test
    void aFailureReportedTwiceSchedulesOneRetry() {
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), commands, deadlines, retries);
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), commands, deadlines, retries);

        assertThat(deadlines.scheduled).filteredOn(name -> name.equals("step-retry-due")).hasSize(1);
    }

    private <T> List<T> sent(Class<T> type) {
        return bus.getDispatchedCommands().stream()
                .map(CommandMessage::getPayload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** Records the names of scheduled deadlines; outside a running saga there is no scope to schedule them in. */
    static final class RecordingDeadlines implements DeadlineManager {

        final List<String> scheduled = new ArrayList<>();

        @Override
        public String schedule(Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                               ScopeDescriptor deadlineScope) {
            scheduled.add(deadlineName);
            return deadlineName + "-" + scheduled.size();
        }

        @Override
        public String schedule(Duration triggerDuration, String deadlineName, Object messageOrPayload) {
            return schedule(Instant.now().plus(triggerDuration), deadlineName, messageOrPayload, null);
        }

        @Override
        public void cancelSchedule(String deadlineName, String scheduleId) {
        }

        @Override
        public void cancelAll(String deadlineName) {
        }

        @Override
        public void cancelAllWithinScope(String deadlineName, ScopeDescriptor scope) {
        }

        @Override
        public void cancelAllWithinScope(String deadlineName) {
        }

        @Override
        public Registration registerDispatchInterceptor(
                MessageDispatchInterceptor<? super DeadlineMessage<?>> interceptor) {
            return () -> true;
        }

        @Override
        public Registration registerHandlerInterceptor(
                MessageHandlerInterceptor<? super DeadlineMessage<?>> interceptor) {
            return () -> true;
        }
    }
}
