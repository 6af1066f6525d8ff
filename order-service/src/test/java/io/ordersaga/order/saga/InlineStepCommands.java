package io.ordersaga.order.saga;

import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.order.flow.OrderFlow;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.HashSet;
import java.util.Set;

/**
 * The saga's commands sent on the caller's thread once its unit of work commits (at once without one), for tests:
 * what {@link StepDispatcher} does, without its queue and thread. Timeouts are not applied; a test says which attempts
 * this process still has out ({@link #stillOut}).
 */
final class InlineStepCommands implements StepCommands {

    private final CommandGateway commands;
    private final Set<String> stillOut = new HashSet<>();

    InlineStepCommands(CommandGateway commands) {
        this.commands = commands;
    }

    /** The attempt counts as still out from this process (queued or unanswered). */
    void stillOut(String orderId, OrderStep step, String target, int attempt) {
        stillOut.add(orderId + '/' + OrderFlow.attemptKey(step, target, attempt));
    }

    @Override
    public void sendAfterCommit(Outgoing outgoing) {
        StepCommands.afterCommit(outgoing, committed -> committed.forEach(this::send));
    }

    @Override
    public boolean isPending(String attemptKey) {
        return stillOut.contains(attemptKey);
    }

    private void send(Outgoing outgoing) {
        commands.send(outgoing.command()).whenComplete((answer, failure) -> {
            if (failure != null && outgoing.onFailure() != null) {
                outgoing.onFailure().accept(failure);
            }
        });
    }
}
