package io.ordersaga.platform.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * What the provider adapters that speak JSON over HTTP share: a JSON {@code POST} with
 * {@code Authorization: Bearer <api-key>} and an {@code Idempotency-Key}, bounded timeouts, no redirects, and one
 * way to turn a failure into the saga's failure kinds:
 * <ul>
 *   <li>5xx, 408, 409 (the key is still being processed), 429, timeouts, refused or broken connections:
 *       {@link ProviderUnavailableException} — the outcome may be unknown; asking again under the same key is safe;</li>
 *   <li>any other answer the adapter does not understand as a result (401/403, other 4xx):
 *       {@link ProviderRejectedException}.</li>
 * </ul>
 * Exceptions are thrown without a cause: the saga records and classifies a failure by its root cause, so that root
 * is the provider exception itself, and its message names the I/O failure underneath; the stack trace is logged at
 * DEBUG. The API key is never logged and is masked in every message, whatever a provider echoes back; an adapter
 * adds masks of its own (a phone number) with {@code mask}.
 */
public final class ProviderHttpClient {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(ProviderHttpClient.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_DETAIL = 200;
    /** The providers' answers may carry more fields than the adapters' records name. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final String provider;
    private final RestClient http;
    private final String apiKey;

    /**
     * @param provider how messages name the provider, e.g. {@code "payment provider"}
     */
    public ProviderHttpClient(String provider, URI baseUrl, String apiKey, Duration connectTimeout,
                              Duration readTimeout) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
        requestFactory.setReadTimeout(readTimeout);
        this.http = RestClient.builder()
                .requestFactory(requestFactory)
                .baseUrl(baseUrl.toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey)
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .build();
        this.provider = provider;
        this.apiKey = apiKey;
    }

    /**
     * Checks an adapter's settings, named by their property {@code prefix} in the message: an absolute base URL, an
     * API key, positive timeouts.
     */
    public static void checkSettings(String prefix, URI baseUrl, String apiKey, Duration connectTimeout,
                                     Duration readTimeout) {
        if (baseUrl == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException(prefix + ".base-url must be an absolute URL, was " + baseUrl);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException(prefix + ".api-key is required");
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException(prefix + " timeouts must be positive");
        }
    }

    /**
     * POSTs {@code body} as JSON to {@code path} under {@code idempotencyKey}; {@code what} names the request in
     * messages ({@code "charge order-1:charge"}). Any answer is returned; no answer is a
     * {@link ProviderUnavailableException}.
     */
    public Reply post(String path, String idempotencyKey, String what, Object body, UnaryOperator<String> mask) {
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
            log.debug("{} I/O failure on {}", provider, what, e);
            throw unavailable(ioFailure(e) + " " + what + " (" + chain(e) + ")", mask);
        }
    }

    /** An answer the adapter has no result for: transient or not by its status, with the provider's error. */
    public RuntimeException failure(String what, Reply reply, UnaryOperator<String> mask) {
        int status = reply.status();
        String detail = reply.error()
                .map(error -> " (" + (error.code() != null ? error.code() : "error")
                        + (error.message() != null ? ": " + error.message() : "") + ")")
                .map(text -> text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…)" : text)
                .orElse("");
        if (status >= 500 || status == 408 || status == 409 || status == 429) {
            return unavailable(provider + " answered HTTP " + status + " to " + what + detail, mask);
        }
        return new ProviderRejectedException(masked(provider + " refused " + what + " with HTTP " + status + detail,
                mask));
    }

    public ProviderUnavailableException unavailable(String message, UnaryOperator<String> mask) {
        return new ProviderUnavailableException(masked(message, mask));
    }

    /** The text without the API key, and with the adapter's own masks applied. */
    public String masked(String text, UnaryOperator<String> mask) {
        return text == null ? null : mask.apply(text.replace(apiKey, "***"));
    }

    private static byte[] bodyOf(InputStream body) throws IOException {
        try (body) {
            return body.readNBytes(MAX_BODY_BYTES);
        }
    }

    private String ioFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return provider + " did not answer in time to";
            }
            if (t instanceof ConnectException) {
                return provider + " not reachable for";
            }
        }
        return "I/O failure talking to the " + provider + " on";
    }

    /** The causes below Spring's wrapper, e.g. {@code ConnectException / ClosedChannelException}. */
    private static String chain(Throwable e) {
        StringJoiner causes = new StringJoiner(" / ");
        for (Throwable t = e.getCause() != null ? e.getCause() : e; t != null; t = t.getCause()) {
            causes.add(t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : ""));
        }
        return causes.toString();
    }

    /** The status and (the first 64 KiB of) the body of the provider's answer. */
    public record Reply(int status, byte[] body) {

        public boolean isSuccessful() {
            return status >= 200 && status < 300;
        }

        /** The body as {@code type}; empty when it is not that JSON. */
        public <T> Optional<T> read(Class<T> type) {
            try {
                return Optional.ofNullable(JSON.readValue(body, type));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** The provider's {@code {"error": {"code": …, "message": …}}}, if the body is one. */
        public Optional<ErrorDetail> error() {
            return read(ErrorReply.class).map(ErrorReply::error);
        }
    }

    public record ErrorReply(ErrorDetail error) {
    }

    public record ErrorDetail(String code, String message) {
    }
}
