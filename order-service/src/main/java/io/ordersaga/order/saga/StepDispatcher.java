package io.ordersaga.order.saga;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the saga's commands, after the saga's state is stored, oldest order first, a bounded number at a time.
 *
 * <ul>
 *   <li><b>After commit.</b> A command leaves only once the transaction that decided it has committed: a batch of
 *       the saga processor that is rolled back and handled again sends nothing twice, and the history records only
 *       what was decided. A command lost with the process after the commit is noticed by the saga's alarm.</li>
 *   <li><b>A timeout measures the service, not the queue.</b> At most {@code maxInFlightPerService} commands per
 *       service are out at once, and at most one per aggregate (a popular SKU's reservations take its lock one by
 *       one anyway); the others wait here, in no hurry, and their step timeout starts only when they are sent. A
 *       burst of orders is a queue, not a cascade of timed-out attempts.</li>
 *   <li><b>Fair.</b> The queue is ordered by when the order was placed: under a burst the first order goes through
 *       each step before the thousandth, instead of every order moving through each step together.</li>
 * </ul>
 * Sending never blocks: handing a command to the command bus only queues it there (locally, or for the HTTP call to
 * another service). The thread that commits, or that sees a command finish, sends what may go next itself; a thread
 * already sending goes on sending what others queued meanwhile.
 */
