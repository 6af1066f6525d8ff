package io.ordersaga.payment.gateway.http;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.ordersaga.payment.gateway.PaymentGateway.ChargeOutcome;
import io.ordersaga.payment.gateway.PaymentGateway.ChargeRequest;
import io.ordersaga.payment.gateway.PaymentGateway.RefundOutcome;
import io.ordersaga.payment.gateway.PaymentGateway.RefundRequest;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class HttpPaymentGatewayTest {

    private static final String API_KEY = "sk_test_0123456789secret";
    private static final String ORDER_ID = "order-1";

    @RegisterExtension
    static final WireMockExtension psp = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static HttpPaymentGateway gateway() {
        return gateway(URI.create(psp.baseUrl()), Duration.ofSeconds(3));
    }

    private static HttpPaymentGateway gateway(URI baseUrl, Duration readTimeout) {
        return new HttpPaymentGateway(
                new HttpPaymentGatewayProperties(baseUrl, API_KEY, Duration.ofSeconds(1), readTimeout));
    }

    private static ChargeRequest charge(String amount) {
        return new ChargeRequest("order-1:charge", ORDER_ID, "c-42", new BigDecimal(amount), "EUR");
    }

    private static RefundRequest refund() {
        return new RefundRequest("order-1:refund", ORDER_ID);
    }

    private static void stubCharge(int status, String json) {
        psp.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(json)));
    }

    private static void stubRefund(int status, String json) {
        psp.stubFor(post("/v1/refunds").willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(json)));
    }

    /** Neither the message nor any cause's message names the API key. */
    private static void assertKeepsTheApiKeySecret(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
            assertThat(t.toString()).doesNotContain(API_KEY);
        }
    }

    // --- charge ---

    @Test
    void aChargeIsPostedAsJsonWithTheIdempotencyKeyAndBearerKeyAnd201MeansCharged() {
        stubCharge(201, """
                {"id":"ch_123","status":"succeeded","created":1700000000}""");

        ChargeOutcome outcome = gateway().charge(charge("1999.8"));

        assertThat(outcome).isEqualTo(ChargeOutcome.charged("ch_123"));
        psp.verify(1, postRequestedFor(urlEqualTo("/v1/charges"))
                .withHeader("Idempotency-Key", equalTo("order-1:charge"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"amount":"1999.80","currency":"EUR","customer":"c-42","reference":"order-1"}""")));
        assertThat(psp.getAllServeEvents()).hasSize(1);
    }

    @Test
    void a200ReplayOfTheFirstAnswerIsCharged() {
        stubCharge(200, """
                {"id":"ch_123","status":"succeeded"}""");

        assertThat(gateway().charge(charge("10.00"))).isEqualTo(ChargeOutcome.charged("ch_123"));
    }

    @Test
    void a402IsADeclineWithTheProvidersMessage() {
        stubCharge(402, """
                {"error":{"code":"card_declined","message":"insufficient funds"}}""");

        assertThat(gateway().charge(charge("1999.80"))).isEqualTo(ChargeOutcome.declined("insufficient funds"));
    }

    @Test
    void a402WithoutAMessageIsADeclineWithTheProvidersCode() {
        stubCharge(402, """
                {"error":{"code":"card_declined"}}""");

        assertThat(gateway().charge(charge("1999.80"))).isEqualTo(ChargeOutcome.declined("card_declined"));
    }

    @Test
    void a503IsUnavailable() {
        stubCharge(503, """
                {"error":{"code":"maintenance"}}""");

        Throwable thrown = catchThrowable(() -> gateway().charge(charge("1999.80")));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("503").hasMessageContaining("order-1:charge");
        assertKeepsTheApiKeySecret(thrown);
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @ValueSource(ints = {500, 502, 504, 408, 409, 429})
    void serverErrorsAndTransientClientErrorsAreUnavailable(int status) {
        stubCharge(status, "{}");

        assertThatThrownBy(() -> gateway().charge(charge("1999.80")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining(String.valueOf(status));
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsUnavailable() {
        psp.stubFor(post("/v1/charges").willReturn(okJson("""
                {"id":"ch_123","status":"succeeded"}""").withFixedDelay(3_000)));
        HttpPaymentGateway impatient = gateway(URI.create(psp.baseUrl()), Duration.ofMillis(300));

        Throwable thrown = catchThrowable(() -> impatient.charge(charge("1999.80")));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("did not answer in time").hasMessageContaining("order-1:charge")
                .hasMessageContaining("HttpTimeoutException")
                .hasNoCause();
        assertKeepsTheApiKeySecret(thrown);
    }

    @Test
    void aProviderThatIsNotListeningIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpPaymentGateway unreachable = gateway(URI.create("http://localhost:" + closedPort), Duration.ofSeconds(3));

        Throwable thrown = catchThrowable(() -> unreachable.charge(charge("1999.80")));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("not reachable").hasMessageContaining("ConnectException")
                .hasNoCause();
        assertKeepsTheApiKeySecret(thrown);
    }

    @Test
    void a401IsRejectedAndTheKeyTheProviderEchoesIsNotRepeated() {
        stubCharge(401, """
                {"error":{"code":"invalid_api_key","message":"Invalid API key provided: %s"}}""".formatted(API_KEY));

        Throwable thrown = catchThrowable(() -> gateway().charge(charge("1999.80")));

        assertThat(thrown).isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining("401").hasMessageContaining("invalid_api_key")
                .hasNoCause();
        assertKeepsTheApiKeySecret(thrown);
    }

    @ParameterizedTest(name = "HTTP {0} is permanent")
    @ValueSource(ints = {400, 403, 404, 422})
    void otherClientErrorsAreRejected(int status) {
        stubCharge(status, """
                {"error":{"code":"parameter_invalid","message":"currency is not supported"}}""");

        assertThatThrownBy(() -> gateway().charge(charge("1999.80")))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining(String.valueOf(status))
                .hasMessageContaining("currency is not supported");
    }

    @Test
    void aSuccessfulStatusWithAnUnreadableBodyIsUnavailableBecauseTheOutcomeIsUnknown() {
        psp.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(201).withBody("<html>ok</html>")));

        assertThatThrownBy(() -> gateway().charge(charge("1999.80")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("outcome unknown");
    }

    @Test
    void aChargeThatIsStillPendingIsUnavailableUntilItIsFinal() {
        stubCharge(200, """
                {"id":"ch_123","status":"pending"}""");

        assertThatThrownBy(() -> gateway().charge(charge("1999.80")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("ch_123 is pending");
    }

    @Test
    void anAmountWithMoreThanTwoDecimalsIsABugAndIsNotSent() {
        assertThatThrownBy(() -> gateway().charge(charge("19.999")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(psp.getAllServeEvents()).isEmpty();
    }

    // --- refund ---

    @Test
    void aRefundIsPostedWithTheOrderAsReferenceAndItsAnswerIsTheRefundedAmount() {
        stubRefund(200, """
                {"id":"re_456","amount":"1999.80","currency":"EUR","charge":"ch_123"}""");

        RefundOutcome outcome = gateway().refund(refund());

        assertThat(outcome).isEqualTo(new RefundOutcome(new BigDecimal("1999.80"), "EUR", "re_456"));
        psp.verify(1, postRequestedFor(urlEqualTo("/v1/refunds"))
                .withHeader("Idempotency-Key", equalTo("order-1:refund"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"reference":"order-1"}""")));
    }

    @Test
    void aRefundOfAnOrderThatWasNeverChargedRefundsNothing() {
        stubRefund(404, """
                {"error":{"code":"charge_not_found","message":"no charge for reference order-1"}}""");

        assertThat(gateway().refund(refund())).isEqualTo(new RefundOutcome(BigDecimal.ZERO, null, null));
    }

    @Test
    void a404WithoutChargeNotFoundIsAWrongUrlAndRejected() {
        psp.stubFor(post("/v1/refunds").willReturn(aResponse().withStatus(404).withBody("Not Found")));

        assertThatThrownBy(() -> gateway().refund(refund()))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining("404");
    }

    @Test
    void aRefundAnswered503IsUnavailable() {
        stubRefund(503, "{}");

        assertThatThrownBy(() -> gateway().refund(refund()))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("order-1:refund");
    }

    @Test
    void aRefundAnswered401IsRejected() {
        stubRefund(401, """
                {"error":{"code":"invalid_api_key"}}""");

        Throwable thrown = catchThrowable(() -> gateway().refund(refund()));

        assertThat(thrown).isInstanceOf(ProviderRejectedException.class).hasMessageContaining("401");
        assertKeepsTheApiKeySecret(thrown);
    }

    @Test
    void theSettingsNeverShowTheApiKey() {
        HttpPaymentGatewayProperties settings = new HttpPaymentGatewayProperties(URI.create(psp.baseUrl()), API_KEY,
                Duration.ofSeconds(1), Duration.ofSeconds(3));

        assertThat(settings.toString()).doesNotContain(API_KEY).contains("apiKey=***");
    }
}
