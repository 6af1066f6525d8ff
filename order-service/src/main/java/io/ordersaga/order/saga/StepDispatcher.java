package io.ordersaga.order.saga;

import io.github.resilience4j.core.IntervalFunction;
import io.ordersaga.platform.axon.CachingCommandTargetResolver;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

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
 *   <li><b>A service that is down is waited for, not failed.</b> A command that could not even be handed to its
 *       service — no instance of it is up ({@link NoHandlerForCommandException}), or its instance refused the
 *       connection — was never attempted: it goes back to its place in the queue, and the service is tried again
 *       with one command at a time, after 0.25 s, 0.5 s, 1 s … 2 s, until it takes one; then everything queued for it
 *       goes. A restart or a redeploy of a service costs its orders a pause, not failed attempts, retries and
 *       compensations. Only when a service stays unreachable longer than {@code maxWait} do its commands fail as
 *       attempts again, so that the saga's retry policies give orders up and compensate them.</li>
 * </ul>
 * With tracing on, a command keeps the trace context of the saga handler that decided it (in its metadata), and is
 * sent — and its failure reported — in a span of that trace, however long it waited here.
 * <p>Sending never blocks: handing a command to the command bus only queues it there (locally, or for the HTTP call to
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

    /**
     * A service: its aggregates that have a command to send and none out, how many of its commands are out, and
     * whether it can be reached: {@code unreachableSince} (nanos) when a command could not be handed to it, the time
     * of the next try, how many tries failed.
     */
    private static final class Lane {
        final String name;
        final PriorityQueue<Aggregate> ready = new PriorityQueue<>(BY_OLDEST_COMMAND);
        int inFlight;
        boolean unreachable;
        long unreachableSince;
        long nextTry;
        int failedTries;

        Lane(String name) {
            this.name = name;
        }

        /** Whether commands are held for it: unreachable, and not for longer than they may wait. */
        boolean holding(long now, Duration maxWait) {
            return unreachable && now - unreachableSince < maxWait.toNanos();
        }
    }

    /**
     * How long commands wait for a service that has no instance up before they fail as attempts, and how often the
     * service is tried meanwhile (with one command at a time).
     */
    public record Unreachable(Duration maxWait, IntervalFunction tryAgain) {

        public static Unreachable waitingAtMost(Duration maxWait) {
            return new Unreachable(maxWait,
                    IntervalFunction.ofExponentialBackoff(Duration.ofMillis(250), 2.0, Duration.ofSeconds(2)));
        }
    }

    private final CommandGateway commands;
    private final CommandTargetResolver targets = new CachingCommandTargetResolver();
    private final int maxInFlightPerService;
    private final Unreachable unreachable;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Aggregate> aggregates = new HashMap<>();
    private final Set<String> pendingAttempts = ConcurrentHashMap.newKeySet();
    /** Whether this thread is already sending: a command that fails at once is then not sent from within itself. */
    private final ThreadLocal<Boolean> sending = ThreadLocal.withInitial(() -> false);
    /** Handles the answers that come back on the sending thread itself (see {@link #send}). */
    private final ExecutorService answers = Executors.newSingleThreadExecutor(new AxonThreadFactory("saga-answers"));
    /** Tries an unreachable service again when it is due. */
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("saga-unreachable"));
    private final SpanFactory spans;
    private final boolean tracing;
    private long sequence;
    private int queued;
    private volatile boolean closed;

    public StepDispatcher(CommandGateway commands, int maxInFlightPerService) {
        this(commands, maxInFlightPerService, Unreachable.waitingAtMost(Duration.ofMinutes(5)));
    }

    public StepDispatcher(CommandGateway commands, int maxInFlightPerService, Unreachable unreachable) {
        this(commands, maxInFlightPerService, unreachable, NoOpSpanFactory.INSTANCE);
    }

    public StepDispatcher(CommandGateway commands, int maxInFlightPerService, Unreachable unreachable,
                          SpanFactory spans) {
        if (maxInFlightPerService < 1) {
            throw new IllegalArgumentException("At least one command per service must be allowed in flight");
        }
        this.commands = commands;
        this.maxInFlightPerService = maxInFlightPerService;
        this.unreachable = unreachable;
        this.spans = spans;
        this.tracing = !(spans instanceof NoOpSpanFactory);
    }

    @Override
    public void sendAfterCommit(Outgoing outgoing) {
        if (tracing) { // the trace context is the saga handler's now, and gone once the transaction has committed
            outgoing = outgoing.withCommand(
                    spans.propagateContext(GenericCommandMessage.asCommandMessage(outgoing.command())));
        }
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

    /** Commands waiting to be sent to {@code service} (a contracts package: inventory, payment, ...). */
    public int queued(String service) {
        lock.lock();
        try {
            return aggregates.values().stream().filter(aggregate -> aggregate.lane.equals(service))
                    .mapToInt(aggregate -> aggregate.waiting.size()).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code service} could not be reached the last time a command was handed to it. */
    public boolean unreachable(String service) {
        lock.lock();
        try {
            Lane lane = lanes.get(service);
            return lane != null && lane.unreachable;
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
                Lane lane = lanes.computeIfAbsent(outgoing.lane(), Lane::new);
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

    /**
     * The oldest command of a service that may send one more; {@code null} when none may. A service that could not be
     * reached gets one command at a time, once its next try is due. Holds the lock.
     */
    private Queued takeSendable() {
        Lane best = null;
        long now = System.nanoTime();
        for (Lane lane : lanes.values()) {
            boolean mayTry = !lane.holding(now, unreachable.maxWait())
                    ? lane.inFlight < maxInFlightPerService
                    : lane.inFlight == 0 && now - lane.nextTry >= 0;
            if (!lane.ready.isEmpty() && mayTry
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
            result = inTrace("StepDispatcher.send", outgoing, () -> commands.send(outgoing.command()));
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
        boolean undelivered = failure != null && neverReachedItsService(failure);
        boolean held = false;
        long retryInNanos = 0;
        lock.lock();
        try {
            Lane lane = lanes.get(outgoing.lane());
            lane.inFlight--;
            Aggregate aggregate = aggregates.get(done.aggregate());
            aggregate.out = false;
            long now = System.nanoTime();
            if (undelivered) {
                if (!lane.unreachable) {
                    lane.unreachable = true;
                    lane.unreachableSince = now;
                    lane.failedTries = 0;
                    log.warn("No instance of the {} service can be reached ({}); its commands wait until one can",
                            lane.name, failure.toString());
                }
                if (lane.holding(now, unreachable.maxWait())) {
                    held = true;
                    aggregate.waiting.add(done); // back to its place: it was never attempted
                    queued++;
                    retryInNanos = TimeUnit.MILLISECONDS.toNanos(unreachable.tryAgain().apply(++lane.failedTries));
                    lane.nextTry = now + retryInNanos;
                }
            } else if (lane.unreachable) {
                log.info("The {} service is reachable again after {} s", lane.name,
                        String.format(Locale.ROOT, "%.1f", (now - lane.unreachableSince) / 1e9));
                lane.unreachable = false;
                lane.failedTries = 0;
            }
            if (aggregate.waiting.isEmpty()) {
                aggregates.remove(done.aggregate());
            } else {
                lane.ready.add(aggregate);
            }
        } finally {
            lock.unlock();
        }
        if (held) {
            try {
                retries.schedule(this::sendWhatMayGo, retryInNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                return; // the process is stopping: the saga's alarm asks for the command again after a restart
            }
            sendWhatMayGo(); // the other services' commands
            return;
        }
        if (outgoing.attemptKey() != null) {
            pendingAttempts.remove(outgoing.attemptKey());
        }
        sendWhatMayGo();
        if (failure != null) {
            if (outgoing.onFailure() != null) {
                try {
                    inTrace("StepDispatcher.reportFailure", outgoing, () -> {
                        outgoing.onFailure().accept(failure);
                        return null;
                    });
                } catch (RuntimeException e) {
                    log.warn("Could not report the failure of {}: {}", nameOf(outgoing.command()), e.toString());
                }
            } else {
                log.debug("{} failed: {}", nameOf(outgoing.command()), failure.toString());
            }
        }
    }

    /** Runs {@code work} in a span of the trace the command was decided in (with tracing on). */
    private <T> T inTrace(String operation, Outgoing outgoing, Supplier<T> work) {
        if (!tracing || !(outgoing.command() instanceof CommandMessage<?> message)) {
            return work.get();
        }
        return spans.createHandlerSpan(() -> operation, message, true).runSupplier(work); // Axon adds (ItsType)
    }

    private static String nameOf(Object command) {
        return command instanceof CommandMessage<?> message
                ? message.getPayloadType().getSimpleName()
                : command.getClass().getSimpleName();
    }

    /**
     * Whether a command's failure says it was never handed to its service: no instance of the service is known
     * ({@link NoHandlerForCommandException}), or the instance refused the connection ({@link ConnectException}).
     * A command that may have reached its service (a timeout, an error in the answer) is not among these.
     */
    static boolean neverReachedItsService(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof NoHandlerForCommandException || cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
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
        retries.shutdownNow();
    }
}
