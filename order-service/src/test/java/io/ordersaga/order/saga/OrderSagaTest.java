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
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentIds;
import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.axonframework.test.matchers.Matchers.equalTo;
import static org.axonframework.test.matchers.Matchers.listWithAnyOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;

/** Every branch of the saga: the happy path, each compensation, notifications that fail, failed attempts. */
class OrderSagaTest {

    private static final String ORDER = "8f1e3c4a-0000-4000-8000-000000000001";
    private static final String PAYMENT = PaymentIds.forOrder(ORDER);
    private static final String SHIPMENT = ShipmentIds.forOrder(ORDER);
    private static final String NOTIFICATION = NotificationIds.forOrder(ORDER);
    private static final OrderLine LAPTOP = new OrderLine("LAPTOP-15", 2, new BigDecimal("999.90"));
    private static final OrderLine MOUSE = new OrderLine("MOUSE-01", 1, new BigDecimal("19.99"));
    private static final BigDecimal TOTAL = new BigDecimal("2019.79");
    private static final ShippingAddress ADDRESS =
            new ShippingAddress("Ada Lovelace", "1 Main St", "Amsterdam", "1011AA", "NL");
    private static final ContactDetails WITH_PHONE = new ContactDetails("ada@example.com", "+31612345678");
    private static final ContactDetails WITHOUT_PHONE = new ContactDetails("ada@example.com", null);
    private static final OrderConfirmation CONFIRMATION = new OrderConfirmation(TOTAL, "EUR", "TRACK-1");

