package io.ordersaga.notification.sender.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of {@link HttpSmsSender}, under {@code ordersaga.notification.sms-http}. Both timeouts together stay below
 * the saga's step timeout (5 s).
 *
 * @param baseUrl        the SMS gateway's API root, e.g. {@code https://sms.example.com}; required
 * @param apiKey         sent as {@code Authorization: Bearer <apiKey>}; required, never logged ({@link #toString()}
 *                       masks it)
 * @param connectTimeout how long to wait for the TCP/TLS connection
 * @param readTimeout    how long to wait for the gateway's answer once the request is sent
 */
@ConfigurationProperties("ordersaga.notification.sms-http")
public record HttpSmsSenderProperties(URI baseUrl,
                                      String apiKey,
                                      @DefaultValue("1s") Duration connectTimeout,
                                      @DefaultValue("3s") Duration readTimeout) {

    public HttpSmsSenderProperties {
        if (baseUrl == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("ordersaga.notification.sms-http.base-url must be an absolute URL, was "
                    + baseUrl);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("ordersaga.notification.sms-http.api-key is required");
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("ordersaga.notification.sms-http timeouts must be positive");
        }
    }

    @Override
    public String toString() {
        return "HttpSmsSenderProperties[baseUrl=" + baseUrl + ", apiKey=***, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }
}
