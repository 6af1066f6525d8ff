package io.ordersaga.platform.observability;

import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.springboot.autoconfig.MicrometerMetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** Axon's metrics as {@link LeanAxonMetrics} keeps them, in place of Axon's own module. */
@AutoConfiguration(before = MicrometerMetricsAutoConfiguration.class)
@ConditionalOnClass(GlobalMetricRegistry.class)
public class AxonMetricsAutoConfiguration {

    @Bean
    public MetricsConfigurerModule leanAxonMetrics(GlobalMetricRegistry metrics) {
        return new LeanAxonMetrics(metrics);
    }
}
