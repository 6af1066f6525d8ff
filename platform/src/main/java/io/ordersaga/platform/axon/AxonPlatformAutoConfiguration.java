package io.ordersaga.platform.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.ObjectMapperAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.util.concurrent.Executors;

/**
 * How Axon runs in every service.
 *
 * <ul>
 *   <li>Messages, sagas and tokens are JSON, written by an {@link ObjectMapper} of Axon's own (never the one
 *       Spring MVC uses to read requests strictly), with no default typing.</li>
 *   <li>Commands are handled on a pool of their own ({@link AsynchronousCommandBus}): whoever sends a command — the
 *       saga's processor thread above all — is never blocked by its handling, in one JVM as across JVMs.</li>
 *   <li>An event handler that throws makes its processor retry the event instead of logging and skipping it
 *       (Axon's default), so neither a saga step nor a projection update is silently lost.</li>
 *   <li>A command's failure carries its kind across processes ({@link FailureDetailsInterceptor}).</li>
 * </ul>
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class,
        before = {ObjectMapperAutoConfiguration.class, AxonAutoConfiguration.class})
public class AxonPlatformAutoConfiguration {

    /** Taken by Axon's serializers because of its name. Unknown properties are ignored so old code reads new events. */
    @Bean("defaultAxonObjectMapper")
    public ObjectMapper defaultAxonObjectMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    /** The local segment: the command bus on which this JVM's handlers are subscribed. */
    @Bean
    @Qualifier("localSegment")
    public AsynchronousCommandBus commandBus(TransactionManager transactionManager,
                                             org.axonframework.config.Configuration axonConfiguration,
                                             DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                                             @Value("${ordersaga.command-bus.threads:16}") int threads) {
        AsynchronousCommandBus commandBus = AsynchronousCommandBus.builder()
                .executor(Executors.newFixedThreadPool(threads, new AxonThreadFactory("command-handlers")))
                .transactionManager(transactionManager)
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axonConfiguration.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axonConfiguration.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        commandBus.registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
        return commandBus;
    }

    /**
     * Right after the logging context ({@code OrderLogContext}), before every other handler interceptor, so that it sees
     * what every other one throws.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    public FailureDetailsInterceptor failureDetailsInterceptor() {
        return new FailureDetailsInterceptor();
    }

    /**
     * The aggregates this process worked on last, so that a command does not read an aggregate's events again
     * (aggregates name it: {@code @Aggregate(cache = "aggregateCache")}). Safe because every command for one aggregate
     * goes to one process (consistent hashing across processes); should two ever write the same aggregate, the event
     * store refuses the second (its sequence number is taken), the unit of work rolls back and the stale entry is
     * dropped, and the command fails like any transient failure.
     */
    @Bean
    public Cache aggregateCache(@Value("${ordersaga.aggregate-cache.size:20000}") long size) {
        return new CaffeineCache(size);
    }

    /** Every aggregate's command handler finds a command's target without reflecting over its class each time. */
    @Bean
    @ConditionalOnMissingBean
    public CommandTargetResolver commandTargetResolver() {
        return new CachingCommandTargetResolver();
    }

    @Bean
    public ConfigurerModule retryFailedEventHandlers() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }
}
