package io.ordersaga.notification.sender.http;

import io.ordersaga.platform.provider.ProviderHttpClient;
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
@ConfigurationProperties(HttpSmsSenderProperties.PREFIX)
public record HttpSmsSenderProperties(URI baseUrl,
                                      String apiKey,
                                      @DefaultValue("1s") Duration connectTimeout,
                                      @DefaultValue("3s") Duration readTimeout) {

    static final String PREFIX = "ordersaga.notification.sms-http";

    public HttpSmsSenderProperties {
        ProviderHttpClient.checkSettings(PREFIX, baseUrl, apiKey, connectTimeout, readTimeout);
    }

    @Override
    public String toString() {
        return "HttpSmsSenderProperties[baseUrl=" + baseUrl + ", apiKey=***, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + "]";
    }
}
