package io.ordersaga.notification.sender.http;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.SmsSender.SmsMessage;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
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

class HttpSmsSenderTest {

    private static final String API_KEY = "sms_key_0123456789secret";
    private static final String PHONE = "+31612345678";
    private static final SmsMessage MESSAGE =
            new SmsMessage("order-1:sms", PHONE, "Order order-1 is on its way. Tracking: 3SABCD1234567");

    @RegisterExtension
    static final WireMockExtension gateway = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static HttpSmsSender sender() {
        return sender(URI.create(gateway.baseUrl()), Duration.ofSeconds(3));
    }

    private static HttpSmsSender sender(URI baseUrl, Duration readTimeout) {
        return new HttpSmsSender(new HttpSmsSenderProperties(baseUrl, API_KEY, Duration.ofSeconds(1), readTimeout));
    }

    private static void stubMessages(int status, String json) {
        gateway.stubFor(post("/v1/messages").willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(json)));
    }

    private static void assertKeepsSecretsAndPhoneNumber(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY).doesNotContain("612345678");
        }
    }

    @Test
    void aMessageIsPostedWithTheIdempotencyKeyAndBearerKeyAnd202MeansAccepted() {
        stubMessages(202, """
                {"id":"msg_789","status":"queued"}""");

        Delivery delivery = sender().send(MESSAGE);

        assertThat(delivery).isEqualTo(Delivery.accepted("msg_789"));
        gateway.verify(1, postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("Idempotency-Key", equalTo("order-1:sms"))
                .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"to":"+31612345678","text":"Order order-1 is on its way. Tracking: 3SABCD1234567"}""")));
        assertThat(gateway.getAllServeEvents()).hasSize(1);
    }

    @ParameterizedTest(name = "HTTP {0} is accepted")
    @ValueSource(ints = {200, 201})
    void otherSuccessfulAnswersAreAcceptedToo(int status) {
        stubMessages(status, """
                {"id":"msg_789"}""");

        assertThat(sender().send(MESSAGE)).isEqualTo(Delivery.accepted("msg_789"));
    }

    @Test
    void a422IsARejectionWithTheGatewaysReasonAndTheNumberMasked() {
        stubMessages(422, """
                {"error":{"code":"invalid_number","message":"invalid number +31612345678"}}""");

        Delivery delivery = sender().send(MESSAGE);

        assertThat(delivery).isEqualTo(Delivery.rejected("invalid number +31*******78"));
    }

    @Test
    void a400IsARejectionToo() {
        stubMessages(400, """
                {"error":{"message":"invalid number"}}""");

        assertThat(sender().send(MESSAGE)).isEqualTo(Delivery.rejected("invalid number"));
    }

    @Test
    void a503IsUnavailable() {
        stubMessages(503, "{}");

        Throwable thrown = catchThrowable(() -> sender().send(MESSAGE));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("503").hasMessageContaining("order-1:sms");
        assertKeepsSecretsAndPhoneNumber(thrown);
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @ValueSource(ints = {500, 502, 504, 408, 409, 429})
    void serverErrorsAndTransientClientErrorsAreUnavailable(int status) {
        stubMessages(status, "{}");

        assertThatThrownBy(() -> sender().send(MESSAGE))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining(String.valueOf(status));
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsUnavailable() {
        gateway.stubFor(post("/v1/messages").willReturn(okJson("""
                {"id":"msg_789"}""").withFixedDelay(3_000)));
        HttpSmsSender impatient = sender(URI.create(gateway.baseUrl()), Duration.ofMillis(300));

        Throwable thrown = catchThrowable(() -> impatient.send(MESSAGE));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("did not answer in time").hasNoCause();
        assertKeepsSecretsAndPhoneNumber(thrown);
    }

    @Test
    void aGatewayThatIsNotListeningIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Throwable thrown = catchThrowable(() ->
                sender(URI.create("http://localhost:" + closedPort), Duration.ofSeconds(3)).send(MESSAGE));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("not reachable").hasNoCause();
        assertKeepsSecretsAndPhoneNumber(thrown);
    }

    @ParameterizedTest(name = "HTTP {0} is a rejected request")
    @ValueSource(ints = {401, 403})
    void badCredentialsAreRejected(int status) {
        stubMessages(status, """
                {"error":{"code":"unauthorized","message":"bad key %s"}}""".formatted(API_KEY));

        Throwable thrown = catchThrowable(() -> sender().send(MESSAGE));

        assertThat(thrown).isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining(String.valueOf(status)).hasNoCause();
        assertKeepsSecretsAndPhoneNumber(thrown);
    }

    @Test
    void a404IsAWrongUrlAndRejected() {
        gateway.stubFor(post("/v1/messages").willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() -> sender().send(MESSAGE))
                .isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining("404");
    }

    @Test
    void aSuccessfulAnswerWithoutAMessageIdIsUnavailableBecauseTheOutcomeIsUnknown() {
        stubMessages(202, "{}");

        assertThatThrownBy(() -> sender().send(MESSAGE))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("outcome unknown");
    }

    @Test
    void theSettingsNeverShowTheApiKey() {
        assertThat(new HttpSmsSenderProperties(URI.create(gateway.baseUrl()), API_KEY, Duration.ofSeconds(1),
                Duration.ofSeconds(3)).toString()).doesNotContain(API_KEY).contains("apiKey=***");
    }
}
