package io.ordersaga.platform.observability;

import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.boot.actuate.autoconfigure.tracing.ConditionalOnEnabledTracing;
import org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces, off by default: one trace per order, from the {@code POST /orders} request through every command, event,
 * saga step and retry deadline of that order, in the all-in-one app and across the five processes alike (Axon
 * carries the W3C {@code traceparent} in each message's metadata, so a hop through the event store or the
 * distributed command bus continues the trace). Every span about an order has the attribute {@code order.id};
 * spans of a service's commands and events have {@code ordersaga.service}.
 *
 * <p>Switched on by Spring Boot's {@code management.tracing.enabled=true} (spans go to every {@code SpanExporter}
 * bean, and over OTLP to {@code management.otlp.tracing.endpoint} when it is set), or by the standard
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (see
 * {@link OpenTelemetryEnvironment}). Off, Axon runs with its no-op span factory: nothing is created per message.
 *
 * <p>Axon's spans are made by its own OpenTelemetry span factory on the SDK that Spring Boot configures for
 * Micrometer Tracing — the same resource ({@code service.name} = {@code spring.application.name}), sampler,
 * propagators and exporters as the HTTP server spans, so a request's span is the parent of the command it sends.
 */
@AutoConfiguration(before = AxonTracingAutoConfiguration.class,
        after = {MicrometerTracingAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
                org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration.class})
public class TracingAutoConfiguration {

    /** Who handles or publishes a message, and which order it is about, on each span. */
    @Bean
    public SpanAttributesProvider orderSpanAttributes() {
        return new OrderSpanAttributes();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledTracing
    @ConditionalOnBean(OpenTelemetry.class)
    static class Enabled {

        @Bean
        @ConditionalOnMissingBean(SpanFactory.class)
        SpanFactory spanFactory(OpenTelemetry openTelemetry) {
            return OpenTelemetrySpanFactory.builder()
                    .tracer(openTelemetry.getTracer("org.axonframework"))
                    .contextPropagators(openTelemetry.getPropagators().getTextMapPropagator())
                    .build();
        }
    }

    /**
     * Tracing off: Axon's no-op factory, explicitly — with its OpenTelemetry module on the class path Axon would
     * otherwise build a factory on the global (no-op) OpenTelemetry and still wrap every message in spans.
     */
    @Bean
    @ConditionalOnMissingBean(SpanFactory.class)
    public SpanFactory noOpSpanFactory() {
        return NoOpSpanFactory.INSTANCE;
    }
}