    private SagaTestFixture<OrderSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(OrderSaga.class);
    }

    private static OrderPlacedEvent placed(ContactDetails contact) {
        return new OrderPlacedEvent(ORDER, "c-42", List.of(LAPTOP, MOUSE), TOTAL, "EUR", contact, ADDRESS, "fp");
    }

    private static StockReservedEvent reserved(OrderLine line) {
        return new StockReservedEvent(line.sku(), ORDER, line.quantity());
    }

    private static ChargePaymentCommand charge() {
        return new ChargePaymentCommand(PAYMENT, ORDER, "c-42", TOTAL, "EUR");
    }

    private static ScheduleShipmentCommand shipment() {
        return new ScheduleShipmentCommand(SHIPMENT, ORDER,
                List.of(new ShipmentItem("LAPTOP-15", 2), new ShipmentItem("MOUSE-01", 1)), ADDRESS);
    }

    private static ShipmentScheduledEvent shipped() {
        return new ShipmentScheduledEvent(SHIPMENT, ORDER, "SimCarrier", "TRACK-1");
    }

    @Nested
    class WhenEverythingSucceeds {

        @Test
        void reservesEveryLineWhenTheOrderIsPlaced() {
            fixture.givenNoPriorActivity()
                    .whenAggregate(ORDER).publishes(placed(WITH_PHONE))
                    .expectActiveSagas(1)
                    .expectAssociationWith("orderId", ORDER)
                    .expectDispatchedCommands(new ReserveStockCommand("LAPTOP-15", ORDER, 2),
                            new ReserveStockCommand("MOUSE-01", ORDER, 1));
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
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
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
                    .expectDispatchedCommands(
                            new SendSmsCommand(NOTIFICATION, ORDER, "+31612345678", CONFIRMATION));
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
        void endsWhenTheOrderIsCompleted() {
            givenShipped(WITHOUT_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(ORDER).publishes(new OrderCompletedEvent(ORDER, List.of(LAPTOP, MOUSE)))
                    .expectActiveSagas(0)
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class WhenStockIsShort {

        @Test
        void waitsForTheOtherLinesBeforeCompensating() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenAggregate("LAPTOP-15").publishes(new StockReservationRejectedEvent("LAPTOP-15", ORDER, 2, 1,
                            "Insufficient stock for LAPTOP-15: requested 2, available 1"))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void releasesTheReservedLinesAndNeverCharges() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .whenAggregate("LAPTOP-15").publishes(new StockReservationRejectedEvent("LAPTOP-15", ORDER, 2, 1,
                            "Insufficient stock for LAPTOP-15: requested 2, available 1"))
                    .expectDispatchedCommands(new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsWithTheShortageAsReasonOnceTheStockIsReleased() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(reserved(MOUSE))
                    .andThenAggregate("LAPTOP-15").published(new StockReservationRejectedEvent("LAPTOP-15", ORDER, 2,
                            1, "Insufficient stock for LAPTOP-15: requested 2, available 1"))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER,
                            "Insufficient stock for LAPTOP-15: requested 2, available 1"));
        }

        @Test
        void cancelsAtOnceWhenNoLineWasReserved() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("MOUSE-01").published(new StockReservationRejectedEvent("MOUSE-01", ORDER, 1, 0,
                            "Unknown SKU MOUSE-01"))
                    .whenAggregate("LAPTOP-15").publishes(new StockReservationRejectedEvent("LAPTOP-15", ORDER, 2, 0,
                            "Unknown SKU LAPTOP-15"))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, "Unknown SKU MOUSE-01"));
        }

        @Test
        void endsWhenTheOrderIsCancelled() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .whenAggregate(ORDER).publishes(new OrderCancelledEvent(ORDER, "Unknown SKU LAPTOP-15"))
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class WhenPaymentIsDeclined {

        @Test
        void releasesTheStockAndSchedulesNoShipment() {
            givenReserved()
                    .whenAggregate(PAYMENT).publishes(
                            new PaymentDeclinedEvent(PAYMENT, ORDER, TOTAL, "EUR", "insufficient funds"))
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsOnceEveryLineIsReleased() {
            givenReserved()
                    .andThenAggregate(PAYMENT).published(
                            new PaymentDeclinedEvent(PAYMENT, ORDER, TOTAL, "EUR", "insufficient funds"))
                    .andThenAggregate("LAPTOP-15").published(new StockReleasedEvent("LAPTOP-15", ORDER, 2))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, "Payment declined: insufficient funds"));
        }
    }

    @Nested
    class WhenShippingFails {

        @Test
        void refundsThePaymentFirst() {
            givenCharged(WITH_PHONE)
                    .whenAggregate(SHIPMENT).publishes(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .expectDispatchedCommands(
                            new RefundPaymentCommand(PAYMENT, ORDER, "Shipment failed: undeliverable"));
        }

        @Test
        void releasesTheStockOnceRefunded() {
            givenCharged(WITH_PHONE)
                    .andThenAggregate(SHIPMENT).published(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .whenAggregate(PAYMENT).publishes(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "rf-1"))
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsOnceTheStockIsReleased() {
            givenCharged(WITH_PHONE)
                    .andThenAggregate(SHIPMENT).published(new ShipmentFailedEvent(SHIPMENT, ORDER, "undeliverable"))
                    .andThenAggregate(PAYMENT).published(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "rf"))
                    .andThenAggregate("LAPTOP-15").published(new StockReleasedEvent("LAPTOP-15", ORDER, 2))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, "Shipment failed: undeliverable"));
        }
    }

    @Nested
    class WhenNotificationsFail {

        @Test
        void sendsTheSmsEvenThoughTheEmailFailed() {
            givenShipped(WITH_PHONE)
                    .whenAggregate(NOTIFICATION).publishes(
                            new NotificationFailedEvent(NOTIFICATION, ORDER, Channel.EMAIL, "mailbox unknown"))
                    .expectDispatchedCommands(
                            new SendSmsCommand(NOTIFICATION, ORDER, "+31612345678", CONFIRMATION));
        }

        @Test
        void completesTheOrderEvenThoughTheSmsFailed() {
            givenShipped(WITH_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(NOTIFICATION).publishes(
                            new NotificationFailedEvent(NOTIFICATION, ORDER, Channel.SMS, "invalid number"))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }

        @Test
        void completesTheOrderWhenTheSmsGatewayCannotBeReached() {
            givenShipped(WITH_PHONE)
                    .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                    .whenAggregate(ORDER).publishes(new StepAttemptFailedEvent(ORDER, OrderStep.SEND_SMS, null, 1,
                            "IllegalStateException: SMS gateway unavailable"))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }
    }

    @Nested
    class WhenAStepFailsWithoutAnAnswer {

        @Test
        void recordsTheFailedAttemptOnTheOrder() {
            fixture.setCallbackBehavior((payload, metaData) -> {
                if (payload instanceof ReserveStockCommand reserve && reserve.sku().equals("MOUSE-01")) {
                    throw new IllegalStateException("inventory unavailable");
                }
                return null;
            });
            fixture.givenNoPriorActivity()
                    .whenAggregate(ORDER).publishes(placed(WITH_PHONE))
                    .expectDispatchedCommandsMatching(listWithAnyOf(messageWithPayload(equalTo(
                            new RecordStepFailureCommand(ORDER, OrderStep.RESERVE_STOCK, "MOUSE-01", 1,
                                    "IllegalStateException: inventory unavailable")))));
        }

        @Test
        void releasesALineWhoseReservationOutcomeIsUnknownAndCancels() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .whenAggregate(ORDER).publishes(new StepAttemptFailedEvent(ORDER, OrderStep.RESERVE_STOCK,
                            "MOUSE-01", 1, "TimeoutException"))
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void refundsWhateverAChargeWithoutAnswerTookThenReleasesTheStock() {
            givenReserved()
                    .whenAggregate(ORDER).publishes(new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null,
                            1, "TimeoutException"))
                    .expectDispatchedCommands(
                            new RefundPaymentCommand(PAYMENT, ORDER, "Payment failed: TimeoutException"));
        }

        @Test
        void ignoresAFailureOfAnAttemptThatIsNotTheCurrentOne() {
            givenReserved()
                    .whenAggregate(ORDER).publishes(new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null,
                            7, "TimeoutException"))
                    .expectNoDispatchedCommands();
        }

        @Test
        void ignoresAFailureOfAStepThatAlreadyAnswered() {
            givenCharged(WITH_PHONE)
                    .whenAggregate(ORDER).publishes(new StepAttemptFailedEvent(ORDER, OrderStep.CHARGE_PAYMENT, null,
                            1, "TimeoutException"))
                    .expectNoDispatchedCommands();
        }
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
}
