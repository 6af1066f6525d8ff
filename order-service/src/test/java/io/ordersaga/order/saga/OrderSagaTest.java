package io.ordersaga.order.saga;

import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.NotificationIds;
import io.ordersaga.contracts.notification.OrderConfirmation;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailedCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentCancelledEvent;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentIds;
import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Every branch of the saga: the happy path, each compensation, notifications that fail, and attempts that fail
 * without an answer — retried after the policy's backoff (recorded first), given up when it runs out (recorded first),
 * asked for again by the saga's alarm when the answer is overdue and nothing was reported.
 */
class OrderSagaTest {

    static final String ORDER = "8f1e3c4a-0000-4000-8000-000000000001";
    static final String PAYMENT = PaymentIds.forOrder(ORDER);
    static final String SHIPMENT = ShipmentIds.forOrder(ORDER);
    static final String NOTIFICATION = NotificationIds.forOrder(ORDER);
    static final OrderLine LAPTOP = new OrderLine("LAPTOP-15", 2, new BigDecimal("999.90"));
    static final OrderLine MOUSE = new OrderLine("MOUSE-01", 1, new BigDecimal("19.99"));
    static final BigDecimal TOTAL = new BigDecimal("2019.79");
    static final ShippingAddress ADDRESS = new ShippingAddress("Ada Lovelace", "1 Main St", "Amsterdam", "1011AA", "NL");
    static final ContactDetails WITH_PHONE = new ContactDetails("ada@example.com", "+31612345678");
    static final ContactDetails WITHOUT_PHONE = new ContactDetails("ada@example.com", null);
    static final OrderConfirmation CONFIRMATION = new OrderConfirmation(TOTAL, "EUR", "TRACK-1");
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ANSWER_DEADLINE = Duration.ofSeconds(10);
    static final int MAX_ATTEMPTS = 3;

    private SagaTestFixture<OrderSaga> fixture;
    private InlineStepCommands stepCommands;