public class StepDispatcher implements StepCommands, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StepDispatcher.class);

    private record Queued(Outgoing outgoing, String aggregate, long sequence) {
    }

    private static final Comparator<Queued> OLDEST_FIRST = Comparator
            .comparing((Queued queued) -> queued.outgoing().priority())
            .thenComparingLong(Queued::sequence);

    /** The commands waiting for one aggregate; sendable while none of its commands is out. */
    private static final class Aggregate {
        final String id;
        final String lane;
        final PriorityQueue<Queued> waiting = new PriorityQueue<>(OLDEST_FIRST);
        boolean out;

        Aggregate(String id, String lane) {
            this.id = id;
            this.lane = lane;
        }
    }

    private static final Comparator<Aggregate> BY_OLDEST_COMMAND =
            (one, other) -> OLDEST_FIRST.compare(one.waiting.peek(), other.waiting.peek());

    /** A service: its aggregates that have a command to send and none out, and how many of its commands are out. */
    private static final class Lane {
        final PriorityQueue<Aggregate> ready = new PriorityQueue<>(BY_OLDEST_COMMAND);
        int inFlight;
    }

    private final CommandGateway commands;
    private final CommandTargetResolver targets = AnnotationCommandTargetResolver.builder().build();
    private final int maxInFlightPerService;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Aggregate> aggregates = new HashMap<>();
    private final Set<String> pendingAttempts = ConcurrentHashMap.newKeySet();
    /** Whether this thread is already sending: a command that fails at once is then not sent from within itself. */
    private final ThreadLocal<Boolean> sending = ThreadLocal.withInitial(() -> false);
    /** Handles the answers that come back on the sending thread itself (see {@link #send}). */
    private final ExecutorService answers = Executors.newSingleThreadExecutor(new AxonThreadFactory("saga-answers"));
    private long sequence;
    private int queued;
    private volatile boolean closed;

    public StepDispatcher(CommandGateway commands, int maxInFlightPerService) {
        if (maxInFlightPerService < 1) {
            throw new IllegalArgumentException("At least one command per service must be allowed in flight");
        }
        this.commands = commands;
        this.maxInFlightPerService = maxInFlightPerService;
    }

    @Override
    public void sendAfterCommit(Outgoing outgoing) {
        StepCommands.afterCommit(outgoing, this::enqueue);
    }

    @Override
    public boolean isPending(String attemptKey) {
        return pendingAttempts.contains(attemptKey);
    }

    /** Commands waiting to be sent, all services together. */
    public int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(List<Outgoing> committed) {
        for (Outgoing outgoing : committed) {
            if (outgoing.attemptKey() != null) {
                pendingAttempts.add(outgoing.attemptKey());
            }
        }
        lock.lock();
        try {
            for (Outgoing outgoing : committed) {
                String id = outgoing.lane() + '/' + aggregateOf(outgoing.command());
                Aggregate aggregate = aggregates.computeIfAbsent(id, key -> new Aggregate(key, outgoing.lane()));
                Lane lane = lanes.computeIfAbsent(outgoing.lane(), key -> new Lane());
                boolean wasReady = !aggregate.out && !aggregate.waiting.isEmpty();
                if (wasReady) {
                    lane.ready.remove(aggregate); // its oldest command may change
                }
                aggregate.waiting.add(new Queued(outgoing, id, sequence++));
                queued++;
                if (!aggregate.out) {
                    lane.ready.add(aggregate);
                }
            }
        } finally {
            lock.unlock();
        }
        sendWhatMayGo();
    }

    /** Sends every command that may go now. */
    private void sendWhatMayGo() {
        if (sending.get() || closed) {
            return; // the loop further up this thread's stack sends it
        }
        sending.set(true);
        try {
            for (Queued next = take(); next != null; next = take()) {
                send(next);
            }
        } finally {
            sending.set(false);
        }
    }

    private Queued take() {
        lock.lock();
        try {
            return takeSendable();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest command of a service that may send one more; {@code null} when none may. Holds the lock. */
    private Queued takeSendable() {
        Lane best = null;
        for (Lane lane : lanes.values()) {
            if (!lane.ready.isEmpty() && lane.inFlight < maxInFlightPerService
                    && (best == null || BY_OLDEST_COMMAND.compare(lane.ready.peek(), best.ready.peek()) < 0)) {
                best = lane;
            }
        }
        if (best == null) {
            return null;
        }
        Aggregate aggregate = best.ready.poll();
        aggregate.out = true;
        best.inFlight++;
        queued--;
        return aggregate.waiting.poll();
    }

    private void send(Queued queued) {
        Outgoing outgoing = queued.outgoing();
        CompletableFuture<Object> result;
        try {
            result = commands.send(outgoing.command());
        } catch (RuntimeException refused) {
            result = CompletableFuture.failedFuture(refused);
        }
        if (outgoing.timeout() != null) {
            result = result.orTimeout(outgoing.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        result.whenComplete((answer, failure) -> {
            if (CurrentUnitOfWork.isStarted()) {
                // answered before it was even sent off (no handler, a fault): not on the sender's unit of work,
                // which has committed; a failure report must publish in a unit of work of its own
                answers.execute(() -> finished(queued, failure));
            } else {
                finished(queued, failure);
            }
        });
    }

    private void finished(Queued done, Throwable failure) {
        Outgoing outgoing = done.outgoing();
        lock.lock();
        try {
            Lane lane = lanes.get(outgoing.lane());
            lane.inFlight--;
            Aggregate aggregate = aggregates.get(done.aggregate());
            aggregate.out = false;
            if (aggregate.waiting.isEmpty()) {
                aggregates.remove(done.aggregate());
            } else {
                lane.ready.add(aggregate);
            }
        } finally {
            lock.unlock();
        }
        if (outgoing.attemptKey() != null) {
            pendingAttempts.remove(outgoing.attemptKey());
        }
        sendWhatMayGo();
        if (failure != null) {
            if (outgoing.onFailure() != null) {
                try {
                    outgoing.onFailure().accept(failure);
                } catch (RuntimeException e) {
                    log.warn("Could not report the failure of {}: {}", outgoing.command().getClass().getSimpleName(),
                            e.toString());
                }
            } else {
                log.debug("{} failed: {}", outgoing.command().getClass().getSimpleName(), failure.toString());
            }
        }
    }

    /** The aggregate a command is for (its {@code @TargetAggregateIdentifier}). */
    private String aggregateOf(Object command) {
        try {
            return targets.resolveTarget(GenericCommandMessage.asCommandMessage(command)).getIdentifier();
        } catch (IllegalArgumentException noTarget) {
            return command.getClass().getName() + '@' + System.identityHashCode(command);
        }
    }

    @Override
    public void close() {
        closed = true;
        answers.shutdown();
    }
}
