package io.ordersaga.order.saga;

import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.OrderCancellationRequestedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepSkippedByOperatorEvent;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static io.ordersaga.order.saga.OrderSagaTest.ANSWER_DEADLINE;
import static io.ordersaga.order.saga.OrderSagaTest.LAPTOP;
import static io.ordersaga.order.saga.OrderSagaTest.MOUSE;
import static io.ordersaga.order.saga.OrderSagaTest.NOTIFICATION;
import static io.ordersaga.order.saga.OrderSagaTest.ORDER;
import static io.ordersaga.order.saga.OrderSagaTest.PAYMENT;
import static io.ordersaga.order.saga.OrderSagaTest.SHIPMENT;
import static io.ordersaga.order.saga.OrderSagaTest.TOTAL;
import static io.ordersaga.order.saga.OrderSagaTest.WITH_PHONE;
import static io.ordersaga.order.saga.OrderSagaTest.charge;
import static io.ordersaga.order.saga.OrderSagaTest.failed;
import static io.ordersaga.order.saga.OrderSagaTest.placed;
import static io.ordersaga.order.saga.OrderSagaTest.reserved;
import static io.ordersaga.order.saga.OrderSagaTest.retryRecorded;
import static io.ordersaga.order.saga.OrderSagaTest.shipped;

/**
 * An operator's actions, once recorded on the order: a waiting step attempted now with a fresh set of attempts, a
 * waiting notification skipped, the order cancelled (what is under way abandoned, what was done undone in reverse
 * order, the operator's reason the order's). Policies as in {@link OrderSagaTest}: 3 attempts, 1 s, 2 s, ...
 */
class OrderSagaOperatorTest {

    private static final String CANCELLED = "Cancelled by alice: the customer asked";

