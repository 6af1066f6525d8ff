package io.ordersaga.order.saga;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.ordersaga.contracts.order.OrderStep;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the saga treats an attempt of a step that failed without an answer: retry it after a backoff, or give the
 * step up. One policy per step; the backoff is resilience4j's exponential backoff with jitter
 * ({@link IntervalFunction#ofExponentialRandomBackoff}), attempts are capped by its {@link RetryConfig}, and failures
 * whose kind is listed as not retryable are given up at once.
 *
 * <p>The saga does not wait in a thread: backoffs and overdue answers wake it through a durable alarm
 * ({@link SagaAlarms}), so the delays here survive a crash of the process.
 */
public final class RetryPolicies {

    private final Duration answerGrace;
    private final Map<OrderStep, Policy> policies;

    /**
     * One step's policy: how long an attempt may take, resilience4j's retry configuration, and the kinds of failure
     * not worth retrying.
     */
    public record Policy(Duration timeout, RetryConfig config, Set<String> nonRetryable) {

        public static Policy of(Duration timeout, Duration initialInterval, double multiplier, Duration maxInterval,
                                int maxAttempts, double jitter, Set<String> nonRetryable) {
            IntervalFunction backoff = jitter > 0
                    ? IntervalFunction.ofExponentialRandomBackoff(initialInterval, multiplier, jitter, maxInterval)
                    : IntervalFunction.ofExponentialBackoff(initialInterval, multiplier, maxInterval);
            return new Policy(timeout, RetryConfig.custom().maxAttempts(maxAttempts).intervalFunction(backoff).build(),
                    Set.copyOf(nonRetryable));
        }
    }

    public RetryPolicies(Duration answerGrace, Map<OrderStep, Policy> policies) {
        this.answerGrace = answerGrace;
        this.policies = new EnumMap<>(policies);
        for (OrderStep step : OrderStep.values()) {
            if (!this.policies.containsKey(step)) {
                throw new IllegalArgumentException("No retry policy for " + step);
            }
        }
    }

    /** How many attempts the step's policy allows (counted afresh from an operator's retry). */
    public int maxAttempts(OrderStep step) {
        return policies.get(step).config().getMaxAttempts();
    }

    /** How long a step's command may take before its attempt counts as failed ({@code TimeoutException}). */
    public Duration stepTimeout(OrderStep step) {
        return policies.get(step).timeout();
    }

    /**
     * When the saga stops waiting for an attempt's failure to be reported, because the report was lost with a crashed
     * process: the step's timeout plus a grace period.
     */
    public Duration answerDeadline(OrderStep step) {
        return stepTimeout(step).plus(answerGrace);
    }

    /**
     * How long the saga waits for a record of its own decision (a retry, a step given up) to be stored before it sends
     * it again: the command was lost with a process.
     */
    public Duration recordDeadline() {
        return answerGrace;
    }

    /**
     * The backoff before the next attempt, after {@code attempt} (counted from 1) of {@code step} failed with a failure
     * of kind {@code error}; empty when the step is given up: the failure is not retryable, or the attempts ran out.
     */
    public Optional<Duration> backoffAfter(OrderStep step, int attempt, String error) {
        Policy policy = policies.get(step);
        if (policy.nonRetryable().contains(error) || attempt >= policy.config().getMaxAttempts()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(policy.config().getIntervalBiFunction().apply(attempt, null)));
    }
}
