package io.ordersaga.payment.gateway.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ordersaga.payment.gateway.PaymentGateway;
import io.ordersaga.platform.provider.ProviderHttpClient;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import io.ordersaga.platform.provider.ProviderHttpClient.ErrorDetail;
import io.ordersaga.platform.provider.ProviderHttpClient.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.function.UnaryOperator;

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
 * The request, the failure kinds and the masking of the API key are {@link ProviderHttpClient}'s, shared with the
 * other HTTP providers.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.payment.gateway", havingValue = "http")
@EnableConfigurationProperties(HttpPaymentGatewayProperties.class)
public class HttpPaymentGateway implements PaymentGateway {

    private static final Logger log = LoggerFactory.getLogger(HttpPaymentGateway.class);
    private static final UnaryOperator<String> NO_MORE_MASKS = UnaryOperator.identity();

    private final ProviderHttpClient http;

    public HttpPaymentGateway(HttpPaymentGatewayProperties settings) {
        this.http = new ProviderHttpClient("payment provider", settings.baseUrl(), settings.apiKey(),
                settings.connectTimeout(), settings.readTimeout());
        log.info("Payment gateway: HTTP provider at {} (connect timeout {}, read timeout {})",
                settings.baseUrl(), settings.connectTimeout(), settings.readTimeout());
    }

    @Override
    public ChargeOutcome charge(ChargeRequest request) {
        String what = "charge " + request.idempotencyKey();
        Reply reply = http.post("/v1/charges", request.idempotencyKey(), what, new ChargeBody(
                decimal(request.amount()), request.currency(), request.customerId(), request.orderId()),
                NO_MORE_MASKS);
        if (reply.isSuccessful()) {
            ChargeReply charge = reply.read(ChargeReply.class)
                    .filter(answer -> answer.id() != null && !answer.id().isBlank())
                    .orElseThrow(() -> http.unavailable(what + ": HTTP " + reply.status()
                            + " with a body that is not a charge; outcome unknown", NO_MORE_MASKS));
            if (!"succeeded".equals(charge.status())) {
                throw http.unavailable(what + ": charge " + charge.id() + " is " + charge.status()
                        + ", not succeeded; outcome not final yet", NO_MORE_MASKS);
            }
            return ChargeOutcome.charged(charge.id());
        }
        if (reply.status() == 402) {
            Optional<ErrorDetail> error = reply.error();
            return ChargeOutcome.declined(error.map(ErrorDetail::message)
                    .or(() -> error.map(ErrorDetail::code))
                    .map(reason -> http.masked(reason, NO_MORE_MASKS))
                    .orElse("declined by the payment provider"));
        }
        throw http.failure(what, reply, NO_MORE_MASKS);
    }

    @Override
    public RefundOutcome refund(RefundRequest request) {
        String what = "refund " + request.idempotencyKey();
        Reply reply = http.post("/v1/refunds", request.idempotencyKey(), what, new RefundBody(request.orderId()),
                NO_MORE_MASKS);
        if (reply.isSuccessful()) {
            RefundReply refund = reply.read(RefundReply.class)
                    .filter(answer -> answer.id() != null && answer.amount() != null)
                    .orElseThrow(() -> http.unavailable(what + ": HTTP " + reply.status()
                            + " with a body that is not a refund; outcome unknown", NO_MORE_MASKS));
            return new RefundOutcome(refund.amount(), refund.currency(), refund.id());
        }
        if (reply.status() == 404 && reply.error().map(ErrorDetail::code).filter("charge_not_found"::equals)
                .isPresent()) {
            return new RefundOutcome(BigDecimal.ZERO, null, null);
        }
        throw http.failure(what, reply, NO_MORE_MASKS);
    }

    /** Two decimals, as the provider expects; an amount with more is a bug upstream, not something to round. */
    private static String decimal(BigDecimal amount) {
        try {
            return amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Amount " + amount + " has more than 2 decimals", e);
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
}
