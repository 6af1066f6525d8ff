package io.ordersaga.order.saga;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ordersaga.contracts.Services;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.flow.OrderFlow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the saga's bookkeeping ({@link Attempts}) needs from the world, handed to every handler as one parameter:
 * the retry policies, the time, the dispatcher that sends commands once the saga's state is stored, and the alarms.
 * Stateless: the saga's state stays in the saga.
 */
public class StepRunner {

    private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

    private final StepCommands dispatcher;
    private final SagaAlarms alarms;
    private final RetryPolicies policies;
    private final Clock clock;
    /** Failures of attempts not yet seen by their sagas; bounded, and forgotten after a while (the alarm covers). */
    private final Cache<String, Failures.Failure> failures = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    public StepRunner(StepCommands dispatcher, SagaAlarms alarms, RetryPolicies policies, Clock clock) {
        this.dispatcher = dispatcher;
        this.alarms = alarms;
        this.policies = policies;
        this.clock = clock;
    }

    public RetryPolicies policies() {
        return policies;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Sends an attempt's command once the saga's state is stored. Should it fail without an answer — its service is
     * down, it took longer than the step's timeout once sent — the failure is kept here and the saga woken up: the
     * saga records it on the order if it still waits for that attempt's answer, and not when the answer came first
     * (a command whose process died after storing its answer and before replying did succeed).
     */
    void attempt(String orderId, Instant priority, OrderStep step, String target, int attempt, Object command) {
        Duration timeout = policies.stepTimeout(step);
        String key = attemptKey(orderId, step, target, attempt);
        dispatcher.sendAfterCommit(new StepCommands.Outgoing(lane(command), priority, command, key, timeout,
                failure -> {
                    failures.put(key, Failures.describe(failure, timeout));
                    try {
                        alarms.wakeNow(new SagaAlarmEvent(orderId, Attempts.WAKE_UP));
                    } catch (RuntimeException e) {
                        log.warn("Order {}: could not wake its saga after {} failed ({}); its alarm will", orderId,
                                step, e.toString());
                    }
                }));
    }

    /** The failure of an attempt's command, reported here since the saga last looked; taken only once. */
    Optional<Failures.Failure> takeFailure(String orderId, OrderStep step, String target, int attempt) {
        return Optional.ofNullable(failures.asMap().remove(attemptKey(orderId, step, target, attempt)));
    }

    /** Sends a record of the saga's own (a decision, a failure) once the saga's state is stored. */
    void record(Instant priority, Object command) {
        dispatcher.sendAfterCommit(new StepCommands.Outgoing(lane(command), priority, command, null, null, null));
    }

    /** Whether this process still has the attempt's command queued or out. */
    boolean inFlight(String orderId, OrderStep step, String target, int attempt) {
        return dispatcher.isPending(attemptKey(orderId, step, target, attempt));
    }

    String setAlarm(Instant at, SagaAlarmEvent alarm) {
        return alarms.schedule(at, alarm);
    }

    void cancelAlarm(String id) {
        alarms.cancel(id);
    }

    private static String attemptKey(String orderId, OrderStep step, String target, int attempt) {
        return orderId + '/' + OrderFlow.attemptKey(step, target, attempt);
    }

    /** The service a command goes to, from its package in the contracts: {@code ...contracts.payment} → payment. */
    private static String lane(Object command) {
        String service = Services.owning(command.getClass().getName());
        return service == null ? "other" : service;
    }
}
