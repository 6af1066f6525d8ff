package io.ordersaga.payment.gateway.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ordersaga.payment.gateway.PaymentGateway;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The payment gateway over HTTP to a PSP-style API; active when {@code ordersaga.payment.gateway=http}, configured
 * by {@link HttpPaymentGatewayProperties} ({@code ordersaga.payment.http.base-url}, {@code .api-key},
 * {@code .connect-timeout} (1 s), {@code .read-timeout} (3 s)).
 *
 * <h2>The provider's API</h2>
 * Every request is JSON, carries {@code Authorization: Bearer <api-key>} and {@code Idempotency-Key: <key>} (the
 * port's key, {@code <orderId>:charge} or {@code <orderId>:refund}); the provider performs a key once and answers a
 * repeated key with the first answer. Amounts are decimal strings with two decimals.
 * <pre>
 * POST /v1/charges  {"amount":"1999.80","currency":"EUR","customer":"c-42","reference":"&lt;orderId&gt;"}
 *   200/201 {"id":"ch_…","status":"succeeded"}                       → charged, reference ch_…
 *   402     {"error":{"code":"card_declined","message":"insufficient funds"}} → declined, reason "insufficient funds"
 *
 * POST /v1/refunds  {"reference":"&lt;orderId&gt;"}        (refunds whatever the order's charge took)
 *   200     {"id":"re_…","amount":"1999.80","currency":"EUR"}         → refunded amount, currency, reference re_…
 *   404     {"error":{"code":"charge_not_found"}}                     → nothing was charged: refund of 0
 * </pre>
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>5xx, 408, 409 (the key is still being processed), 429, timeouts, refused or broken connections, and a 2xx
 *       whose body cannot be read or whose charge is not {@code succeeded} (e.g. still {@code pending}):
 *       {@link ProviderUnavailableException}. The outcome may be unknown; asking again under the same key is safe
 *       and returns it.</li>
 *   <li>Any other 4xx (401/403 bad credentials, 400/422 a request the provider calls malformed, 404 other than
 *       {@code charge_not_found}, e.g. a wrong base URL): {@link ProviderRejectedException}, e.g.
 *       {@code payment provider refused charge order-1:charge with HTTP 401 (invalid_api_key)}.</li>
 * </ul>
 * Both exceptions are thrown without a cause: the saga records and classifies a failure by its root cause, so
 * that root is the provider exception itself, and its message names the I/O failure underneath (e.g.
 * {@code HttpTimeoutException}); the full stack trace is logged at DEBUG. The API key is set once as a default
 * header; it is never logged and never part of an exception message.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.payment.gateway", havingValue = "http")
@EnableConfigurationProperties(HttpPaymentGatewayProperties.class)
public class HttpPaymentGateway implements PaymentGateway {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(HttpPaymentGateway.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_DETAIL = 200;

    /** The provider's answers may carry more fields than these records name. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final RestClient http;
    private final String apiKey;

    public HttpPaymentGateway(HttpPaymentGatewayProperties settings) {
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
        log.info("Payment gateway: HTTP provider at {} (connect timeout {}, read timeout {})",
                settings.baseUrl(), settings.connectTimeout(), settings.readTimeout());
    }

    @Override
    public ChargeOutcome charge(ChargeRequest request) {
        String what = "charge " + request.idempotencyKey();
        Reply reply = post("/v1/charges", request.idempotencyKey(), what, new ChargeBody(
                decimal(request.amount()), request.currency(), request.customerId(), request.orderId()));
        if (reply.isSuccessful()) {
            ChargeReply charge = reply.read(ChargeReply.class)
                    .filter(answer -> answer.id() != null && !answer.id().isBlank())
                    .orElseThrow(() -> unavailable(what + ": HTTP " + reply.status()
                            + " with a body that is not a charge; outcome unknown"));
            if (!"succeeded".equals(charge.status())) {
                throw unavailable(what + ": charge " + charge.id() + " is " + charge.status()
                        + ", not succeeded; outcome not final yet");
            }
            return ChargeOutcome.charged(charge.id());
        }
        if (reply.status() == 402) {
            Optional<ErrorDetail> error = reply.error();
            return ChargeOutcome.declined(error.map(ErrorDetail::message)
                    .or(() -> error.map(ErrorDetail::code))
                    .map(this::scrubbed)
                    .orElse("declined by the payment provider"));
        }
        throw failure(what, reply);
    }

    @Override
    public RefundOutcome refund(RefundRequest request) {
        String what = "refund " + request.idempotencyKey();
        Reply reply = post("/v1/refunds", request.idempotencyKey(), what, new RefundBody(request.orderId()));
        if (reply.isSuccessful()) {
            RefundReply refund = reply.read(RefundReply.class)
                    .filter(answer -> answer.id() != null && answer.amount() != null)
                    .orElseThrow(() -> unavailable(what + ": HTTP " + reply.status()
                            + " with a body that is not a refund; outcome unknown"));
            return new RefundOutcome(refund.amount(), refund.currency(), refund.id());
        }
        if (reply.status() == 404 && reply.error().map(ErrorDetail::code).filter("charge_not_found"::equals)
                .isPresent()) {
            return new RefundOutcome(BigDecimal.ZERO, null, null);
        }
        throw failure(what, reply);
    }

    private Reply post(String path, String idempotencyKey, String what, Object body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the body of " + what, e);
        }
        try {
            return http.post()
                    .uri(path)
                    .header(IDEMPOTENCY_KEY, idempotencyKey)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(json)
                    .exchange((req, res) -> new Reply(res.getStatusCode().value(), bodyOf(res.getBody())));
        } catch (RestClientException e) {
            // ResourceAccessException: connection refused or reset, connect or read timeout
            log.debug("Payment provider I/O failure on {}", what, e);
            throw unavailable(ioFailure(e) + " " + what + " (" + chain(e) + ")");
        }
    }

    private static byte[] bodyOf(InputStream body) throws IOException {
        try (body) {
            return body.readNBytes(MAX_BODY_BYTES);
        }
    }

    private RuntimeException failure(String what, Reply reply) {
        int status = reply.status();
        String detail = reply.error()
                .map(error -> " (" + (error.code() != null ? error.code() : "error")
                        + (error.message() != null ? ": " + error.message() : "") + ")")
                .map(text -> text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…)" : text)
                .orElse("");
        if (status >= 500 || status == 408 || status == 409 || status == 429) {
            return unavailable("payment provider answered HTTP " + status + " to " + what + detail);
        }
        return new ProviderRejectedException(scrubbed("payment provider refused " + what + " with HTTP " + status
                + detail));
    }

    private ProviderUnavailableException unavailable(String message) {
        return new ProviderUnavailableException(scrubbed(message));
    }

    /** Whatever a provider echoes back, the API key does not leave this class. */
    private String scrubbed(String text) {
        return text == null ? null : text.replace(apiKey, "***");
    }

    private static String ioFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "payment provider did not answer in time to";
            }
            if (t instanceof ConnectException) {
                return "payment provider not reachable for";
            }
        }
        return "I/O failure talking to the payment provider on";
    }

    /** The causes below Spring's wrapper, e.g. {@code ConnectException / ClosedChannelException}. */
    private static String chain(Throwable e) {
        StringJoiner causes = new StringJoiner(" / ");
        for (Throwable t = e.getCause() != null ? e.getCause() : e; t != null; t = t.getCause()) {
            causes.add(t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : ""));
        }
        return causes.toString();
    }

    /** Two decimals, as the provider expects; an amount with more is a bug upstream, not something to round. */
    private static String decimal(BigDecimal amount) {
        try {
            return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Amount " + amount + " has more than 2 decimals", e);
        }
    }

    /** The status and (the first 64 KiB of) the body of the provider's answer. */
    private record Reply(int status, byte[] body) {

        boolean isSuccessful() {
            return status >= 200 && status < 300;
        }

        <T> Optional<T> read(Class<T> type) {
            try {
                return Optional.ofNullable(JSON.readValue(body, type));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        Optional<ErrorDetail> error() {
            return read(ErrorReply.class).map(ErrorReply::error);
        }
    }

    @JsonPropertyOrder({"amount", "currency", "customer", "reference"})
    record ChargeBody(String amount, String currency, String customer, String reference) {
    }

    record ChargeReply(String id, String status) {
    }

    record RefundBody(String reference) {
    }

    record RefundReply(String id, BigDecimal amount, String currency) {
    }

    record ErrorReply(ErrorDetail error) {
    }

    record ErrorDetail(String code, String message) {
    }
}