    private SagaTestFixture<OrderSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(OrderSaga.class);
        fixture.registerResource(new StepRunner(new InlineStepCommands(DefaultCommandGateway.builder()
                .commandBus(fixture.getCommandBus()).build()), FixtureAlarms.of(fixture), OrderSagaTest.policies(),
                new Clock() {
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
                }));
    }

    private ContinuedGivenState givenReserved() {
        return fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                .andThenAggregate("MOUSE-01").published(reserved(MOUSE));
    }

    /** The charge failed twice and waits 2 s for its third (last) attempt. */
    private ContinuedGivenState givenChargeInBackoff() throws Exception {
        return givenReserved()
                .andThenAggregate(ORDER).published(failed(OrderStep.CHARGE_PAYMENT, null, 1),
                        retryRecorded(OrderStep.CHARGE_PAYMENT, null, 2, 1000))
                .andThenTimeElapses(Duration.ofSeconds(1))
                .andThenAggregate(ORDER).published(failed(OrderStep.CHARGE_PAYMENT, null, 2),
                        retryRecorded(OrderStep.CHARGE_PAYMENT, null, 3, 2000));
    }

    private ContinuedGivenState givenSmsInBackoff() {
        return givenReserved()
                .andThenAggregate(PAYMENT).published(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"))
                .andThenAggregate(SHIPMENT).published(shipped())
                .andThenAggregate(NOTIFICATION).published(new EmailSentEvent(NOTIFICATION, ORDER, "m-1"))
                .andThenAggregate(ORDER).published(failed(OrderStep.SEND_SMS, null, 1),
                        retryRecorded(OrderStep.SEND_SMS, null, 2, 1000));
    }

    private static StepRetriedByOperatorEvent retriedByOperator(OrderStep step, String target, int attempt) {
        return new StepRetriedByOperatorEvent(ORDER, step, target, attempt, "alice", null);
    }

    @Nested
    class Retry {

        @Test
        void attemptsTheStepInBackoffAtOnce() throws Exception {
            givenChargeInBackoff()
                    .whenAggregate(ORDER).publishes(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .expectDispatchedCommands(charge());
        }

        @Test
        void countsTheAttemptsAfresh() throws Exception {
            // attempt 4 is the first of a fresh set: its failure is retried, where a third attempt's would give up
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .whenAggregate(ORDER).publishes(failed(OrderStep.CHARGE_PAYMENT, null, 4))
                    .expectDispatchedCommands(new RecordStepRetryCommand(ORDER, OrderStep.CHARGE_PAYMENT, null, 5,
                            1000));
        }

        @Test
        void leavesTheBackoffItReplacedWithoutEffect() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .whenTimeElapses(Duration.ofSeconds(2))
                    .expectNoDispatchedCommands();
        }

        @Test
        void goesOnWhenTheRetrySucceeds() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .whenAggregate(PAYMENT).publishes(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"))
                    .expectDispatchedCommands(OrderSagaTest.shipment());
        }

        @Test
        void attemptsOnlyOnceWhenTheRetryIsDeliveredTwice() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .whenAggregate(ORDER).publishes(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .expectNoDispatchedCommands();
        }

        @Test
        void doesNothingForAStepThatAnsweredMeanwhile() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(PAYMENT).published(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "c"))
                    .whenAggregate(ORDER).publishes(retriedByOperator(OrderStep.CHARGE_PAYMENT, null, 4))
                    .expectNoDispatchedCommands();
        }

        @Test
        void attemptsALineOfTheStockAgain() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .whenAggregate(ORDER).publishes(retriedByOperator(OrderStep.RESERVE_STOCK, "MOUSE-01", 3))
                    .expectDispatchedCommands(new ReserveStockCommand("MOUSE-01", ORDER, 1));
        }

        @Test
        void completesAnOrderWhoseCompletionWasGivenUp() throws Exception {
            String reason = "Step COMPLETE_ORDER failed after 3 attempts: ServiceUnavailable: down";
            givenSmsInBackoff()
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .andThenAggregate(NOTIFICATION).published(new SmsSentEvent(NOTIFICATION, ORDER, "m-2"))
                    .andThenAggregate(ORDER).published(failed(OrderStep.COMPLETE_ORDER, null, 1),
                            retryRecorded(OrderStep.COMPLETE_ORDER, null, 2, 1000))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .andThenAggregate(ORDER).published(failed(OrderStep.COMPLETE_ORDER, null, 2),
                            retryRecorded(OrderStep.COMPLETE_ORDER, null, 3, 2000))
                    .andThenTimeElapses(Duration.ofSeconds(2))
                    .andThenAggregate(ORDER).published(failed(OrderStep.COMPLETE_ORDER, null, 3),
                            new StepFailedEvent(ORDER, OrderStep.COMPLETE_ORDER, null, 3, reason))
                    .andThenTimeElapses(ANSWER_DEADLINE.multipliedBy(10))
                    .whenAggregate(ORDER).publishes(retriedByOperator(OrderStep.COMPLETE_ORDER, null, 4))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }
    }

    @Nested
    class Skip {

        @Test
        void completesTheOrderWhenTheSmsIsSkipped() {
            givenSmsInBackoff()
                    .whenAggregate(ORDER).publishes(new StepSkippedByOperatorEvent(ORDER, OrderStep.SEND_SMS, null,
                            "alice", "gateway down for hours"))
                    .expectDispatchedCommands(new CompleteOrderCommand(ORDER));
        }

        @Test
        void sendsNoMoreSmsOnceSkipped() {
            givenSmsInBackoff()
                    .andThenAggregate(ORDER).published(new StepSkippedByOperatorEvent(ORDER, OrderStep.SEND_SMS, null,
                            "alice", null))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectNoDispatchedCommands();
        }

        @Test
        void sendsTheSmsWhenTheEmailIsSkipped() {
            givenReserved()
                    .andThenAggregate(PAYMENT).published(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "ch-1"))
                    .andThenAggregate(SHIPMENT).published(shipped())
                    .andThenAggregate(ORDER).published(failed(OrderStep.SEND_EMAIL, null, 1),
                            retryRecorded(OrderStep.SEND_EMAIL, null, 2, 1000))
                    .whenAggregate(ORDER).publishes(new StepSkippedByOperatorEvent(ORDER, OrderStep.SEND_EMAIL, null,
                            "alice", null))
                    .expectDispatchedCommands(new SendSmsCommand(NOTIFICATION, ORDER, "+31612345678",
                            OrderSagaTest.CONFIRMATION));
        }

        @Test
        void doesNothingWhenDeliveredTwice() {
            givenSmsInBackoff()
                    .andThenAggregate(ORDER).published(new StepSkippedByOperatorEvent(ORDER, OrderStep.SEND_SMS, null,
                            "alice", null))
                    .whenAggregate(ORDER).publishes(new StepSkippedByOperatorEvent(ORDER, OrderStep.SEND_SMS, null,
                            "alice", null))
                    .expectNoDispatchedCommands();
        }
    }

    @Nested
    class Cancel {

        private final OrderCancellationRequestedEvent cancelled =
                new OrderCancellationRequestedEvent(ORDER, "alice", "the customer asked");

        @Test
        void refundsWhateverWasChargedWhenTheChargeIsInBackoff() throws Exception {
            givenChargeInBackoff()
                    .whenAggregate(ORDER).publishes(cancelled)
                    .expectDispatchedCommands(new RefundPaymentCommand(PAYMENT, ORDER, CANCELLED));
        }

        @Test
        void thenReleasesTheStockAndCancelsWithTheOperatorsReason() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(cancelled)
                    .andThenAggregate(PAYMENT).published(new PaymentRefundedEvent(PAYMENT, ORDER, TOTAL, "EUR", "r"))
                    .andThenAggregate("LAPTOP-15").published(new StockReleasedEvent("LAPTOP-15", ORDER, 2))
                    .whenAggregate("MOUSE-01").publishes(new StockReleasedEvent("MOUSE-01", ORDER, 1))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, CANCELLED));
        }

        @Test
        void releasesEveryLineThatHoldsOrMayHoldStockWhileReserving() {
            fixture.givenAggregate(ORDER).published(placed(WITH_PHONE))
                    .andThenAggregate("LAPTOP-15").published(reserved(LAPTOP))
                    .andThenAggregate(ORDER).published(failed(OrderStep.RESERVE_STOCK, "MOUSE-01", 1),
                            retryRecorded(OrderStep.RESERVE_STOCK, "MOUSE-01", 2, 1000))
                    .whenAggregate(ORDER).publishes(cancelled)
                    .expectDispatchedCommands(new ReleaseStockCommand("LAPTOP-15", ORDER),
                            new ReleaseStockCommand("MOUSE-01", ORDER));
        }

        @Test
        void cancelsTheShipmentFirstOnceShipped() {
            givenSmsInBackoff()
                    .whenAggregate(ORDER).publishes(cancelled)
                    .expectDispatchedCommands(new CancelShipmentCommand(SHIPMENT, ORDER, CANCELLED));
        }

        @Test
        void stopsWhatWasUnderWay() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(cancelled)
                    .whenTimeElapses(Duration.ofSeconds(2))
                    .expectNoDispatchedCommands();
        }

        @Test
        void takesNoLateAnswerOfWhatWasAbandoned() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(cancelled)
                    .whenAggregate(PAYMENT).publishes(new PaymentChargedEvent(PAYMENT, ORDER, TOTAL, "EUR", "late"))
                    .expectNoDispatchedCommands();
        }

        @Test
        void compensatesOnceWhenDeliveredTwice() throws Exception {
            givenChargeInBackoff()
                    .andThenAggregate(ORDER).published(cancelled)
                    .whenAggregate(ORDER).publishes(cancelled)
                    .expectNoDispatchedCommands();
        }
    }
}
