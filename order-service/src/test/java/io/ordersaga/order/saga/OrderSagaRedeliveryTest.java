package io.ordersaga.order.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.platform.axon.AxonPlatformAutoConfiguration;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import static io.ordersaga.order.saga.OrderSagaTest.retryRecorded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once delivery, met head-on: after a crash an alarm can go off twice and an event can be delivered twice.
 * The saga itself, handler by handler, must then still send each step's command once — and a saga stored by the
 * previous version must go on where it stopped.
 */
class OrderSagaRedeliveryTest {

    private final RecordingCommandBus bus = new RecordingCommandBus();
    private final CommandGateway commands = DefaultCommandGateway.builder().commandBus(bus).build();
    private final RecordingAlarms alarms = new RecordingAlarms();
    private final MovableClock clock = new MovableClock();
    private final StepRunner runner = new StepRunner(new InlineStepCommands(commands), alarms,
            OrderSagaTest.policies(), clock);
    private OrderSaga saga;

    @BeforeEach
    void placeTheOrder() {
        saga = new OrderSaga();
        saga.on(placed(WITH_PHONE), clock.instant(), runner);
    }

    @Test
    void aReservationDeliveredTwiceChargesOnce() {
        saga.on(reserved(LAPTOP), runner);
        saga.on(reserved(MOUSE), runner);
        saga.on(reserved(MOUSE), runner);

        assertThat(sent(ChargePaymentCommand.class)).hasSize(1);
    }

    @Test
    void aChargeDeliveredTwiceSchedulesOneShipment() {
        saga.on(reserved(LAPTOP), runner);
        saga.on(reserved(MOUSE), runner);
        PaymentChargedEvent charged = new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1");
        saga.on(charged, runner);
        saga.on(charged, runner);

        assertThat(sent(ScheduleShipmentCommand.class)).hasSize(1);
    }

