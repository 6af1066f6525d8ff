package io.ordersaga.platform;

import io.ordersaga.platform.observability.OpenTelemetryEnvironment;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Adds the defaults that ship inside the jars as the lowest-precedence property sources:
 * {@code ordersaga-defaults/platform.yml} (what every service shares: Jackson serializers, no Axon Server, schema
 * validation, the bytea dialect) and one {@code ordersaga-defaults/<service>.yml} per service on the class path
 * (its event processors). The all-in-one app and each service's own app thereby run the same settings, and a
 * service's {@code application.yml}, the environment or the command line still override any of them. The standard
 * {@code OTEL_*} variables, when set, rank just above these defaults ({@link OpenTelemetryEnvironment}).
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String PATTERN = "classpath*:ordersaga-defaults/*.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(application.getClassLoader())
                    .getResources(PATTERN);
            Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
            YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
            String first = null;
            for (Resource resource : resources) {
                for (PropertySource<?> source : loader.load("ordersaga-defaults:" + resource.getFilename(), resource)) {
                    environment.getPropertySources().addLast(source);
                    first = first == null ? source.getName() : first;
                }
            }
            OpenTelemetryEnvironment.apply(environment, first);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PATTERN, e);
        }
    }
}
