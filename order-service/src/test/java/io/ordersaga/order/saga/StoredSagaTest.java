package io.ordersaga.order.saga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentCancelledEvent;
import io.ordersaga.platform.axon.AxonPlatformAutoConfiguration;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

import static io.ordersaga.order.saga.OrderSagaTest.CONFIRMATION;
import static io.ordersaga.order.saga.OrderSagaTest.LAPTOP;
import static io.ordersaga.order.saga.OrderSagaTest.MOUSE;
import static io.ordersaga.order.saga.OrderSagaTest.NOTIFICATION;
import static io.ordersaga.order.saga.OrderSagaTest.ORDER;
import static io.ordersaga.order.saga.OrderSagaTest.PAYMENT;
import static io.ordersaga.order.saga.OrderSagaTest.SHIPMENT;
import static io.ordersaga.order.saga.OrderSagaTest.TOTAL;
import static io.ordersaga.order.saga.OrderSagaTest.charge;
import static io.ordersaga.order.saga.OrderSagaTest.reserved;
import static io.ordersaga.order.saga.OrderSagaTest.shipment;
import static io.ordersaga.order.saga.OrderSagaTest.shipped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sagas as the version before the saga was split from its machinery stored them (commit 19268d7, the JSON of the
 * {@code saga_entry} table's {@code serialized_saga}, in {@code src/test/resources/stored-sagas/}): the current code
 * reads each one, writes it back in the same shape, and takes it to its end from where it stopped.
 */
class StoredSagaTest {

    private final ObjectMapper json = new AxonPlatformAutoConfiguration().defaultAxonObjectMapper();
    private final RecordingCommandBus bus = new RecordingCommandBus();
    private final OrderSagaRedeliveryTest.MovableClock clock = new OrderSagaRedeliveryTest.MovableClock();
    private final OrderSagaRedeliveryTest.RecordingAlarms alarms = new OrderSagaRedeliveryTest.RecordingAlarms();
    private final StepRunner runner = new StepRunner(
            new InlineStepCommands(DefaultCommandGateway.builder().commandBus(bus).build()), alarms,
            OrderSagaTest.policies(), clock);

    @ParameterizedTest
    @ValueSource(strings = {"reservation-backing-off", "payment-declined-compensation-starting", "shipment-giving-up",
            "refund-under-way", "stock-release-half-done", "sms-under-way"})
    void isReadAndWrittenBackInTheSameShape(String name) throws IOException {
        JsonNode stored = json.readTree(resource(name));

        OrderSaga saga = json.readValue(resource(name), OrderSaga.class);

        assertThat(json.readTree(json.writeValueAsString(saga))).as(name).isEqualTo(stored);
    }

    @Test
    void aReservationInItsBackoffIsAttemptedAgainAndTheOrderCompletes() throws IOException {
        OrderSaga saga = stored("reservation-backing-off");
        clock.advance(Duration.ofSeconds(2));

        saga.on(new SagaAlarmEvent(ORDER, 3), runner);
        saga.on(reserved(MOUSE), runner);
        saga.on(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"), runner);
        saga.on(shipped(), runner);
        saga.on(new EmailSentEvent(NOTIFICATION, ORDER, "msg-1"), runner);
        saga.on(new SmsSentEvent(NOTIFICATION, ORDER, "sms-1"), runner);

        assertThat(sent()).containsExactly(new ReserveStockCommand("MOUSE-01", ORDER, 1), charge(), shipment(),
                new SendEmailCommand(NOTIFICATION, ORDER, "ada@example.com", CONFIRMATION),
                new SendSmsCommand(NOTIFICATION, ORDER, "+31612345678", CONFIRMATION), new CompleteOrderCommand(ORDER));
    }

    @Test
    void aDeclinedPaymentWhoseCompensationWasStartingReleasesTheStockAndCancels() throws IOException {
        OrderSaga saga = stored("payment-declined-compensation-starting");

        saga.on(new CompensationStartedEvent(ORDER, "Payment declined: card declined"), runner);
        saga.on(new StockReleasedEvent("LAPTOP-15", ORDER, 2), runner);
        saga.on(new StockReleasedEvent("MOUSE-01", ORDER, 1), runner);

        assertThat(sent()).containsExactly(new ReleaseStockCommand("LAPTOP-15", ORDER),
                new ReleaseStockCommand("MOUSE-01", ORDER),
                new CancelOrderCommand(ORDER, "Payment declined: card declined"));
    }

    @Test
    void aShipmentBeingGivenUpIsCancelledRefundedAndReleased() throws IOException {
        OrderSaga saga = stored("shipment-giving-up");
        String reason = "Step SCHEDULE_SHIPMENT failed after 3 attempts: ServiceUnavailable: down";

        saga.on(new StepFailedEvent(ORDER, OrderStep.SCHEDULE_SHIPMENT, null, 3, reason), runner);
        saga.on(new CompensationStartedEvent(ORDER, reason), runner);
        saga.on(new ShipmentCancelledEvent(SHIPMENT, ORDER, false), runner);
        saga.on(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "re-1"), runner);
        saga.on(new StockReleasedEvent("LAPTOP-15", ORDER, 2), runner);
        saga.on(new StockReleasedEvent("MOUSE-01", ORDER, 1), runner);

        assertThat(sent()).containsExactly(new StartCompensationCommand(ORDER, reason),
                new CancelShipmentCommand(SHIPMENT, ORDER, reason), new RefundPaymentCommand(PAYMENT, ORDER, reason),
                new ReleaseStockCommand("LAPTOP-15", ORDER), new ReleaseStockCommand("MOUSE-01", ORDER),
                new CancelOrderCommand(ORDER, reason));
    }

    @Test
    void aRefundUnderWayGoesOnToReleaseTheStock() throws IOException {
        OrderSaga saga = stored("refund-under-way");
        String reason = "Step SCHEDULE_SHIPMENT failed after 3 attempts: ServiceUnavailable: down";

        saga.on(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "re-1"), runner);
        saga.on(new StockReleasedEvent("LAPTOP-15", ORDER, 2), runner);
        saga.on(new StockReleasedEvent("MOUSE-01", ORDER, 1), runner);

        assertThat(sent()).containsExactly(new ReleaseStockCommand("LAPTOP-15", ORDER),
                new ReleaseStockCommand("MOUSE-01", ORDER), new CancelOrderCommand(ORDER, reason));
    }

    @Test
    void aReleaseHalfDoneCancelsOnceTheOtherLineIsReleased() throws IOException {
        OrderSaga saga = stored("stock-release-half-done");

        saga.on(new StockReleasedEvent("LAPTOP-15", ORDER, 2), runner); // its answer came before: nothing more
        saga.on(new StockReleasedEvent("MOUSE-01", ORDER, 1), runner);

        assertThat(sent()).containsExactly(new CancelOrderCommand(ORDER, "Payment declined: card declined"));
    }

    @Test
    void anSmsUnderWayThatFailsStillCompletesTheOrder() throws IOException {
        OrderSaga saga = stored("sms-under-way");

        saga.on(new NotificationFailedEvent(NOTIFICATION, ORDER, Channel.SMS, "gateway down"), runner);

        assertThat(sent()).containsExactly(new CompleteOrderCommand(ORDER));
    }

    private OrderSaga stored(String name) throws IOException {
        return json.readValue(resource(name), OrderSaga.class);
    }

    private InputStream resource(String name) {
        return getClass().getResourceAsStream("/stored-sagas/" + name + ".json");
    }

    private List<Object> sent() {
        return bus.getDispatchedCommands().stream().map(CommandMessage::getPayload).map(Object.class::cast).toList();
    }
}
