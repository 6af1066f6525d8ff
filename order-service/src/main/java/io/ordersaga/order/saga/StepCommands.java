package io.ordersaga.order.saga;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Where the saga's commands go once its state is stored: {@link StepDispatcher} in a running service. */
public interface StepCommands {

    /**
     * A command to send: its lane (the service that handles it), its priority (when its order was placed), the
     * attempt it belongs to ({@code null} for records), its timeout ({@code null}: none) and what to do when it fails.
     */
    record Outgoing(String lane, Instant priority, Object command, String attemptKey, Duration timeout,
                    Consumer<Throwable> onFailure) {

        /** The same, with {@code command} (the same command as a message with metadata) in place of its command. */
        Outgoing withCommand(Object command) {
            return new Outgoing(lane, priority, command, attemptKey, timeout, onFailure);
        }
    }

    /** Sends once the current unit of work has committed; at once when there is none. */
    void sendAfterCommit(Outgoing outgoing);

    /** Whether the attempt's command is waiting or out and not yet answered, as far as this process knows. */
    boolean isPending(String attemptKey);

    /**
     * Hands {@code outgoing} to {@code send} once the current unit of work has committed (at once without one),
     * together with everything else sent in that unit of work and in the order it was sent (Axon runs its own
     * after-commit handlers in reverse order).
     */
    static void afterCommit(Outgoing outgoing, Consumer<List<Outgoing>> send) {
        if (!CurrentUnitOfWork.isStarted()) {
            send.accept(List.of(outgoing));
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        List<Outgoing> sent = root.getOrComputeResource(StepCommands.class.getName(), key -> {
            List<Outgoing> inThisUnitOfWork = new ArrayList<>();
            root.afterCommit(unitOfWork -> send.accept(inThisUnitOfWork));
            return inThisUnitOfWork;
        });
        sent.add(outgoing);
    }
}
