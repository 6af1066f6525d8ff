package io.ordersaga.order.saga;

import io.ordersaga.contracts.order.OrderStep;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ordersaga.saga.*}: each step's timeout and retry policy. A step's settings override the defaults field by
 * field; see {@code ordersaga-defaults/order-service.yml} for the values in use.
 */
@ConfigurationProperties("ordersaga.saga")
public record SagaSettings(Duration answerGrace, Retry defaults, Map<OrderStep, Retry> steps) {

    public record Retry(Duration timeout, Duration initialInterval, Double multiplier, Duration maxInterval,
                        Integer maxAttempts, Double jitter, Set<String> nonRetryable) {

        Retry over(Retry defaults) {
            return new Retry(
                    timeout != null ? timeout : defaults.timeout,
                    initialInterval != null ? initialInterval : defaults.initialInterval,
                    multiplier != null ? multiplier : defaults.multiplier,
                    maxInterval != null ? maxInterval : defaults.maxInterval,
                    maxAttempts != null ? maxAttempts : defaults.maxAttempts,
                    jitter != null ? jitter : defaults.jitter,
                    nonRetryable != null ? nonRetryable : defaults.nonRetryable);
        }
    }

    public RetryPolicies toPolicies() {
        Map<OrderStep, RetryPolicies.Policy> policies = new EnumMap<>(OrderStep.class);
        for (OrderStep step : OrderStep.values()) {
            Retry retry = steps != null && steps.containsKey(step) ? steps.get(step).over(defaults) : defaults;
            policies.put(step, RetryPolicies.Policy.of(retry.timeout(), retry.initialInterval(), retry.multiplier(),
                    retry.maxInterval(), retry.maxAttempts(), retry.jitter(),
                    retry.nonRetryable() == null ? Set.of() : retry.nonRetryable()));
        }
        return new RetryPolicies(answerGrace, policies);
    }
}
