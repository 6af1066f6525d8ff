package io.ordersaga.platform.observability;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The standard OpenTelemetry environment variables, read as an operator who sets them on any OpenTelemetry-aware
 * service expects: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL) or {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * (the collector's base URL; {@code /v1/traces} is appended) switches tracing on and sends the spans there over
 * OTLP/HTTP (protobuf); {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none} leaves it off.
 * {@code OTEL_SERVICE_NAME} and {@code OTEL_RESOURCE_ATTRIBUTES} are read by Spring Boot itself.
 *
 * <p>The properties this sets rank just above the shipped defaults: a service's own configuration, its
 * environment's {@code MANAGEMENT_*} variables and the command line still win.
 */
public final class OpenTelemetryEnvironment {

    static final String SOURCE = "ordersaga-defaults:otel-environment";

    private OpenTelemetryEnvironment() {
    }

    /** Adds the properties the variables ask for, ranked just before {@code before} (a defaults source). */
    public static void apply(ConfigurableEnvironment environment, String before) {
        Map<String, Object> properties = properties(environment.getSystemEnvironment()::get);
        if (properties.isEmpty()) {
            return;
        }
        MutablePropertySources sources = environment.getPropertySources();
        MapPropertySource source = new MapPropertySource(SOURCE, properties);
        if (before != null && sources.contains(before)) {
            sources.addBefore(before, source);
        } else {
            sources.addLast(source);
        }
    }

    static Map<String, Object> properties(Function<String, Object> variables) {
        Map<String, Object> properties = new LinkedHashMap<>();
        if ("true".equalsIgnoreCase(text(variables, "OTEL_SDK_DISABLED"))
                || "none".equalsIgnoreCase(text(variables, "OTEL_TRACES_EXPORTER"))) {
            return properties;
        }
        String endpoint = text(variables, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (endpoint == null) {
            String base = text(variables, "OTEL_EXPORTER_OTLP_ENDPOINT");
            if (base != null) {
                endpoint = base.replaceAll("/+$", "") + "/v1/traces";
            }
        }
        if (endpoint == null) {
            return properties;
        }
        properties.put("management.tracing.enabled", "true");
        properties.put("management.otlp.tracing.endpoint", endpoint);
        return properties;
    }

    private static String text(Function<String, Object> variables, String name) {
        Object value = variables.apply(name);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
