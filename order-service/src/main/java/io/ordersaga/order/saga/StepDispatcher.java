package io.ordersaga.order.saga;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the saga's commands, after the saga's state is stored, oldest order first, a bounded number at a time per
 * service.
 *
 * <ul>
 *   <li><b>After commit.</b> A command leaves only once the transaction that decided it has committed: a batch of
 *       the saga processor that is rolled back and handled again sends nothing twice, and the history records only
 *       what was decided. A command lost with the process after the commit is noticed by the saga's alarm.</li>
 *   <li><b>A timeout measures the service, not the queue.</b> At most {@code maxInFlightPerService} commands per
 *       service are out at once; the others wait here, in no hurry, and their step timeout starts only when they are
 *       sent. A burst of orders is a queue, not a cascade of timed-out attempts.</li>
 *   <li><b>Fair.</b> The queue is ordered by when the order was placed: under a burst the first order goes through
 *       each step before the thousandth, instead of every order moving through each step together.</li>
 * </ul>
 * Sending itself never blocks the caller: one thread of its own hands the commands to the command bus.
 */
public class StepDispatcher implements StepCommands, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StepDispatcher.class);

    private record Queued(Outgoing outgoing, long sequence) {
    }

    private static final Comparator<Queued> OLDEST_FIRST = Comparator
            .comparing((Queued queued) -> queued.outgoing().priority())
            .thenComparingLong(Queued::sequence);

    private final CommandGateway commands;
    private final int maxInFlightPerService;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendable = lock.newCondition();
    private final Map<String, PriorityQueue<Queued>> queues = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Set<String> pendingAttempts = ConcurrentHashMap.newKeySet();
    private final Thread sender;
    private long sequence;
    private volatile boolean closed;

    public StepDispatcher(CommandGateway commands, int maxInFlightPerService) {
        if (maxInFlightPerService < 1) {
            throw new IllegalArgumentException("At least one command per service must be allowed in flight");
        }
        this.commands = commands;
        this.maxInFlightPerService = maxInFlightPerService;
        this.sender = new Thread(this::sendLoop, "saga-commands");
        this.sender.setDaemon(true);
        this.sender.start();
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
            return queues.values().stream().mapToInt(PriorityQueue::size).sum();
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
                queues.computeIfAbsent(outgoing.lane(), lane -> new PriorityQueue<>(OLDEST_FIRST))
                        .add(new Queued(outgoing, sequence++));
            }
            sendable.signal();
        } finally {
            lock.unlock();
        }
    }

    private void sendLoop() {
        while (!closed) {
            Outgoing next;
            lock.lock();
            try {
                next = takeSendable();
                if (next == null) {
                    sendable.await(1, TimeUnit.SECONDS);
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            send(next);
        }
    }

    /** The oldest command of a lane that may send one more; {@code null} when none may. Holds the lock. */
    private Outgoing takeSendable() {
        PriorityQueue<Queued> best = null;
        for (Map.Entry<String, PriorityQueue<Queued>> lane : queues.entrySet()) {
            PriorityQueue<Queued> queue = lane.getValue();
            if (!queue.isEmpty() && inFlight.getOrDefault(lane.getKey(), 0) < maxInFlightPerService
                    && (best == null || OLDEST_FIRST.compare(queue.peek(), best.peek()) < 0)) {
                best = queue;
            }
        }
        if (best == null) {
            return null;
        }
        Outgoing outgoing = best.poll().outgoing();
        inFlight.merge(outgoing.lane(), 1, Integer::sum);
        return outgoing;
    }

    private void send(Outgoing outgoing) {
        CompletableFuture<Object> result;
        try {
            result = commands.send(outgoing.command());
        } catch (RuntimeException refused) {
            result = CompletableFuture.failedFuture(refused);
        }
        if (outgoing.timeout() != null) {
            result = result.orTimeout(outgoing.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        result.whenComplete((answer, failure) -> finished(outgoing, failure));
    }

    private void finished(Outgoing outgoing, Throwable failure) {
        lock.lock();
        try {
            inFlight.merge(outgoing.lane(), -1, Integer::sum);
            sendable.signal();
        } finally {
            lock.unlock();
        }
        if (outgoing.attemptKey() != null) {
            pendingAttempts.remove(outgoing.attemptKey());
        }
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

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
    }
}
