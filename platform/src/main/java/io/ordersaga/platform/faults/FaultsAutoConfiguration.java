package io.ordersaga.platform.faults;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.List;

/**
 * Fault injection, only with {@code ordersaga.faults.enabled=true}. Services declare their {@link FaultTarget}s;
 * where fault injection is off there is no injector, no endpoint, and no service applies a fault.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "ordersaga.faults.enabled", havingValue = "true")
public class FaultsAutoConfiguration {

    @Bean
    public FaultInjector faultInjector(List<FaultTarget> targets,
                                       @Value("${ordersaga.faults.timeout-hang:20s}") Duration hang) {
        return new FaultInjector(hang, targets);
    }

    @Bean
    public FaultsController faultsController(FaultInjector faults) {
        return new FaultsController(faults);
    }
}
