package io.ordersaga.order.command;

import io.ordersaga.contracts.order.CompensationStartedEvent;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderCancellationRequestedEvent;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.ParkedOrderRetriedEvent;
import io.ordersaga.contracts.order.RecordParkedOrderRetryCommand;
import io.ordersaga.contracts.order.RecordStepFailedCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.RequestCancellationCommand;
import io.ordersaga.contracts.order.RetryStepCommand;
import io.ordersaga.contracts.order.SkipStepCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.order.StepSkippedByOperatorEvent;
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

/**
 * An operator's actions on the Order: each recorded once with who and why, refused where it makes no sense (the order
 * has ended, no step waits, the step may not be skipped, compensation is under way), and records the saga decided
 * before it saw an action (stale attempts, a skipped step, steps towards completion after a cancellation) dropped.
 */
class OrderOperatorTest {

    private static final String ORDER_ID = "order-1";
    private static final List<OrderLine> ITEMS = List.of(new OrderLine("LAPTOP-1", 2, new BigDecimal("999.90")));

    private FixtureConfiguration<Order> fixture;
    private final Set<String> answered = new HashSet<>();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Order.class);
        fixture.registerInjectableResource((StepAnswers) (orderId, step, target) ->
                answered.contains(target == null ? step.name() : step + ":" + target));
    }

    private static OrderPlacedEvent placed() {
        return new OrderPlacedEvent(ORDER_ID, "customer-1", ITEMS, new BigDecimal("1999.80"), "EUR",
                new ContactDetails("ada@example.com", "+31612345678"),
                new ShippingAddress("Ada Lovelace", "Main Street 1", "Amsterdam", "1011AB", "NL"), "fp");
    }

    private static StepAttemptFailedEvent failed(OrderStep step, int attempt) {
        return new StepAttemptFailedEvent(ORDER_ID, step, null, attempt, "ServiceUnavailableException", "down");
    }

    private static StepRetryScheduledEvent retry(OrderStep step, int attempt) {
        return new StepRetryScheduledEvent(ORDER_ID, step, null, attempt, 1000);
    }

    @Nested
    class Retry {

        @Test
        void recordsWhoRetriedTheStepInBackoffAndNumbersTheFreshAttemptsOn() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1), retry(OrderStep.CHARGE_PAYMENT, 2))
                    .when(new RetryStepCommand(ORDER_ID, "alice", "the PSP is back"))
                    .expectEvents(new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 3, "alice",
                            "the PSP is back"))
                    .expectResultMessagePayload(new OperatorDecision(ORDER_ID, "retry", List.of("CHARGE_PAYMENT"),
                            false));
        }

        @Test
        void recordsNothingMoreWhenAskedAgainBeforeTheFreshAttemptFailed() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1), retry(OrderStep.CHARGE_PAYMENT, 2),
                            new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 3, "alice", null))
                    .when(new RetryStepCommand(ORDER_ID, "alice", null))
                    .expectNoEvents()
                    .expectResultMessagePayload(new OperatorDecision(ORDER_ID, "retry", List.of("CHARGE_PAYMENT"),
                            true));
        }

        @Test
        void retriesAgainOnceTheFreshAttemptFailedToo() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1),
                            new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2, "alice", null),
                            failed(OrderStep.CHARGE_PAYMENT, 2))
                    .when(new RetryStepCommand(ORDER_ID, "bob", null))
                    .expectEvents(new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 3, "bob",
                            null));
        }

        @Test
        void isRefusedWhenNoStepWaits() {
            fixture.given(placed())
                    .when(new RetryStepCommand(ORDER_ID, "alice", null))
                    .expectNoEvents()
                    .expectException(CommandExecutionException.class)
                    .expectExceptionDetails(OrderErrors.NOT_WAITING);
        }

        @Test
        void isRefusedWhenTheStepHasAnsweredSince() {
            answered.add("CHARGE_PAYMENT");
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1), retry(OrderStep.CHARGE_PAYMENT, 2))
                    .when(new RetryStepCommand(ORDER_ID, "alice", null))
                    .expectNoEvents()
                    .expectExceptionDetails(OrderErrors.NOT_WAITING);
        }

        @Test
        void isRefusedOnceTheOrderHasEnded() {
            fixture.given(placed(), failed(OrderStep.SEND_SMS, 1), new OrderCompletedEvent(ORDER_ID, ITEMS))
                    .when(new RetryStepCommand(ORDER_ID, "alice", null))
                    .expectNoEvents()
                    .expectExceptionDetails(OrderErrors.ORDER_ENDED)
                    .expectExceptionMessage("Order order-1 has ended (COMPLETED): nothing to retry");
        }

        @Test
        void retriesACompletionThatWasGivenUp() {
            fixture.given(placed(), failed(OrderStep.COMPLETE_ORDER, 1),
                            new StepFailedEvent(ORDER_ID, OrderStep.COMPLETE_ORDER, null, 1, "gave up"))
                    .when(new RetryStepCommand(ORDER_ID, "alice", null))
                    .expectEvents(new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.COMPLETE_ORDER, null, 2, "alice",
                            null));
        }

        @Test
        void dropsTheRecordsOfAttemptsBeforeTheFreshSet() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1), retry(OrderStep.CHARGE_PAYMENT, 2),
                            new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 3, "alice", null))
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2, "Timeout", "late"))
                    .expectNoEvents();
        }

        @Test
        void dropsTheGivingUpDecidedBeforeTheFreshSet() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1),
                            new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2, "alice", null))
                    .when(new RecordStepFailedCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 1, "gave up"))
                    .expectNoEvents();
        }

        @Test
        void recordsTheFailuresOfTheFreshSet() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1),
                            new StepRetriedByOperatorEvent(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2, "alice", null))
                    .when(new RecordStepRetryCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 3, 1000))
                    .expectEvents(retry(OrderStep.CHARGE_PAYMENT, 3));
        }
    }

    @Nested
    class Skip {

        @Test
        void recordsTheSkippedSms() {
            fixture.given(placed(), failed(OrderStep.SEND_SMS, 1), retry(OrderStep.SEND_SMS, 2))
                    .when(new SkipStepCommand(ORDER_ID, "alice", "gateway down"))
                    .expectEvents(new StepSkippedByOperatorEvent(ORDER_ID, OrderStep.SEND_SMS, null, "alice",
                            "gateway down"));
        }

        @Test
        void recordsNothingMoreWhenAskedAgain() {
            fixture.given(placed(), failed(OrderStep.SEND_SMS, 1),
                            new StepSkippedByOperatorEvent(ORDER_ID, OrderStep.SEND_SMS, null, "alice", null))
                    .when(new SkipStepCommand(ORDER_ID, "alice", null))
                    .expectNoEvents()
                    .expectResultMessagePayload(new OperatorDecision(ORDER_ID, "skip", List.of("SEND_SMS"),
                            true));
        }

        @Test
        void isRefusedForACriticalStep() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1), retry(OrderStep.CHARGE_PAYMENT, 2))
                    .when(new SkipStepCommand(ORDER_ID, "alice", null))
                    .expectNoEvents()
                    .expectExceptionDetails(OrderErrors.NOT_WAITING)
                    .expectExceptionMessage("Order order-1 waits for [CHARGE_PAYMENT], which cannot be skipped:"
                            + " only the confirmation e-mail and SMS can");
        }

        @Test
        void isRefusedOnceTheOrderHasEnded() {
            fixture.given(placed(), failed(OrderStep.SEND_SMS, 1), new OrderCompletedEvent(ORDER_ID, ITEMS))
                    .when(new SkipStepCommand(ORDER_ID, "alice", null))
                    .expectExceptionDetails(OrderErrors.ORDER_ENDED);
        }

        @Test
        void dropsTheRecordsOfASkippedStep() {
            fixture.given(placed(), failed(OrderStep.SEND_SMS, 1),
                            new StepSkippedByOperatorEvent(ORDER_ID, OrderStep.SEND_SMS, null, "alice", null))
                    .when(new RecordStepRetryCommand(ORDER_ID, OrderStep.SEND_SMS, null, 2, 1000))
                    .expectNoEvents();
        }
    }

    @Nested
    class Cancel {

        @Test
        void recordsWhoCancelledAndWhy() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1))
                    .when(new RequestCancellationCommand(ORDER_ID, "alice", "the customer asked"))
                    .expectEvents(new OrderCancellationRequestedEvent(ORDER_ID, "alice", "the customer asked"));
        }

        @Test
        void recordsNothingMoreWhenAskedAgain() {
            fixture.given(placed(), new OrderCancellationRequestedEvent(ORDER_ID, "alice", "the customer asked"))
                    .when(new RequestCancellationCommand(ORDER_ID, "alice", "the customer asked"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new OperatorDecision(ORDER_ID, "cancel", List.of(), true));
        }

        @Test
        void isRefusedWhileCompensationIsUnderWay() {
            fixture.given(placed(), new CompensationStartedEvent(ORDER_ID, "Payment declined"))
                    .when(new RequestCancellationCommand(ORDER_ID, "alice", "the customer asked"))
                    .expectNoEvents()
                    .expectExceptionDetails(OrderErrors.ALREADY_COMPENSATING);
        }

        @Test
        void isRefusedOnceTheOrderIsCancelled() {
            fixture.given(placed(), new OrderCancelledEvent(ORDER_ID, "Payment declined", ITEMS))
                    .when(new RequestCancellationCommand(ORDER_ID, "alice", "the customer asked"))
                    .expectExceptionDetails(OrderErrors.ORDER_ENDED);
        }

        @Test
        void neverCompletesACancelledOrder() {
            fixture.given(placed(), new OrderCancellationRequestedEvent(ORDER_ID, "alice", "the customer asked"))
                    .when(new CompleteOrderCommand(ORDER_ID))
                    .expectNoEvents();
        }

        @Test
        void dropsTheRecordsOfStepsTowardsCompletion() {
            fixture.given(placed(), failed(OrderStep.CHARGE_PAYMENT, 1),
                            new OrderCancellationRequestedEvent(ORDER_ID, "alice", "the customer asked"))
                    .when(new RecordStepRetryCommand(ORDER_ID, OrderStep.CHARGE_PAYMENT, null, 2, 1000))
                    .expectNoEvents();
        }

        @Test
        void stillRecordsTheFailuresOfTheCompensation() {
            fixture.given(placed(), new OrderCancellationRequestedEvent(ORDER_ID, "alice", "the customer asked"))
                    .when(new RecordStepFailureCommand(ORDER_ID, OrderStep.REFUND_PAYMENT, null, 1, "Timeout", "t"))
                    .expectEvents(new StepAttemptFailedEvent(ORDER_ID, OrderStep.REFUND_PAYMENT, null, 1, "Timeout",
                            "t"));
        }
    }

    @Test
    void recordsTheRetryOfAParkedOrderWhateverItsState() {
        fixture.given(placed(), new OrderCompletedEvent(ORDER_ID, ITEMS))
                .when(new RecordParkedOrderRetryCommand(ORDER_ID, "alice", 3, true, null))
                .expectEvents(new ParkedOrderRetriedEvent(ORDER_ID, "alice", 3, true, null));
    }
}
