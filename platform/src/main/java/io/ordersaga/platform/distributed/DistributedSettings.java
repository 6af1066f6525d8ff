package io.ordersaga.platform.distributed;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;

/**
 * {@code ordersaga.distributed.*}: how this process takes part in routing commands between the services.
 *
 * @param selfUri           how the others reach this process: exactly the URI its service's discovery entry gives
 * @param secret            the shared credential every call between services carries ({@code Authorization: Bearer})
 * @param heartbeatInterval how often the membership of the other services is refreshed
 * @param dispatchThreads   threads that send commands to other processes, so that no sender waits for the network
 * @param connectTimeout    for calls to other services
 * @param readTimeout       for calls to other services: the longest a remote command may take to answer
 */
@ConfigurationProperties("ordersaga.distributed")
public record DistributedSettings(URI selfUri, String secret, Duration heartbeatInterval, Integer dispatchThreads,
                                  Duration connectTimeout, Duration readTimeout) {

    public DistributedSettings {
        if (selfUri == null) {
            throw new IllegalStateException("ordersaga.distributed.self-uri must say how other services reach this one");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("ordersaga.distributed.secret (ORDERSAGA_DISTRIBUTED_SECRET) must be set: "
                    + "calls between services are authenticated with it");
        }
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(2) : heartbeatInterval;
        dispatchThreads = dispatchThreads == null ? 32 : dispatchThreads;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(1) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
    }

    @Override
    public String toString() {
        return "DistributedSettings[selfUri=" + selfUri + ", secret=***]";
    }
}