    @Test
    void aFailureReportedTwiceDecidesOneRetry() {
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), runner);
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), runner);

        assertThat(sent(RecordStepRetryCommand.class)).hasSize(1);
    }

    @Test
    void anAlarmGoingOffTwiceMakesOneMoreAttempt() {
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), runner);
        saga.on(retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000), runner);
        clock.advance(Duration.ofSeconds(1));
        SagaAlarmEvent alarm = alarms.last();

        saga.on(alarm, runner);
        saga.on(alarm, runner);

        assertThat(sent(ReserveStockCommand.class))
                .filteredOn(reserve -> reserve.sku().equals("MOUSE-01")).hasSize(2); // the first attempt and one retry
    }

    @Test
    void aRetryRecordedTwiceWaitsOneBackoff() {
        saga.on(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1), runner);
        saga.on(retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000), runner);
        int alarmsSet = alarms.scheduled.size();
        clock.advance(Duration.ofMillis(500));

        saga.on(retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000), runner);

        assertThat(alarms.scheduled).hasSize(alarmsSet);
    }

    @Test
    void anOrderInAFastPathSetsOneAlarmAndCancelsItWhenItEnds() {
        saga.on(reserved(LAPTOP), runner);
        saga.on(reserved(MOUSE), runner);
        saga.on(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"), runner);
        saga.on(new io.ordersaga.contracts.order.OrderCompletedEvent(ORDER, List.of(LAPTOP, MOUSE)), runner);

        assertThat(alarms.scheduled).hasSize(1);
        assertThat(alarms.cancelled).hasSize(1);
    }

    /** A saga as version 0.1 stored it: in a backoff before its second attempt to charge, watched by an Axon deadline. */
    @Test
    void aSagaStoredByVersion01GoesOnWhenItsDeadlineGoesOff() throws Exception {
        ObjectMapper json = new AxonPlatformAutoConfiguration().defaultAxonObjectMapper();
        OrderSaga stored = json.readValue("""
                {"orderId":"%s","customerId":"c-42","items":[{"sku":"MOUSE-01","quantity":1,"unitPrice":19.99}],
                 "total":19.99,"currency":"EUR","contact":{"email":"ada@example.com","phone":"+31612345678"},
                 "shippingAddress":{"name":"Ada Lovelace","street":"1 Main St","city":"Amsterdam",
                                    "postalCode":"1011AA","country":"NL"},
                 "trackingNumber":null,"lines":{"MOUSE-01":"RESERVED"},
                 "steps":{"CHARGE_PAYMENT":{"step":"CHARGE_PAYMENT","target":null,"attempt":2,"phase":"BACKING_OFF",
                                            "deadlineId":"c5f34438-e1b7-43a0-b8ed-eaed04d0a32a","reason":null}},
                 "failure":null,"unfinishedCompensation":null,"firstUndo":null}""".formatted(ORDER),
                OrderSaga.class);
        bus.clearCommands();

        stored.onRetryDueOfVersion01(new OrderSaga.StepDeadline(OrderStep.CHARGE_PAYMENT, null, 3), runner);

        assertThat(sent(ChargePaymentCommand.class)).containsExactly(
                new ChargePaymentCommand(PAYMENT, ORDER, "c-42", new java.math.BigDecimal("19.99"), "EUR"));
        assertThat(alarms.scheduled).isNotEmpty(); // from now on its own alarm watches it
        String restored = json.writeValueAsString(stored);
        assertThat(json.readTree(restored).has("attempts")).isTrue();
        assertThat(json.readTree(restored).has("steps")).as("the old field is not written again").isFalse();
        OrderSaga again = json.readValue(restored, OrderSaga.class);
        again.on(new PaymentChargedEvent(PAYMENT, ORDER, new java.math.BigDecimal("19.99"), "EUR", "ch-1"), runner);
        assertThat(sent(ScheduleShipmentCommand.class)).hasSize(1);
    }

    /**
     * A saga as the version before the operator's actions stored it: in a backoff before its third attempt to charge,
     * its attempts without the count of those before an operator's retry. It reads back, and an operator's retry
     * attempts the charge at once and counts the attempts afresh.
     */
    @Test
    void aSagaStoredBeforeTheOperatorsActionsTakesAnOperatorsRetry() throws Exception {
        ObjectMapper json = new AxonPlatformAutoConfiguration().defaultAxonObjectMapper();
        OrderSaga stored = json.readValue("""
                {"orderId":"%s","customerId":"c-42","items":[{"sku":"MOUSE-01","quantity":1,"unitPrice":19.99}],
                 "total":19.99,"currency":"EUR","contact":{"email":"ada@example.com","phone":"+31612345678"},
                 "shippingAddress":{"name":"Ada Lovelace","street":"1 Main St","city":"Amsterdam",
                                    "postalCode":"1011AA","country":"NL"},
                 "trackingNumber":null,"lines":{"MOUSE-01":"RESERVED"},
                 "attempts":{"orderId":"%s","placedAt":"2026-11-24T10:00:00Z",
                             "steps":{"CHARGE_PAYMENT":{"step":"CHARGE_PAYMENT","target":null,"attempt":2,
                                      "phase":"BACKING_OFF","dueAt":"2099-01-01T00:00:00Z","asked":0,
                                      "backoff":null,"reason":null,"waits":0}},
                             "alarm":{"number":3,"at":"2099-01-01T00:00:00Z","id":"alarm-3"},"alarmsSet":3},
                 "failure":null,"unfinishedCompensation":null,"firstUndo":null}""".formatted(ORDER, ORDER),
                OrderSaga.class);
        bus.clearCommands();

        stored.on(new StepRetriedByOperatorEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 4, "alice", null), runner);
        assertThat(sent(ChargePaymentCommand.class)).hasSize(1);
        OrderSaga again = json.readValue(json.writeValueAsString(stored), OrderSaga.class);
        again.on(failed(OrderStep.CHARGE_PAYMENT, null, 4), runner);

        assertThat(sent(RecordStepRetryCommand.class)).as("the fresh set's first attempt failed: retried")
                .containsExactly(new RecordStepRetryCommand(ORDER, OrderStep.CHARGE_PAYMENT, null, 5, 1000));
    }

    private <T> List<T> sent(Class<T> type) {
        return bus.getDispatchedCommands().stream()
                .map(CommandMessage::getPayload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** Records the alarms set and cancelled. */
    static final class RecordingAlarms implements SagaAlarms {

        final List<SagaAlarmEvent> scheduled = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();

        @Override
        public String schedule(Instant at, SagaAlarmEvent event) {
            scheduled.add(event);
            return "alarm-" + scheduled.size();
        }

        @Override
        public void cancel(String id) {
            cancelled.add(id);
        }

        @Override
        public void wakeNow(SagaAlarmEvent event) {
            scheduled.add(event);
        }

        SagaAlarmEvent last() {
            return scheduled.get(scheduled.size() - 1);
        }
    }

    static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-11-25T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
