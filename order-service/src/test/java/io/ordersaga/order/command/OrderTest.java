package io.ordersaga.order.command;

import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.RecordStepFailedCommand;
import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.PlaceOrderCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.axonframework.test.matchers.Matchers.predicate;

class OrderTest {

    private static final String ORDER_ID = "order-1";
    private static final String FINGERPRINT = "fp-1";
    private static final ContactDetails CONTACT = new ContactDetails("ada@example.com", "+31612345678");
    private static final ShippingAddress ADDRESS =
            new ShippingAddress("Ada Lovelace", "Main Street 1", "Amsterdam", "1011AB", "NL");
    private static final List<OrderLine> ITEMS = List.of(
            new OrderLine("LAPTOP-1", 2, new BigDecimal("999.90")),
            new OrderLine("MOUSE-1", 1, new BigDecimal("19.99")));

    private FixtureConfiguration<Order> fixture;
    /** The steps whose services have answered, as the event store would say ("STEP" or "STEP:target"). */
    private final Set<String> answered = new HashSet<>();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Order.class);
        fixture.registerInjectableResource((StepAnswers) (orderId, step, target) ->
                answered.contains(target == null ? step.name() : step + ":" + target));
    }

    private static PlaceOrderCommand place(List<OrderLine> items, String fingerprint) {
        return new PlaceOrderCommand(ORDER_ID, "customer-1", items, "EUR", CONTACT, ADDRESS, fingerprint);
    }

    private static OrderPlacedEvent placed() {
        return new OrderPlacedEvent(ORDER_ID, "customer-1", ITEMS, new BigDecimal("2019.79"), "EUR", CONTACT,
                ADDRESS, FINGERPRINT);
    }

    @Nested
    class Placing {

        @Test
        void placingAnOrderEmitsOrderPlacedWithTheTotalOfAllLines() {
            fixture.givenNoPriorActivity()
                    .when(place(ITEMS, FINGERPRINT))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(new Placement(ORDER_ID, false))
                    // 2 x 999.90 + 1 x 19.99, at the scale the multiplication produces
                    .expectEvents(placed());
        }

        @Test
        void theTotalIsNumericallyTheSumOfQuantityTimesUnitPrice() {
            List<OrderLine> items = List.of(
                    new OrderLine("A", 3, new BigDecimal("0.10")),
                    new OrderLine("B", 4, new BigDecimal("2.5")),
                    new OrderLine("C", 1, new BigDecimal("7")));
            fixture.givenNoPriorActivity()
                    .when(place(items, FINGERPRINT))
                    .expectEventsMatching(exactSequenceOf(messageWithPayload(predicate((Object payload) -> {
                        OrderPlacedEvent event = (OrderPlacedEvent) payload;
                        assertThat(event.total()).isEqualByComparingTo("17.30");
                        assertThat(event.items()).isEqualTo(items);
                        assertThat(event.requestFingerprint()).isEqualTo(FINGERPRINT);
                        return true;
                    }))));
        }

        @Test
        void placingAgainWithTheSameIdAndFingerprintChangesNothing() {
            fixture.given(placed())
                    .when(place(ITEMS, FINGERPRINT))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(new Placement(ORDER_ID, true))
                    .expectNoEvents();
        }

        @Test
        void aRetriedPlacementAfterTheFirstOneWentThroughEmitsNothing() {
            fixture.givenCommands(place(ITEMS, FINGERPRINT))
                    .when(place(ITEMS, FINGERPRINT))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void reusingTheOrderIdForAnotherRequestIsRefusedAsIdempotencyKeyReused() {
            fixture.given(placed())
                    .when(place(ITEMS, "another-fingerprint"))
                    .expectException(CommandExecutionException.class)
                    .expectException(predicate((Throwable e) ->
                            ((CommandExecutionException) e).getDetails()
                                    .equals(Optional.of(OrderErrors.IDEMPOTENCY_KEY_REUSED))))
                    .expectExceptionDetails(OrderErrors.IDEMPOTENCY_KEY_REUSED)
                    .expectNoEvents();
        }

        @Test
        void anOrderWithoutLinesIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(place(List.of(), FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void anOrderWithoutAnyItemListIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(place(null, FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aLineWithZeroQuantityIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(place(List.of(ITEMS.get(0), new OrderLine("MOUSE-1", 0, new BigDecimal("19.99"))),
                            FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aLineWithZeroUnitPriceIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(place(List.of(new OrderLine("FREEBIE", 1, BigDecimal.ZERO)), FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aLineWithNegativeUnitPriceIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(place(List.of(new OrderLine("REBATE", 1, new BigDecimal("-5.00"))), FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aLineWithoutUnitPriceIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(place(List.of(new OrderLine("MYSTERY", 1, null)), FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void anOrderWithoutContactDetailsIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new PlaceOrderCommand(ORDER_ID, "customer-1", ITEMS, "EUR", null, ADDRESS, FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void anOrderWithoutShippingAddressIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new PlaceOrderCommand(ORDER_ID, "customer-1", ITEMS, "EUR", CONTACT, null, FINGERPRINT))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class WhileOpen {

        @Test
        void recordingAStepFailureEmitsStepAttemptFailed() {
            fixture.given(placed())
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.RESERVE_STOCK, "LAPTOP-1", 2,
                            "TimeoutException", "timeout"))
                    .expectEvents(new StepAttemptFailedEvent(ORDER_ID, OrderStep.RESERVE_STOCK, "LAPTOP-1", 2,
                            "TimeoutException", "timeout"));
        }

        @Test
        void everyFailedAttemptIsRecordedNotOnlyTheFirst() {
            fixture.given(placed(),
                            new StepAttemptFailedEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 1,
                                    "TimeoutException", "timeout"))
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2,
                            "TimeoutException", "timeout"))
                    .expectEvents(new StepAttemptFailedEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2,
                            "TimeoutException", "timeout"));
        }

        @Test
        void theSameFailedAttemptIsRecordedOnce() {
            fixture.given(placed(),
                            new StepAttemptFailedEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 1,
                                    "TimeoutException", "timeout"))
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 1, "NoAnswer",
                            "reported again by the answer deadline"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void doesNotRecordAFailedAttemptOfAStepThatHasAnsweredMeanwhile() {
            answered.add("RESERVE_STOCK:LAPTOP-1"); // the reservation was stored before the record of its failure
            fixture.given(placed())
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.RESERVE_STOCK, "LAPTOP-1", 2,
                            "NoHandlerForCommandException", "No node known to accept command"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsAFailedAttemptOfAnotherLineWhoseStepHasNotAnswered() {
            answered.add("RESERVE_STOCK:LAPTOP-1");
            fixture.given(placed())
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.RESERVE_STOCK, "MOUSE-1", 1,
                            "TimeoutException", "timeout"))
                    .expectEvents(new StepAttemptFailedEvent(ORDER_ID, OrderStep.RESERVE_STOCK, "MOUSE-1", 1,
                            "TimeoutException", "timeout"));
        }

        @Test
        void doesNotRecordARetryOfAStepThatHasAnsweredMeanwhile() {
            answered.add("CHARGE_PAYMENT");
            fixture.given(placed())
                    .when(new RecordStepRetryCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2, 1000))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsAScheduledRetryWithItsDelay() {
            fixture.given(placed())
                    .when(new RecordStepRetryCommand(ORDER_ID, OrderStep.RESERVE_STOCK, "LAPTOP-1", 2, 1000))
                    .expectEvents(new StepRetryScheduledEvent(ORDER_ID, OrderStep.RESERVE_STOCK, "LAPTOP-1", 2,
                            1000));
        }

        @Test
        void recordsAStepGivenUp() {
            fixture.given(placed())
                    .when(new RecordStepFailedCommand(ORDER_ID, OrderStep.SEND_SMS, null, 3, "SMS gateway down"))
                    .expectEvents(new StepFailedEvent(ORDER_ID, OrderStep.SEND_SMS, null, 3, "SMS gateway down"));
        }

        @Test
        void recordsAStepGivenUpOnce() {
            fixture.given(placed(), new StepFailedEvent(ORDER_ID, OrderStep.SEND_SMS, null, 3, "SMS gateway down"))
                    .when(new RecordStepFailedCommand(ORDER_ID, OrderStep.SEND_SMS, null, 3, "SMS gateway down"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsTheStartOfCompensationOnce() {
            fixture.given(placed(), new CompensationStartedEvent(ORDER_ID, "out of stock"))
                    .when(new StartCompensationCommand(ORDER_ID, "out of stock"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void startsCompensationWithItsReason() {
            fixture.given(placed())
                    .when(new StartCompensationCommand(ORDER_ID, "Payment declined: insufficient funds"))
                    .expectEvents(new CompensationStartedEvent(ORDER_ID, "Payment declined: insufficient funds"));
        }

        @Test
        void completingEmitsOrderCompletedWithTheOrderLines() {
            fixture.given(placed())
                    .when(new CompleteOrderCommand(ORDER_ID))
                    .expectEvents(new OrderCompletedEvent(ORDER_ID, ITEMS));
        }

        @Test
        void cancellingEmitsOrderCancelledWithTheReasonAndTheOrderLines() {
            fixture.given(placed())
                    .when(new CancelOrderCommand(ORDER_ID, "payment declined"))
                    .expectEvents(new OrderCancelledEvent(ORDER_ID, "payment declined", ITEMS));
        }
    }

    @Nested
    class OnceCompleted {

        private final Object[] history = {placed(), new OrderCompletedEvent(ORDER_ID, ITEMS)};

        @Test
        void completingAgainEmitsNothing() {
            fixture.given(history).when(new CompleteOrderCommand(ORDER_ID)).expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void cancellingEmitsNothing() {
            fixture.given(history).when(new CancelOrderCommand(ORDER_ID, "too late"))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void aStepFailureIsNoLongerRecorded() {
            fixture.given(history)
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.SEND_SMS, null, 1,
                            "TimeoutException", "gateway down"))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }
    }

    @Nested
    class OnceCancelled {

        private final Object[] history = {placed(), new OrderCancelledEvent(ORDER_ID, "out of stock", ITEMS)};

        @Test
        void completingEmitsNothing() {
            fixture.given(history).when(new CompleteOrderCommand(ORDER_ID)).expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void cancellingAgainEmitsNothing() {
            fixture.given(history).when(new CancelOrderCommand(ORDER_ID, "again"))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void aStepFailureIsNoLongerRecorded() {
            fixture.given(history)
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.REFUND_PAYMENT, null, 3,
                            "TimeoutException", "timeout"))
                    .expectSuccessfulHandlerExecution().expectNoEvents();
        }

        @Test
        void aCancellationThroughCommandsClosesTheOrderForCompletion() {
            fixture.givenCommands(place(ITEMS, FINGERPRINT), new CancelOrderCommand(ORDER_ID, "customer asked"))
                    .when(new CompleteOrderCommand(ORDER_ID))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }
}
