package io.ordersaga.notification.sender.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ordersaga.contracts.Redact;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.SmsSender;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Sends SMS through an HTTP SMS gateway; active when {@code ordersaga.notification.sms=http}, configured by
 * {@link HttpSmsSenderProperties} ({@code ordersaga.notification.sms-http.base-url}, {@code .api-key},
 * {@code .connect-timeout} (1 s), {@code .read-timeout} (3 s)).
 *
 * <h2>The gateway's API</h2>
 * The request is JSON and carries {@code Authorization: Bearer <api-key>} and {@code Idempotency-Key: <key>}
 * ({@code <orderId>:sms}); the gateway sends a key's message once and answers a repeated key with the first answer.
 * <pre>
 * POST /v1/messages  {"to":"+31612345678","text":"Order … is on its way. Tracking: …"}
 *   200/201/202 {"id":"msg_…"}                            → accepted, message id msg_…
 *   400/422     {"error":{"message":"invalid number"}}    → rejected for good with that reason (the number is bad)
 * </pre>
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>5xx, 408, 409 (the key is still being processed), 429, timeouts, refused or broken connections, and a 2xx
 *       without a message id: {@link ProviderUnavailableException}; asking again under the same key is safe.</li>
 *   <li>401/403 (bad credentials) and any other 4xx (e.g. 404 for a wrong base URL):
 *       {@link ProviderRejectedException}.</li>
 * </ul>
 * Both are thrown without a cause, so that the saga, which records and classifies a failure by its root cause, sees
 * the provider exception itself; the message names the I/O failure underneath, the full stack trace is logged at
 * DEBUG. The API key is never logged nor part of a message, and the phone number is masked in whatever reason or
 * message the gateway's answer puts into a {@link Delivery} or an exception.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.notification.sms", havingValue = "http")
@EnableConfigurationProperties(HttpSmsSenderProperties.class)
public class HttpSmsSender implements SmsSender {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(HttpSmsSender.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_DETAIL = 200;
    /** The gateway's answers may carry more fields than these records name. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final RestClient http;
    private final String apiKey;

    public HttpSmsSender(HttpSmsSenderProperties settings) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(settings.readTimeout());
        this.http = RestClient.builder()
                .requestFactory(requestFactory)
                .baseUrl(settings.baseUrl().toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey())
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .build();
        this.apiKey = settings.apiKey();
        log.info("SMS sender: HTTP gateway at {} (connect timeout {}, read timeout {})",
                settings.baseUrl(), settings.connectTimeout(), settings.readTimeout());
    }

    @Override
    public Delivery send(SmsMessage message) {
        String what = "SMS " + message.idempotencyKey();
        Reply reply = post(message, what);
        int status = reply.status();
        if (status >= 200 && status < 300) {
            return reply.read(MessageReply.class)
                    .map(MessageReply::id)
                    .filter(id -> !id.isBlank())
                    .map(Delivery::accepted)
                    .orElseThrow(() -> unavailable(message, what + ": HTTP " + status
                            + " without a message id; outcome unknown"));
        }
        Optional<ErrorDetail> error = reply.read(ErrorReply.class).map(ErrorReply::error);
        if (status == 400 || status == 422) {
            return Delivery.rejected(masked(message, error.map(ErrorDetail::message)
                    .or(() -> error.map(ErrorDetail::code))
                    .orElse("refused by the SMS gateway (HTTP " + status + ")")));
        }
        String detail = error
                .map(e -> " (" + (e.code() != null ? e.code() : "error")
                        + (e.message() != null ? ": " + e.message() : "") + ")")
                .map(text -> text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…)" : text)
                .orElse("");
        if (status >= 500 || status == 408 || status == 409 || status == 429) {
            throw unavailable(message, "SMS gateway answered HTTP " + status + " to " + what + detail);
        }
        throw new ProviderRejectedException(masked(message, "SMS gateway refused " + what + " with HTTP " + status
                + detail));
    }

    private Reply post(SmsMessage message, String what) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(new MessageBody(message.to(), message.text()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the body of " + what, e);
        }
        try {
            return http.post()
                    .uri("/v1/messages")
                    .header(IDEMPOTENCY_KEY, message.idempotencyKey())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(json)
                    .exchange((req, res) -> new Reply(res.getStatusCode().value(), bodyOf(res.getBody())));
        } catch (RestClientException e) {
            // ResourceAccessException: connection refused or reset, connect or read timeout
            log.debug("SMS gateway I/O failure on {}", what, e);
            throw unavailable(message, ioFailure(e) + " " + what + " (" + chain(e) + ")");
        }
    }

    private ProviderUnavailableException unavailable(SmsMessage message, String text) {
        return new ProviderUnavailableException(masked(message, text));
    }

    /** Neither the API key nor the phone number leave this class in a text the gateway may have echoed. */
    private String masked(SmsMessage message, String text) {
        String masked = text.replace(apiKey, "***");
        String to = message.to();
        if (to != null && to.length() > 5) {
            masked = masked.replace(to, Redact.phone(to));
            if (to.startsWith("+")) {
                masked = masked.replace(to.substring(1), Redact.phone(to.substring(1)));
            }
        }
        return masked;
    }

    private static byte[] bodyOf(InputStream body) throws IOException {
        try (body) {
            return body.readNBytes(MAX_BODY_BYTES);
        }
    }

    private static String ioFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "SMS gateway did not answer in time to";
            }
            if (t instanceof ConnectException) {
                return "SMS gateway not reachable for";
            }
        }
        return "I/O failure talking to the SMS gateway on";
    }

    /** The causes below Spring's wrapper, e.g. {@code ConnectException / ClosedChannelException}. */
    private static String chain(Throwable e) {
        StringJoiner causes = new StringJoiner(" / ");
        for (Throwable t = e.getCause() != null ? e.getCause() : e; t != null; t = t.getCause()) {
            causes.add(t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : ""));
        }
        return causes.toString();
    }

    /** The status and (the first 64 KiB of) the body of the gateway's answer. */
    private record Reply(int status, byte[] body) {

        <T> Optional<T> read(Class<T> type) {
            try {
                return Optional.ofNullable(JSON.readValue(body, type));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    @JsonPropertyOrder({"to", "text"})
    record MessageBody(String to, String text) {
    }

    record MessageReply(String id) {
    }

    record ErrorReply(ErrorDetail error) {
    }

    record ErrorDetail(String code, String message) {
    }
}