    /** Every step: 1 s, 2 s, 4 s ... without jitter, 3 attempts; an IllegalArgumentException is not retried. */
    static RetryPolicies policies() {
        Map<OrderStep, RetryPolicies.Policy> policies = new EnumMap<>(OrderStep.class);
        for (OrderStep step : OrderStep.values()) {
            policies.put(step, RetryPolicies.Policy.of(STEP_TIMEOUT, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30),
                    MAX_ATTEMPTS, 0, Set.of("IllegalArgumentException")));
        }
        return new RetryPolicies(ANSWER_DEADLINE.minus(STEP_TIMEOUT), policies);
    }

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(OrderSaga.class);
        stepCommands = new InlineStepCommands(DefaultCommandGateway.builder().commandBus(fixture.getCommandBus())
                .build());
        fixture.registerResource(new StepRunner(stepCommands, FixtureAlarms.of(fixture), policies(),
                new FixtureClock()));
    }

    /** The fixture's time, which {@code whenTimeElapses} moves on. */
    private final class FixtureClock extends Clock {

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
            return fixture.currentTime();
        }
    }

    static StepRetryScheduledEvent retryRecorded(OrderStep step, String target, int attempt, long delayMillis) {
        return new StepRetryScheduledEvent(ORDER, step, target, attempt, delayMillis);
    }

    static OrderPlacedEvent placed(ContactDetails contact) {
        return new OrderPlacedEvent(ORDER, "c-42", List.of(LAPTOP, MOUSE), TOTAL, "EUR", contact, ADDRESS, "fp");
    }

    static StockReservedEvent reserved(OrderLine line) {
        return new StockReservedEvent(line.sku(), ORDER, line.quantity());
    }

    static ChargePaymentCommand charge() {
        return new ChargePaymentCommand(PAYMENT, ORDER, "c-42", TOTAL, "EUR");
    }

    static ScheduleShipmentCommand shipment() {
        return new ScheduleShipmentCommand(SHIPMENT, ORDER,
                List.of(new ShipmentItem("LAPTOP-15", 2), new ShipmentItem("MOUSE-01", 1)), ADDRESS);
    }

    static ShipmentScheduledEvent shipped() {
        return new ShipmentScheduledEvent(SHIPMENT, ORDER, "SimCarrier", "TRACK-1");
    }

    static StepAttemptFailedEvent failed(OrderStep step, String target, int attempt) {
        return new StepAttemptFailedEvent(ORDER, step, target, attempt, "ServiceUnavailable", "down");
    }

    private ContinuedGivenState givenReserved() {
        return fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                .andThenAggregate("MOUSE-01").published(reserved(MOUSE));
    }

    private ContinuedGivenState givenCharged(ContactDetails contact) {
        return fixture.givenAggregate(ORDER).published(placed(contact))
                .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                .andThenAggregate(PAYMENT).published(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"));
    }

    private ContinuedGivenState givenShipped(ContactDetails contact) {
        return givenCharged(contact).andThenAggregate(SHIPMENT).published(shipped());
    }

    @Nested
    class WhenEverythingSucceeds {

        @Test
        void reservesEveryLineAndWatchesForTheirAnswers() {
            fixture.givenNoPriorActivity()
                    .whenAggregate(ORDER).publishes(placed(WITH_PHONE))
                    .expectActiveSagas(1)
                    .expectAssociationWith("orderId", ORDER)
                    .expectDispatchedCommands(new ReserveStockCommand("LAPTOP-15", ORDER, 2),
                            new ReserveStockCommand("MOUSE-01", ORDER, 1))
                    .expectScheduledEvent(ANSWER_DEADLINE, new SagaAlarmEvent(ORDER, 1));
        }

        @Test
        void waitsForEveryLineBeforeCharging() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenAggregate("LAPTOP-15").publishes(reserved(LAPTOP))
                    .expectNoDispatchedCommands();
        }

        @Test
        void chargesThePaymentOnceEveryLineIsReserved() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .whenAggregate("MOUSE-01").publishes(reserved(MOUSE))
                    .expectDispatchedCommands(charge());
        }

        @Test
        void schedulesTheShipmentOnceCharged() {
            givenReserved()
                    .whenAggregate(PAYMENT).publishes(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"))
                    .expectDispatchedCommands(shipment());
        }

        @Test
        void sendsTheConfirmationEmailWithTheTrackingNumberOnceShipped() {
            givenCharged(WITH_PHONE)
                    .whenAggregate(SHIPMENT).publishes(shipped())
                    .expectDispatchedCommands(
                            new SendEmailCommand(NOTIFICATION, ORDER, "ada@example.com", CONFIRMATION));
        }

        @Test
        void sendsTheSmsAfterTheEmail() {
            givenShipped(WITH_PHONE)
                    .whenAggregate(NOTIFICATION).publishes(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .expectDispatchedCommands(new SendSmsCommand(NOTIFICATION, ORDER, "+31612345678", CONFIRMATION));
        }

        @Test
        void completesTheOrderOnceTheSmsIsSent() {
            givenShipped(WITH_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(NOTIFICATION).publishes(new SmsSentEvent(NOTIFICATION, ORDER, "m-2"))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }

        @Test
        void completesWithoutSmsWhenTheOrderHasNoPhoneNumber() {
            givenShipped(WITHOUT_PHONE)
                    .whenAggregate(NOTIFICATION).publishes(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }

        @Test
        void endsWithNoAlarmLeftWhenTheOrderIsCompleted() {
            givenShipped(WITHOUT_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(ORDER).publishes(new OrderCompletedEvent(ORDER, List.of(LAPTOP, MOUSE)))
                    .expectActiveSagas(0)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledEvents();
        }

        @Test
        void ignoresARepeatedAnswer() {
            givenReserved()
                    .andThenAggregate(PAYMENT).published(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "c"))
                    .whenAggregate(PAYMENT).publishes(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "c"))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class WhenStockIsShort {

        private final StockReservationRejectedEvent laptopShort = new StockReservationRejectedEvent("LAPTOP-15",
                ORDER, 2, 1, "Insufficient stock for LAPTOP-15: requested 2, available 1");

        @Test
        void waitsForTheOtherLinesBeforeCompensating() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenAggregate("LAPTOP-15").publishes(laptopShort)
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void recordsThatCompensationStartsAndNeverCharges() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .whenAggregate("LAPTOP-15").publishes(laptopShort)
                    .expectDispatchedCommands(new StartCompensationCommand(ORDER, laptopShort.reason()));
        }

        @Test
        void releasesTheReservedLinesOnceCompensationIsRecorded() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .andThenAggregate("LAPTOP-15").published(laptopShort)
                    .whenAggregate(ORDER).publishes(new CompensationStartedEvent(ORDER, laptopShort.reason()))
                    .expectDispatchedCommands(new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsWithTheShortageAsReasonOnceTheStockIsReleased() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .andThenAggregate("LAPTOP-15").published(laptopShort)
                    .andThenAggregate(ORDER).published(new CompensationStartedEvent(ORDER, laptopShort.reason()))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, laptopShort.reason()));
        }

        @Test
        void cancelsAtOnceWhenNoLineWasReserved() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(new StockReservationRejectedEvent("MOUSE-01", ORDER, 1,
                            0, "Unknown SKU MOUSE-01"))
                    .andThenAggregate("LAPTOP-15").published(laptopShort)
                    .whenAggregate(ORDER).publishes(new CompensationStartedEvent(ORDER, "Unknown SKU MOUSE-01"))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, "Unknown SKU MOUSE-01"));
        }

        @Test
        void endsWhenTheOrderIsCancelled() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenAggregate(ORDER).publishes(new OrderCancelledEvent(ORDER, "Unknown SKU LAPTOP-15", null))
                    .expectActiveSagas(0)
                    .expectNoScheduledEvents();
        }
    }

    @Nested
    class WhenPaymentIsDeclined {

        private static final String REASON = "Payment declined: insufficient funds";

        private ContinuedGivenState givenDeclined() {
            return givenReserved().andThenAggregate(PAYMENT).published(
                    new PaymentDeclinedEvent(PAYMENT, ORDER, TOTAL, "EUR", "insufficient funds"));
        }

        @Test
        void startsCompensationAndSchedulesNoShipment() {
            givenReserved()
                    .whenAggregate(PAYMENT).publishes(
                            new PaymentDeclinedEvent(PAYMENT, ORDER, TOTAL, "EUR", "insufficient funds"))
                    .expectDispatchedCommands(new StartCompensationCommand(ORDER, REASON));
        }

        @Test
        void releasesTheStock() {
            givenDeclined()
                    .whenAggregate(ORDER).publishes(new CompensationStartedEvent(ORDER, REASON))
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsOnceEveryLineIsReleased() {
            givenDeclined()
                    .andThenAggregate(ORDER).published(new CompensationStartedEvent(ORDER, REASON))
                    .andThenAggregate("LAPTOP-15").published(new StockReleasedEvent("LAPTOP-15", ORDER, 2))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, REASON));
        }
    }

    @Nested
    class WhenShippingFails {

        private static final String REASON = "Shipment failed: undeliverable";

        private ContinuedGivenState givenRefused() {
            return givenCharged(WITH_PHONE)
                    .andThenAggregate(SHIPMENT).published(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .andThenAggregate(ORDER).published(new CompensationStartedEvent(ORDER, REASON));
        }

        @Test
        void startsCompensation() {
            givenCharged(WITH_PHONE)
                    .whenAggregate(SHIPMENT).publishes(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .expectDispatchedCommands(new StartCompensationCommand(ORDER, REASON));
        }

        @Test
        void refundsThePaymentFirst() {
            givenCharged(WITH_PHONE)
                    .andThenAggregate(SHIPMENT).published(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .whenAggregate(ORDER).publishes(new CompensationStartedEvent(ORDER, REASON))
                    .expectDispatchedCommands(new RefundPaymentCommand(PAYMENT, ORDER, REASON));
        }

        @Test
        void releasesTheStockOnceRefunded() {
            givenRefused()
                    .whenAggregate(PAYMENT).publishes(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "rf-1"))
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsOnceTheStockIsReleased() {
            givenRefused()
                    .andThenAggregate(PAYMENT).published(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "rf"))
                    .andThenAggregate("LAPTOP-15").published(new StockReleasedEvent("LAPTOP-15", ORDER, 2))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, REASON));
        }
    }

    @Nested
    class WhenNotificationsFail {

        @Test
        void sendsTheSmsEvenThoughTheEmailWasRefused() {
            givenShipped(WITH_PHONE)
                    .whenAggregate(NOTIFICATION).publishes(
                            new NotificationFailedEvent(NOTIFICATION, ORDER, Channel.EMAIL, "mailbox unknown"))
                    .expectDispatchedCommands(new SendSmsCommand(NOTIFICATION, ORDER, "+31612345678", CONFIRMATION));
        }

        @Test
        void completesTheOrderEvenThoughTheSmsWasRefused() {
            givenShipped(WITH_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(NOTIFICATION).publishes(
                            new NotificationFailedEvent(NOTIFICATION, ORDER, Channel.SMS, "invalid number"))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }

        @Test
        void retriesTheSmsWhileItsGatewayIsDown() {
            givenShipped(WITH_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(ORDER).publishes(failed(OrderStep.SEND_SMS, null, 1))
                    .expectDispatchedCommands(new RecordStepRetryCommand(ORDER, OrderStep.SEND_SMS, null, 2, 1000))
                    .expectActiveSagas(1);
        }

        @Test
        void recordsTheSmsAsFailedWhenItsRetriesRunOut() throws Exception {
            givenSmsFailedThreeTimes()
                    .whenAggregate(ORDER).publishes(failed(OrderStep.SEND_SMS, null, 3))
                    .expectDispatchedCommands(new RecordStepFailedCommand(ORDER, OrderStep.SEND_SMS, null, 3,
                            "Step SEND_SMS failed after 3 attempts: ServiceUnavailable: down"));
        }

        @Test
        void completesTheOrderOnceTheSmsFailureIsRecorded() throws Exception {
            String reason = "Step SEND_SMS failed after 3 attempts: ServiceUnavailable: down";
            givenSmsFailedThreeTimes()
                    .andThenAggregate(ORDER).published(failed(OrderStep.SEND_SMS, null, 3))
                    .whenAggregate(ORDER).publishes(new StepFailedEvent(ORDER, OrderStep.SEND_SMS, null, 3, reason))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }

        private ContinuedGivenState givenSmsFailedThreeTimes() throws Exception {
            return givenShipped(WITH_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .andThenAggregate(ORDER).published(failed(OrderStep.SEND_SMS, null, 1),
                            retryRecorded(OrderStep.SEND_SMS, null, 2, 1000))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .andThenAggregate(ORDER).published(failed(OrderStep.SEND_SMS, null, 2),
                            retryRecorded(OrderStep.SEND_SMS, null, 3, 2000))
                    .andThenTimeElapses(Duration.ofSeconds(2));
        }
    }

    @Nested
    class WhenAnAttemptFailsWithoutAnAnswer {

        private static final String MOUSE_GIVEN_UP =
                "Step RESERVE_STOCK (MOUSE-01) failed after 3 attempts: ServiceUnavailable: down";

        @Test
        void isWokenUpWhenACommandFails() {
            failTheMouseReservation();
            fixture.givenNoPriorActivity()
                    .whenAggregate(ORDER).publishes(placed(WITH_PHONE))
                    .expectScheduledEvent(Duration.ZERO, new SagaAlarmEvent(ORDER, Attempts.WAKE_UP));
        }

        @Test
        void recordsTheFailureOfTheCommandAsAFailedAttemptOfTheOrderWhenWokenUp() {
            failTheMouseReservation();
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenTimeElapses(Duration.ZERO)
                    .expectDispatchedCommands(new RecordStepFailureCommand(ORDER, OrderStep.RESERVE_STOCK,
                            "MOUSE-01", 1, "IllegalStateException", "inventory unavailable"));
        }

        @Test
        void recordsNoFailureOfACommandWhoseAnswerCameFirst() {
            failTheMouseReservation(); // e.g. its service stored the reservation, then died before it replied
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .whenTimeElapses(Duration.ZERO)
                    .expectNoDispatchedCommands();
        }

        private void failTheMouseReservation() {
            fixture.setCallbackBehavior((payload, metaData) -> {
                if (payload instanceof ReserveStockCommand reserve && reserve.sku().equals("MOUSE-01")) {
                    throw new IllegalStateException("inventory unavailable");
                }
                return null;
            });
        }

        @Test
        void recordsTheRetryItDecidesBeforeWaitingForIt() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenAggregate(ORDER).publishes(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1))
                    .expectDispatchedCommands(
                            new RecordStepRetryCommand(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000));
        }

        @Test
        void waitsForTheRetryToBeRecordedBeforeTryingAgain() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectNoDispatchedCommands();
        }

        @Test
        void sendsTheRecordOfTheRetryAgainWhenItIsOverdue() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1))
                    .whenTimeElapses(ANSWER_DEADLINE.minus(STEP_TIMEOUT))
                    .expectDispatchedCommands(
                            new RecordStepRetryCommand(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000));
        }

        @Test
        void setsTheAlarmForTheEndOfTheBackoffOnceTheRetryIsRecorded() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1))
                    .whenAggregate(ORDER).publishes(retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .expectScheduledEventOfType(Duration.ofSeconds(1), SagaAlarmEvent.class)
                    .expectNoDispatchedCommands();
        }

        @Test
        void triesAgainWhenTheBackoffIsOver() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectDispatchedCommands(new ReserveStockCommand("MOUSE-01", ORDER, 1));
        }

        @Test
        void doublesTheBackoffForTheNextRetry() throws Exception {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .whenAggregate(ORDER).publishes(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 2))
                    .expectDispatchedCommands(
                            new RecordStepRetryCommand(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 3, 2000));
        }

        @Test
        void proceedsWhenARetrySucceeds() throws Exception {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .whenAggregate("MOUSE-01").publishes(reserved(MOUSE))
                    .expectDispatchedCommands(charge());
        }

        @Test
        void acceptsAnAnswerThatArrivesDuringTheBackoffAndRetriesNothing() throws Exception {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .whenTimeElapses(Duration.ofSeconds(2))
                    .expectNoDispatchedCommands();
        }

        @Test
        void givesTheStepUpWhenItsAttemptsRunOutAndRecordsItNamingTheStep() throws Exception {
            givenMouseFailedThreeTimes()
                    .whenAggregate(ORDER).publishes(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 3))
                    .expectDispatchedCommands(
                            new RecordStepFailedCommand(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 3,
                                    MOUSE_GIVEN_UP));
        }

        @Test
        void compensatesNamingTheStepOnceItIsRecordedAsGivenUp() throws Exception {
            givenMouseGivenUp()
                    .whenAggregate(ORDER).publishes(new StepFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 3,
                            MOUSE_GIVEN_UP))
                    .expectDispatchedCommands(new StartCompensationCommand(ORDER, MOUSE_GIVEN_UP));
        }

        @Test
        void releasesTheReservedLineAndTheOneGivenUp() throws Exception {
            givenMouseGivenUp()
                    .andThenAggregate(ORDER).published(new StepFailedEvent(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01",
                            3, MOUSE_GIVEN_UP))
                    .whenAggregate(ORDER).publishes(new CompensationStartedEvent(ORDER, MOUSE_GIVEN_UP))
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void ignoresALateAnswerOfAStepBeingGivenUp() throws Exception {
            givenMouseGivenUp()
                    .whenAggregate("MOUSE-01").publishes(reserved(MOUSE))
                    .expectNoDispatchedCommands();
        }

        @Test
        void sendsTheDecisionAgainWhenItsRecordIsOverdue() throws Exception {
            givenMouseGivenUp()
                    .whenTimeElapses(ANSWER_DEADLINE.minus(STEP_TIMEOUT))
                    .expectDispatchedCommands(new RecordStepFailedCommand(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01",
                            3, MOUSE_GIVEN_UP));
        }

        private ContinuedGivenState givenMouseFailedThreeTimes() throws Exception {
            return fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 2),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 3, 2000))
                    .andThenTimeElapses(Duration.ofSeconds(2));
        }

        private ContinuedGivenState givenMouseGivenUp() throws Exception {
            return givenMouseFailedThreeTimes()
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 3));
        }

        @Test
        void givesUpAtOnceOnAFailureThatIsNotRetryable() {
            String reason = "Step CHARGE_PAYMENT failed after 1 attempt: IllegalArgumentException: bad amount";
            givenReserved()
                    .whenAggregate(ORDER).publishes(new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null,
                            1, "IllegalArgumentException", "bad amount"))
                    .expectDispatchedCommands(
                            new RecordStepFailedCommand(ORDER, OrderStep.CHARGE_PAYMENT, null, 1, reason));
        }

        @Test
        void refundsWhateverAChargeGivenUpMayHaveTakenOnceCompensationStarts() {
            String reason = "Step CHARGE_PAYMENT failed after 1 attempt: IllegalArgumentException: x";
            givenReserved()
                    .andThenAggregate(ORDER).published(new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT,
                            null, 1, "IllegalArgumentException", "x"))
                    .andThenAggregate(ORDER).published(new StepFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null, 1,
                            reason))
                    .whenAggregate(ORDER).publishes(new CompensationStartedEvent(ORDER, reason))
                    .expectDispatchedCommands(new RefundPaymentCommand(PAYMENT, ORDER, reason));
        }

        @Test
        void cancelsWhateverTheCarrierBookedWhenSchedulingIsGivenUpThenRefunds() {
            String reason = "Step SCHEDULE_SHIPMENT failed after 1 attempt: IllegalArgumentException: x";
            givenCharged(WITH_PHONE)
                    .andThenAggregate(ORDER).published(new StepAttemptFailedEvent(ORDER, OrderStep.SCHEDULE_SHIPMENT,
                            null, 1, "IllegalArgumentException", "x"))
                    .andThenAggregate(ORDER).published(new StepFailedEvent(ORDER, OrderStep.SCHEDULE_SHIPMENT, null, 1,
                            reason))
                    .andThenAggregate(ORDER).published(new CompensationStartedEvent(ORDER, reason))
                    .whenAggregate(SHIPMENT).publishes(new ShipmentCancelledEvent(SHIPMENT, ORDER, false))
                    .expectDispatchedCommands(new RefundPaymentCommand(PAYMENT, ORDER, reason));
        }

        @Test
        void asksAgainWhenAnAnswerIsOverdueAndNothingWasReported() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .whenTimeElapses(ANSWER_DEADLINE)
                    .expectDispatchedCommands(new ReserveStockCommand("MOUSE-01", ORDER, 1))
                    .expectScheduledEventOfType(ANSWER_DEADLINE, SagaAlarmEvent.class);
        }

        @Test
        void recordsTheAttemptAsFailedWhenAskingAgainBroughtNoAnswer() throws Exception {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenTimeElapses(ANSWER_DEADLINE)
                    .andThenTimeElapses(ANSWER_DEADLINE)
                    .whenTimeElapses(ANSWER_DEADLINE)
                    .expectDispatchedCommands(new RecordStepFailureCommand(ORDER, OrderStep.RESERVE_STOCK,
                            "MOUSE-01", 1, "NoAnswer", "no answer within 10 s, asked 3 times"));
        }

        @Test
        void waitsOnWhileThisProcessStillHasTheCommandOut() {
            stepCommands.stillOut(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 1);
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .whenTimeElapses(ANSWER_DEADLINE)
                    .expectNoDispatchedCommands()
                    .expectScheduledEventOfType(ANSWER_DEADLINE, SagaAlarmEvent.class);
        }

        @Test
        void looksAtACommandStillOutTwiceAsLongAfterEachTimeUpToAMinute() throws Exception {
            stepCommands.stillOut(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 1);
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenTimeElapses(ANSWER_DEADLINE) // waits on 10 s
                    .andThenTimeElapses(ANSWER_DEADLINE) // then 20 s
                    .andThenTimeElapses(ANSWER_DEADLINE.multipliedBy(2)) // then 40 s
                    .whenTimeElapses(ANSWER_DEADLINE.multipliedBy(4))
                    .expectNoDispatchedCommands()
                    .expectScheduledEventOfType(Attempts.LONGEST_WAIT_ON_A_QUEUED_COMMAND, SagaAlarmEvent.class);
        }

        @Test
        void ignoresAnAlarmOnceItsOrderHasMovedOn() {
            givenReserved()
                    .andThenAggregate(PAYMENT).published(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "c"))
                    .whenPublishingA(new SagaAlarmEvent(ORDER, 1))
                    .expectNoDispatchedCommands();
        }

        @Test
        void ignoresAFailureOfAnAttemptThatIsNotTheCurrentOne() {
            givenReserved()
                    .whenAggregate(ORDER).publishes(failed(OrderStep.CHARGE_PAYMENT, null, 7))
                    .expectNoDispatchedCommands();
        }

        @Test
        void ignoresAFailureReportedTwiceForTheSameAttempt() {
            givenReserved()
                    .andThenAggregate(ORDER).published(failed(OrderStep.CHARGE_PAYMENT, null, 1))
                    .whenAggregate(ORDER).publishes(failed(OrderStep.CHARGE_PAYMENT, null, 1))
                    .expectNoDispatchedCommands();
        }

        @Test
        void ignoresAFailureOfAStepThatAlreadyAnswered() {
            givenCharged(WITH_PHONE)
                    .whenAggregate(ORDER).publishes(failed(OrderStep.CHARGE_PAYMENT, null, 1))
                    .expectNoDispatchedCommands();
        }

        @Test
        void keepsTryingARefundAndCancelsNamingTheUnfinishedCompensationWhenItRunsOut() throws Exception {
            String refundGivenUp = "Step REFUND_PAYMENT failed after 3 attempts: ServiceUnavailable: down";
            givenCharged(WITHOUT_PHONE)
                    .andThenAggregate(SHIPMENT).published(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .andThenAggregate(ORDER).published(
                            new CompensationStartedEvent(ORDER, "Shipment failed: undeliverable"),
                            failed(OrderStep.REFUND_PAYMENT, null, 1),
                            retryRecorded(OrderStep.REFUND_PAYMENT, null, 2, 1000))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .andThenAggregate(ORDER).published(failed(OrderStep.REFUND_PAYMENT, null, 2),
                            retryRecorded(OrderStep.REFUND_PAYMENT, null, 3, 2000))
                    .andThenTimeElapses(Duration.ofSeconds(2))
                    .andThenAggregate(ORDER).published(failed(OrderStep.REFUND_PAYMENT, null, 3),
                            new StepFailedEvent(ORDER, OrderStep.REFUND_PAYMENT, null, 3, refundGivenUp))
                    .andThenAggregate("LAPTOP-15").published(new StockReleasedEvent("LAPTOP-15", ORDER, 2))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, "Shipment failed: undeliverable"
                            + " (compensation incomplete: " + refundGivenUp + ")"));
        }
    }
}
