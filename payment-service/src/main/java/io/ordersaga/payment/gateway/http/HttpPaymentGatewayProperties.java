package io.ordersaga.payment.gateway.http;

import io.ordersaga.platform.provider.ProviderHttpClient;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of {@link HttpPaymentGateway}, under {@code ordersaga.payment.http}. Both timeouts together stay below the
 * saga's step timeout (5 s), so a slow provider fails the attempt with {@code ProviderUnavailableException} before
 * the saga stops waiting for its answer.
 *
 * @param baseUrl        the provider's API root, e.g. {@code https://psp.example.com}; required
 * @param apiKey         sent as {@code Authorization: Bearer <apiKey>}; required, never logged ({@link #toString()}
 *                       masks it)
 * @param connectTimeout how long to wait for the TCP/TLS connection
 * @param readTimeout    how long to wait for the provider's answer once the request is sent
 */
@ConfigurationProperties(HttpPaymentGatewayProperties.PREFIX)
public record HttpPaymentGatewayProperties(URI baseUrl,
                                           String apiKey,
                                           @DefaultValue("1s") Duration connectTimeout,
                                           @DefaultValue("3s") Duration readTimeout) {

    static final String PREFIX = "ordersaga.payment.http";

    public HttpPaymentGatewayProperties {
        ProviderHttpClient.checkSettings(PREFIX, baseUrl, apiKey, connectTimeout, readTimeout);
    }

    @Override
    public String toString() {
        return "HttpPaymentGatewayProperties[baseUrl=" + baseUrl + ", apiKey=***, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }
}
