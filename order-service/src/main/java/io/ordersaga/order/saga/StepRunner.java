package io.ordersaga.order.saga;

import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the saga's bookkeeping ({@link Attempts}) needs from the world, handed to every handler as one parameter:
 * the retry policies, the time, the dispatcher that sends commands once the saga's state is stored, and the alarms.
 * Stateless: the saga's state stays in the saga.
 */
public class StepRunner {

    private final StepCommands dispatcher;
    private final SagaAlarms alarms;
    private final RetryPolicies policies;
    private final CommandGateway commands;
    private final Clock clock;

    public StepRunner(StepCommands dispatcher, SagaAlarms alarms, RetryPolicies policies, CommandGateway commands,
                      Clock clock) {
        this.dispatcher = dispatcher;
        this.alarms = alarms;
        this.policies = policies;
        this.commands = commands;
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
     * down, it took longer than the step's timeout once sent — the failure is recorded on the order as that attempt's.
     */
    void attempt(String orderId, Instant priority, OrderStep step, String target, int attempt, Object command) {
        Duration timeout = policies.stepTimeout(step);
        dispatcher.sendAfterCommit(new StepCommands.Outgoing(lane(command), priority, command,
                attemptKey(orderId, step, target, attempt), timeout, failure -> {
                    Failures.Failure described = Failures.describe(failure, timeout);
                    commands.send(new RecordStepFailureCommand(orderId, step, target, attempt, described.error(),
                            described.message()));
                }));
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
        return orderId + '/' + step + '/' + target + '/' + attempt;
    }

    /** The service a command goes to, from its package in the contracts: {@code ...contracts.payment} → payment. */
    private static String lane(Object command) {
        String packageName = command.getClass().getPackageName();
        return packageName.substring(packageName.lastIndexOf('.') + 1);
    }
}
