package io.ordersaga.payment.command;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.payment.gateway.PaymentGateway;
import io.ordersaga.payment.gateway.http.HttpPaymentGateway;
import io.ordersaga.payment.gateway.http.HttpPaymentGatewayProperties;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once through the real protocol: the Payment aggregate and its command handler with the HTTP gateway
 * against a PSP (WireMock) that, like a real one, performs an idempotency key once and replays its first answer.
 */
class PaymentExactlyOnceTest {

    private static final String ORDER_ID = "order-1";
    private static final String PAYMENT_ID = PaymentIds.forOrder(ORDER_ID);
    private static final BigDecimal AMOUNT = new BigDecimal("1999.80");

    @RegisterExtension
    static final WireMockExtension psp = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private FixtureConfiguration<Payment> fixture;
    private HttpPaymentGateway gateway;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Payment.class);
        gateway = new HttpPaymentGateway(new HttpPaymentGatewayProperties(URI.create(psp.baseUrl()), "sk_test_key",
                Duration.ofSeconds(1), Duration.ofSeconds(3)));
        idempotentPsp("/v1/charges", "order-1:charge", """
                {"id":"ch_1","status":"succeeded"}""");
        idempotentPsp("/v1/refunds", "order-1:refund", """
                {"id":"re_1","amount":"1999.80","currency":"EUR"}""");
    }

    /**
     * The first request under {@code key} is performed (201), every later one under the same key is answered with the
     * same body (200, replayed). A request under any other key matches nothing and gets WireMock's 404.
     */
    private static void idempotentPsp(String path, String key, String answer) {
        String scenario = key;
        psp.stubFor(post(path).withHeader("Idempotency-Key", equalTo(key))
                .inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(okJson(answer).withStatus(201))
                .willSetStateTo("performed"));
        psp.stubFor(post(path).withHeader("Idempotency-Key", equalTo(key))
                .inScenario(scenario).whenScenarioStateIs("performed")
                .willReturn(okJson(answer).withHeader("Idempotent-Replayed", "true")));
    }

    private static ChargePaymentCommand charge() {
        return new ChargePaymentCommand(PAYMENT_ID, ORDER_ID, "c-42", AMOUNT, "EUR");
    }

    private static RefundPaymentCommand refund() {
        return new RefundPaymentCommand(PAYMENT_ID, ORDER_ID, "order cancelled");
    }

    private static PaymentChargedEvent charged() {
        return new PaymentChargedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "ch_1");
    }

    private static List<LoggedRequest> requestsTo(String path) {
        return psp.findAll(postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void aRedeliveredChargeReachesTheProviderOnce() {
        fixture.registerAnnotatedCommandHandler(new PaymentCommandHandler(fixture.getRepository(), gateway));

        fixture.givenCommands(charge())
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(requestsTo("/v1/charges")).hasSize(1);
    }

    @Test
    void aChargeOfAPaymentWhoseChargeIsStoredDoesNotReachTheProvider() {
        fixture.registerAnnotatedCommandHandler(new PaymentCommandHandler(fixture.getRepository(), gateway));

        fixture.given(charged())
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(requestsTo("/v1/charges")).isEmpty();
    }

    @Test
    void aChargeRepeatedAfterTheProcessDiedBetweenTheProvidersAnswerAndStoringItIsChargedOnceUnderOneKey() {
        DiesAfterTheProviderAnswers crashing = new DiesAfterTheProviderAnswers(gateway);
        fixture.registerAnnotatedCommandHandler(new PaymentCommandHandler(fixture.getRepository(), crashing));

        fixture.givenNoPriorActivity()
                .when(charge())
                .expectException(ProcessDied.class)
                .expectNoEvents();
        assertThat(requestsTo("/v1/charges")).hasSize(1);

        fixture.givenNoPriorActivity()
                .when(charge())
                .expectSuccessfulHandlerExecution()
                .expectEvents(charged());

        List<LoggedRequest> charges = requestsTo("/v1/charges");
        assertThat(charges).hasSize(2);
        assertThat(charges).extracting(request -> request.getHeader("Idempotency-Key"))
                .containsOnly("order-1:charge");
        assertThat(charges.get(1).getBodyAsString()).isEqualTo(charges.get(0).getBodyAsString());
        assertThat(psp.getAllServeEvents()).allSatisfy(served ->
                assertThat(served.getWasMatched()).as("every request was one the PSP knew").isTrue());
    }

    @Test
    void aRedeliveredRefundReachesTheProviderOnce() {
        fixture.registerAnnotatedCommandHandler(new PaymentCommandHandler(fixture.getRepository(), gateway));

        fixture.givenCommands(charge(), refund())
                .when(refund())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(requestsTo("/v1/charges")).hasSize(1);
        assertThat(requestsTo("/v1/refunds")).hasSize(1);
    }

    @Test
    void aRefundRepeatedAfterTheProcessDiedIsRecordedOnceWithTheProvidersFirstAnswer() {
        DiesAfterTheProviderAnswers crashing = new DiesAfterTheProviderAnswers(gateway);
        fixture.registerAnnotatedCommandHandler(new PaymentCommandHandler(fixture.getRepository(), crashing));

        fixture.given(charged()).when(refund()).expectException(ProcessDied.class).expectNoEvents();
        fixture.given(charged())
                .when(refund())
                .expectEvents(new PaymentRefundedEvent(PAYMENT_ID, ORDER_ID, AMOUNT, "EUR", "re_1"));

        assertThat(requestsTo("/v1/refunds")).hasSize(2)
                .extracting(request -> request.getHeader("Idempotency-Key")).containsOnly("order-1:refund");
    }

    /** The process died after the provider answered and before the outcome was stored. */
    static final class ProcessDied extends RuntimeException {
        ProcessDied() {
            super("process died after the provider answered");
        }
    }

    /** Lets the first call reach the provider, then dies; later calls go through. */
    static final class DiesAfterTheProviderAnswers implements PaymentGateway {

        private final PaymentGateway provider;
        private boolean died;

        DiesAfterTheProviderAnswers(PaymentGateway provider) {
            this.provider = provider;
        }

        @Override
        public ChargeOutcome charge(ChargeRequest request) {
            return dieOnce(provider.charge(request));
        }

        @Override
        public RefundOutcome refund(RefundRequest request) {
            return dieOnce(provider.refund(request));
        }

        private <T> T dieOnce(T answer) {
            if (!died) {
                died = true;
                throw new ProcessDied();
            }
            return answer;
        }
    }
}
