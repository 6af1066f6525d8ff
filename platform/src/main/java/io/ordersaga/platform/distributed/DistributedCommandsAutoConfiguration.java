package io.ordersaga.platform.distributed;

import io.opentelemetry.context.Context;
import io.ordersaga.platform.web.BearerCredentialFilter;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.distributed.CommandBusConnector;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.extensions.springcloud.autoconfig.SpringCloudAutoConfiguration;
import org.axonframework.extensions.springcloud.commandhandling.SpringHttpCommandBusConnector;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.client.RestTemplate;

import java.util.concurrent.Executors;

/**
 * Commands between the services' processes: Axon's {@code DistributedCommandBus} with its Spring Cloud extension
 * (REST mode), routed by consistent hashing on the aggregate id, so every command for one aggregate goes to the
 * same instance of its service. What the extension leaves to the application is here:
 * <ul>
 *   <li>this process's {@link Registration}, and the discovery events static discovery never publishes
 *       ({@link MembershipAnnouncer});</li>
 *   <li>a shared credential on every call between services, checked before anything is deserialized
 *       ({@link BearerCredentialFilter});</li>
 *   <li>sending on a pool of its own: the extension's connector would otherwise make each sender — the saga's
 *       processor thread among them — wait for the remote command to be handled.</li>
 * </ul>
 * A command whose service has no instance up fails with {@code NoHandlerForCommandException}, which the saga
 * retries like any other transient failure.
 */
@AutoConfiguration(before = SpringCloudAutoConfiguration.class)
@ConditionalOnClass(name = "org.axonframework.extensions.springcloud.commandhandling.SpringCloudCommandRouter")
@ConditionalOnProperty(name = "axon.distributed.enabled", havingValue = "true")
@EnableConfigurationProperties(DistributedSettings.class)
public class DistributedCommandsAutoConfiguration {

    static final String CONNECTOR_PATHS = "/spring-command-bus-connector/*";

    @Bean
    public Registration localServiceInstance(DistributedSettings settings,
                                             @Value("${spring.application.name}") String serviceId) {
        return new LocalServiceInstance(serviceId, settings.selfUri());
    }

    @Bean
    public MembershipAnnouncer membershipAnnouncer(ApplicationEventPublisher events, Registration self,
                                                   DistributedSettings settings) {
        return new MembershipAnnouncer(events, self, settings.heartbeatInterval());
    }

    /**
     * Used by the extension for commands and for asking the other members what they handle. Apache's HTTP client, with
     * a pool of kept-alive connections as large as the threads that send: the JDK's client, Spring's default, starts a
     * thread for every request body it writes.
     */
    @Bean
    public RestTemplate restTemplate(RestTemplateBuilder builder, DistributedSettings settings) {
        int connections = settings.dispatchThreads();
        return builder
                .requestFactoryBuilder(ClientHttpRequestFactoryBuilder.httpComponents()
                        .withConnectionManagerCustomizer(pool -> pool
                                .setMaxConnPerRoute(connections)
                                .setMaxConnTotal(connections * 5)))
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .additionalInterceptors((request, body, execution) -> {
                    request.getHeaders().setBearerAuth(settings.secret());
                    return execution.execute(request, body);
                })
                .build();
    }

    @Bean
    public CommandBusConnector springHttpCommandBusConnector(@Qualifier("localSegment") CommandBus localSegment,
                                                             RestTemplate restTemplate,
                                                             @Qualifier("messageSerializer") Serializer serializer,
                                                             DistributedSettings settings) {
        return SpringHttpCommandBusConnector.builder()
                .localCommandBus(localSegment)
                .restOperations(restTemplate)
                .serializer(serializer)
                // a command's HTTP call runs on this pool: it takes the sender's trace context along (when tracing
                // is on), so that the call, and the command's handling in the other process, continue its trace
                .executor(Context.taskWrapping(Executors.newFixedThreadPool(settings.dispatchThreads(),
                        new AxonThreadFactory("remote-commands"))))
                .build();
    }

    @Bean
    public FilterRegistrationBean<BearerCredentialFilter> serviceCallAuthentication(
            DistributedSettings settings,
            @Value("${axon.distributed.spring-cloud.rest-mode-url:/member-capabilities}") String capabilitiesPath) {
        FilterRegistrationBean<BearerCredentialFilter> registration = new FilterRegistrationBean<>(
                new BearerCredentialFilter(settings.secret(), "the shared service credential",
                        "ORDERSAGA_DISTRIBUTED_SECRET"));
        registration.addUrlPatterns(CONNECTOR_PATHS, capabilitiesPath, capabilitiesPath + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
