package io.ordersaga.platform.observability;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.boot.actuate.autoconfigure.tracing.ConditionalOnEnabledTracing;
import org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.NoopTracerAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Traces, off by default: one trace per order, from the {@code POST /orders} request through every command, event,
 * saga step and retry alarm of that order, in the all-in-one app and across the five processes alike (Axon carries
 * the W3C {@code traceparent} in each message's metadata, so a hop through the event store or the distributed
 * command bus continues the trace). Every span about an order has the attribute {@code order.id}; spans of a
 * service's commands and events have {@code ordersaga.service}.
 *
 * <p>Switched on by Spring Boot's {@code management.tracing.enabled=true} (spans go to every {@code SpanExporter}
 * bean, and over OTLP to {@code management.otlp.tracing.endpoint} when it is set), or by the standard
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (see
 * {@link OpenTelemetryEnvironment}). Axon's spans are made by its own OpenTelemetry span factory on the SDK that
 * Spring Boot configures for Micrometer Tracing — the same resource ({@code service.name} =
 * {@code spring.application.name}), sampler, propagators and exporters as the HTTP server spans, so the request's
 * span is the parent of the command it sends.
 *
 * <p>Off ({@code management.tracing.enabled=false}, the shipped default), nothing makes a span: Axon gets its no-op
 * span factory, and Micrometer its no-op tracer. (Spring Boot's property alone only stops the export: the HTTP
 * requests would still be traced, every one, and the spans dropped.)
 */
@AutoConfiguration(before = {AxonTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
        OpenTelemetryTracingAutoConfiguration.class, NoopTracerAutoConfiguration.class})
public class TracingAutoConfiguration {

    static final String ENABLED = "management.tracing.enabled";

    /** Who handles or publishes a message, and which order it is about, on each span. */
    @Bean
    public SpanAttributesProvider orderSpanAttributes() {
        return new OrderSpanAttributes();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledTracing
    static class On {

        @Bean
        @ConditionalOnMissingBean(SpanFactory.class)
        SpanFactory spanFactory(OpenTelemetry openTelemetry) {
            return OpenTelemetrySpanFactory.builder()
                    .tracer(openTelemetry.getTracer("org.axonframework"))
                    .contextPropagators(openTelemetry.getPropagators().getTextMapPropagator())
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = ENABLED, havingValue = "false")
    static class Off {

        /**
         * Axon's no-op factory, explicitly: with its OpenTelemetry module on the class path Axon would otherwise build
         * a factory on the global OpenTelemetry and still wrap every message in spans.
         */
        @Bean
        @ConditionalOnMissingBean(SpanFactory.class)
        SpanFactory noOpSpanFactory() {
            return NoOpSpanFactory.INSTANCE;
        }

        /** Micrometer's no-op tracer: the HTTP requests' observations make no span either. */
        @Bean
        @ConditionalOnMissingBean(Tracer.class)
        Tracer noOpTracer() {
            return Tracer.NOOP;
        }
    }
}
