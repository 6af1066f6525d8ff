package io.ordersaga.notification.sender.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ordersaga.contracts.Redact;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.SmsSender;
import io.ordersaga.platform.provider.ProviderHttpClient;
import io.ordersaga.platform.provider.ProviderHttpClient.ErrorDetail;
import io.ordersaga.platform.provider.ProviderHttpClient.Reply;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.function.UnaryOperator;

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
 * The request, the failure kinds and the masking of the API key are {@link ProviderHttpClient}'s, shared with the
 * other HTTP providers; this class also masks the phone number in whatever reason or message the gateway's answer
 * puts into a {@link Delivery} or an exception.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.notification.sms", havingValue = "http")
@EnableConfigurationProperties(HttpSmsSenderProperties.class)
public class HttpSmsSender implements SmsSender {

    private static final Logger log = LoggerFactory.getLogger(HttpSmsSender.class);

    private final ProviderHttpClient http;

    public HttpSmsSender(HttpSmsSenderProperties settings) {
        this.http = new ProviderHttpClient("SMS gateway", settings.baseUrl(), settings.apiKey(),
                settings.connectTimeout(), settings.readTimeout());
        log.info("SMS sender: HTTP gateway at {} (connect timeout {}, read timeout {})",
                settings.baseUrl(), settings.connectTimeout(), settings.readTimeout());
    }

    @Override
    public Delivery send(SmsMessage message) {
        String what = "SMS " + message.idempotencyKey();
        UnaryOperator<String> mask = text -> maskedNumber(message.to(), text);
        Reply reply = http.post("/v1/messages", message.idempotencyKey(), what,
                new MessageBody(message.to(), message.text()), mask);
        int status = reply.status();
        if (reply.isSuccessful()) {
            return reply.read(MessageReply.class)
                    .map(MessageReply::id)
                    .filter(id -> !id.isBlank())
                    .map(Delivery::accepted)
                    .orElseThrow(() -> http.unavailable(what + ": HTTP " + status
                            + " without a message id; outcome unknown", mask));
        }
        if (status == 400 || status == 422) {
            Optional<ErrorDetail> error = reply.error();
            return Delivery.rejected(http.masked(error.map(ErrorDetail::message)
                    .or(() -> error.map(ErrorDetail::code))
                    .orElse("refused by the SMS gateway (HTTP " + status + ")"), mask));
        }
        throw http.failure(what, reply, mask);
    }

    /** The phone number does not leave this class in a text the gateway may have echoed (with or without "+"). */
    private static String maskedNumber(String to, String text) {
        String masked = text;
        if (to != null && to.length() > 5) {
            masked = masked.replace(to, Redact.phone(to));
            if (to.startsWith("+")) {
                masked = masked.replace(to.substring(1), Redact.phone(to.substring(1)));
            }
        }
        return masked;
    }

    @JsonPropertyOrder({"to", "text"})
    record MessageBody(String to, String text) {
    }

    record MessageReply(String id) {
    }
}
