package io.ordersaga.payment.command;

import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.payment.gateway.PaymentGateway;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentCommandHandlerTest {

    private static final String ORDER_ID = "order-1";
    private static final String PAYMENT_ID = PaymentIds.forOrder(ORDER_ID);
    private static final BigDecimal AMOUNT = new BigDecimal("2019.79");

    private FixtureConfiguration<Payment> fixture;
    private FakePaymentGateway gateway;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Payment.class);
        gateway = new FakePaymentGateway();
        fixture.registerAnnotatedCommandHandler(new PaymentCommandHandler(fixture.getRepository(), gateway));
    }

    private static ChargePaymentCommand charge() {
        return new ChargePaymentCommand(PAYMENT_ID, ORDER_ID, "customer-1", AMOUNT, "EUR");
    }

    private static RefundPaymentCommand refund() {
        return new RefundPaymentCommand(PAYMENT_ID, ORDER_ID, "order cancelled");
    }

    private static PaymentChargedEvent chargedEvent() {
        return new PaymentChargedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "psp-charge-1");
    }

    @Test
    void aChargeCallsTheProviderOnceUnderTheOrdersChargeKeyAndRecordsItsReference() {
        gateway.chargeAnswer = () -> PaymentGateway.ChargeOutcome.charged("psp-charge-1");

        fixture.givenNoPriorActivity()
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectEvents(chargedEvent());

        assertThat(gateway.charges).containsExactly(
                new PaymentGateway.ChargeRequest("order-1:charge", ORDER_ID, "customer-1", AMOUNT, "EUR"));
        assertThat(gateway.refunds).isEmpty();
    }

    @Test
    void aRepeatedChargeAfterTheChargeEmitsNothingAndDoesNotCallTheProviderAgain() {
        gateway.chargeAnswer = () -> PaymentGateway.ChargeOutcome.charged("psp-charge-1");

        fixture.givenCommands(charge())
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(gateway.charges).hasSize(1);
    }

    @Test
    void aChargeOfAnAlreadyChargedPaymentDoesNotCallTheProvider() {
        fixture.given(chargedEvent())
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(gateway.charges).isEmpty();
    }

    @Test
    void aDeclinedChargeIsRecordedAsDeclinedWithTheProvidersReason() {
        gateway.chargeAnswer = () -> PaymentGateway.ChargeOutcome.declined("insufficient funds");

        fixture.givenNoPriorActivity()
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PaymentDeclinedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "insufficient funds"));

        assertThat(gateway.charges).hasSize(1);
    }

    @Test
    void aChargeOfADeclinedPaymentEmitsNothingAndDoesNotCallTheProvider() {
        fixture.given(new PaymentDeclinedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "insufficient funds"))
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(gateway.charges).isEmpty();
    }

    @Test
    void aTransientProviderFailureFailsTheCommandAndRecordsNothing() {
        gateway.chargeAnswer = () -> {
            throw new ProviderUnavailable("provider timed out");
        };

        fixture.givenNoPriorActivity()
                .when(charge())
                .expectException(ProviderUnavailable.class)
                .expectExceptionMessage("provider timed out")
                .expectNoEvents();

        assertThat(gateway.charges).hasSize(1);
    }

    @Test
    void aChargeRetriedAfterATransientFailureReachesTheProviderAgainUnderTheSameKey() {
        gateway.chargeAnswer = () -> {
            throw new ProviderUnavailable("provider timed out");
        };
        fixture.givenNoPriorActivity().when(charge()).expectException(ProviderUnavailable.class);

        gateway.chargeAnswer = () -> PaymentGateway.ChargeOutcome.charged("psp-charge-1");
        fixture.givenNoPriorActivity()
                .when(charge())
                .expectEvents(chargedEvent());

        assertThat(gateway.charges).extracting(PaymentGateway.ChargeRequest::idempotencyKey)
                .containsExactly("order-1:charge", "order-1:charge");
    }

    @Test
    void aRefundAfterAChargeRecordsTheRefundedAmount() {
        gateway.refundAnswer = () -> new PaymentGateway.RefundOutcome(AMOUNT, "EUR", "psp-refund-1");

        fixture.given(chargedEvent())
                .when(refund())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PaymentRefundedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "psp-refund-1"));

        assertThat(gateway.refunds).containsExactly(
                new PaymentGateway.RefundRequest("order-1:refund", ORDER_ID));
        assertThat(gateway.charges).isEmpty();
    }

    @Test
    void aRefundWithoutAnEarlierChargeRecordsARefundOfZero() {
        gateway.refundAnswer = () -> new PaymentGateway.RefundOutcome(BigDecimal.ZERO, "EUR", null);

        fixture.givenNoPriorActivity()
                .when(refund())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PaymentRefundedEvent(PAYMENT_ID, ORDER_ID, BigDecimal.ZERO, "EUR", null));

        assertThat(gateway.refunds).containsExactly(
                new PaymentGateway.RefundRequest("order-1:refund", ORDER_ID));
    }

    @Test
    void aRefundOfADeclinedPaymentRecordsWhatTheProviderGaveBack() {
        gateway.refundAnswer = () -> new PaymentGateway.RefundOutcome(BigDecimal.ZERO, "EUR", null);

        fixture.given(new PaymentDeclinedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "insufficient funds"))
                .when(refund())
                .expectEvents(new PaymentRefundedEvent(PAYMENT_ID, ORDER_ID, BigDecimal.ZERO, "EUR", null));
    }

    @Test
    void aSecondRefundEmitsNothingAndDoesNotCallTheProvider() {
        fixture.given(chargedEvent(),
                        new PaymentRefundedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "psp-refund-1"))
                .when(refund())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(gateway.refunds).isEmpty();
    }

    @Test
    void aRepeatedRefundCallsTheProviderOnlyOnce() {
        gateway.chargeAnswer = () -> PaymentGateway.ChargeOutcome.charged("psp-charge-1");
        gateway.refundAnswer = () -> new PaymentGateway.RefundOutcome(AMOUNT, "EUR", "psp-refund-1");

        fixture.givenCommands(charge(), refund())
                .when(refund())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(gateway.refunds).hasSize(1);
    }

    @Test
    void aTransientProviderFailureOnRefundFailsTheCommandAndRecordsNothing() {
        gateway.refundAnswer = () -> {
            throw new ProviderUnavailable("provider down");
        };

        fixture.given(chargedEvent())
                .when(refund())
                .expectException(ProviderUnavailable.class)
                .expectNoEvents();
    }

    @Test
    void aChargeArrivingAfterTheRefundDoesNotCallTheProvider() {
        fixture.given(new PaymentRefundedEvent(PAYMENT_ID, ORDER_ID, BigDecimal.ZERO, "EUR", null))
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(gateway.charges).isEmpty();
    }

    /** A transient provider failure: a timeout, an outage, a 5xx. */
    static final class ProviderUnavailable extends RuntimeException {
        ProviderUnavailable(String message) {
            super(message);
        }
    }

    /** Records every call; answers as told, and fails the test loudly if asked something it was not told. */
    static final class FakePaymentGateway implements PaymentGateway {

        interface Answer<T> {
            T get();
        }

        final List<ChargeRequest> charges = new ArrayList<>();
        final List<RefundRequest> refunds = new ArrayList<>();
        Answer<ChargeOutcome> chargeAnswer = () -> {
            throw new AssertionError("the test did not expect a charge");
        };
        Answer<RefundOutcome> refundAnswer = () -> {
            throw new AssertionError("the test did not expect a refund");
        };

        @Override
        public ChargeOutcome charge(ChargeRequest request) {
            charges.add(request);
            return chargeAnswer.get();
        }

        @Override
        public RefundOutcome refund(RefundRequest request) {
            refunds.add(request);
            return refundAnswer.get();
        }
    }
}
