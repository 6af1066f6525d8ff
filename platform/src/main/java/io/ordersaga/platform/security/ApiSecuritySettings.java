package io.ordersaga.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * Who may place orders and set stock, and how fast ({@code ordersaga.security.*}).
 *
 * @param required        whether {@code POST /orders} and {@code PUT /inventory/{sku}} need an API key
 *                        (environment: {@code ORDERSAGA_SECURITY_REQUIRED}); compose requires it, the demo does not
 * @param apiKeys         the clients and their API keys, sent as {@code X-Api-Key} (environment:
 *                        {@code ORDERSAGA_SECURITY_APIKEYS_<CLIENT>=<key>})
 * @param ordersPerPeriod how many orders one client may place per {@code period} (0: no limit)
 * @param period          the period of the rate limit
 */
@ConfigurationProperties("ordersaga.security")
public record ApiSecuritySettings(boolean required, Map<String, String> apiKeys, int ordersPerPeriod,
                                  Duration period) {

    public ApiSecuritySettings {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
        period = period == null ? Duration.ofMinutes(1) : period;
        if (required && apiKeys.values().stream().allMatch(key -> key == null || key.isBlank())) {
            throw new IllegalStateException("ordersaga.security.required is set, and no API key is configured"
                    + " (ordersaga.security.api-keys.<client>, ORDERSAGA_SECURITY_APIKEYS_<CLIENT>)");
        }
    }
}
