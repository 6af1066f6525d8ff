package io.ordersaga.platform.observability;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TracingAutoConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                    OpenTelemetryAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class, TracingAutoConfiguration.class));

    @Test
    void tracingOffMakesNoSpanInAxonNorForTheHttpRequests() {
        context.withPropertyValues("management.tracing.enabled=false").run(app -> {
            assertThat(app.getBean(SpanFactory.class)).isSameAs(NoOpSpanFactory.INSTANCE);
            assertThat(app.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
        });
    }

    @Test
    void tracingOnGivesAxonAnOpenTelemetrySpanFactoryAndMicrometerSpringBootsTracer() {
        context.withPropertyValues("management.tracing.enabled=true").run(app -> {
            assertThat(app.getBean(SpanFactory.class)).isInstanceOf(OpenTelemetrySpanFactory.class);
            assertThat(app.getBean(Tracer.class)).isInstanceOf(OtelTracer.class);
        });
    }

    @Test
    void spansNameTheOrderAndTheServiceThatOwnsTheMessageAndNothingElseOfThePayload() {
        SpanAttributesProvider attributes = new OrderSpanAttributes();
        var command = new ReserveStockCommand("SKU-1", "order-42", 3);

        assertThat(attributes.provideForMessage(GenericCommandMessage.asCommandMessage(command)))
                .containsOnly(Map.entry("order.id", "order-42"),
                        Map.entry("ordersaga.service", "inventory-service"));
    }
}
