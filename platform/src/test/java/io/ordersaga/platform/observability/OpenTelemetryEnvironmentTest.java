package io.ordersaga.platform.observability;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OpenTelemetryEnvironmentTest {

    @Test
    void noOpenTelemetryVariablesLeaveTracingAsConfigured() {
        assertThat(OpenTelemetryEnvironment.properties(Map.<String, Object>of("PATH", "/usr/bin")::get)).isEmpty();
    }

    @Test
    void theCollectorsBaseUrlSwitchesTracingOnAndSendsToItsTracesPath() {
        assertThat(OpenTelemetryEnvironment.properties(
                Map.<String, Object>of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")::get))
                .containsEntry("management.tracing.enabled", "true")
                .containsEntry("management.otlp.tracing.endpoint", "http://collector:4318/v1/traces");
    }

    @Test
    void theTracesEndpointIsTakenAsItIsAndWinsOverTheBaseUrl() {
        assertThat(OpenTelemetryEnvironment.properties(Map.<String, Object>of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/custom")::get))
                .containsEntry("management.otlp.tracing.endpoint", "http://traces:9999/custom");
    }

    @Test
    void aDisabledSdkOrNoTracesExporterKeepsTracingOff() {
        assertThat(OpenTelemetryEnvironment.properties(Map.<String, Object>of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SDK_DISABLED", "true")::get)).isEmpty();
        assertThat(OpenTelemetryEnvironment.properties(Map.<String, Object>of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_TRACES_EXPORTER", "none")::get))
                .isEmpty();
    }
}
