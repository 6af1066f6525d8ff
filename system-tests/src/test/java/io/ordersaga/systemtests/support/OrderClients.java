package io.ordersaga.systemtests.support;

import io.ordersaga.standalone.support.Api;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients placing orders at a steady rate, as shops would: order {@code i} is due {@code i / rate} seconds after the
 * start, and whichever client thread is free sends it. Every order carries an {@code Idempotency-Key}; a request that
 * gets no answer (the connection fails), a {@code 5xx} or a {@code 503} is sent again — the same body, the same key —
 * after a short wait (1 s, doubling with each retry of the order up to 5 s; a {@code 503}'s {@code Retry-After}),
 * until the order is accepted or {@code giveUpAfter} has passed since it was first due. Waits are a {@link DelayQueue}'s: a client blocks on the
 * queue until the next request is due, it never sleeps.
 */
public final class OrderClients implements AutoCloseable {

    /** An order the system accepted ({@code 202}), after {@code retries} repeated requests. */
    public record Accepted(ChaosOrders.Planned order, String orderId, int retries, Instant at) {
    }

    /** An answer no retry can change (e.g. a {@code 4xx}): a failure of the system under test. */
    public record Refused(ChaosOrders.Planned order, int status, String body) {
    }

    /** The first wait before a request is sent again; it doubles with each retry of the order, up to the longest. */
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private final Api api;
    private final Duration giveUpAfter;
    private final ExecutorService threads;
    private final DelayQueue<Request> due = new DelayQueue<>();
    private final AtomicInteger unresolved = new AtomicInteger();
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final List<Refused> refused = new CopyOnWriteArrayList<>();
    private final List<ChaosOrders.Planned> abandoned = new CopyOnWriteArrayList<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder retriesAfterConnectionFailure = new LongAdder();
    private final LongAdder retriesAfterServerError = new LongAdder();
    private final LongAdder retriesAfterBusy = new LongAdder();
    private final List<Throwable> crashes = new CopyOnWriteArrayList<>();
    private volatile Instant lastResolved;

    public OrderClients(Api api, int clients, Duration giveUpAfter) {
        this.api = api;
        this.giveUpAfter = giveUpAfter;
        this.threads = Executors.newFixedThreadPool(clients, runnable -> {
            Thread thread = new Thread(runnable, "chaos-client");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < clients; i++) {
            threads.execute(this::serve);
        }
    }

    /** Offers the orders at {@code perSecond}, from now on; returns at once. */
    public void send(List<ChaosOrders.Planned> orders, double perSecond) {
        Instant start = Instant.now();
        unresolved.addAndGet(orders.size());
        for (ChaosOrders.Planned order : orders) {
            Instant at = start.plusNanos((long) (order.number() * 1_000_000_000L / perSecond));
            due.add(new Request(order, at, at, 0));
        }
    }

    /** Whether every order offered so far was accepted, refused or given up. */
    public boolean done() {
        if (!crashes.isEmpty()) {
            throw new IllegalStateException("A client failed", crashes.get(0));
        }
        return unresolved.get() == 0;
    }

    /** When the last order was resolved (accepted, refused, given up). */
    public Instant lastResolved() {
        return lastResolved;
    }

    public List<Accepted> accepted() {
        return List.copyOf(accepted.values());
    }

    public List<Refused> refused() {
        return List.copyOf(refused);
    }

    /** Orders still not accepted {@code giveUpAfter} after they were first sent. */
    public List<ChaosOrders.Planned> abandoned() {
        return List.copyOf(abandoned);
    }

    public long requests() {
        return requests.sum();
    }

    public long retriesAfterConnectionFailure() {
        return retriesAfterConnectionFailure.sum();
    }

    public long retriesAfterServerError() {
        return retriesAfterServerError.sum();
    }

    public long retriesAfterBusy() {
        return retriesAfterBusy.sum();
    }

    public long retries() {
        return retriesAfterConnectionFailure() + retriesAfterServerError() + retriesAfterBusy();
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(40, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                send(due.take());
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            crashes.add(e);
        }
    }

    private void send(Request request) {
        ChaosOrders.Planned order = request.order();
        requests.increment();
        Api.Response answer;
        try {
            answer = api.placeOrder(order.body(), "Idempotency-Key", order.idempotencyKey());
        } catch (UncheckedIOException noAnswer) {
            retryOrGiveUp(request, retriesAfterConnectionFailure, backoff(request));
            return;
        }
        if (answer.status() == 202) {
            accepted.put(order.idempotencyKey(), new Accepted(order, answer.json().get("orderId").asText(),
                    request.retries(), Instant.now()));
            resolved();
        } else if (answer.status() == 503) {
            retryOrGiveUp(request, retriesAfterBusy, retryAfter(answer, request));
        } else if (answer.status() >= 500) {
            retryOrGiveUp(request, retriesAfterServerError, backoff(request));
        } else {
            refused.add(new Refused(order, answer.status(), answer.body()));
            resolved();
        }
    }

    private void retryOrGiveUp(Request request, LongAdder cause, Duration wait) {
        Instant next = Instant.now().plus(wait);
        if (next.isAfter(request.firstSent().plus(giveUpAfter))) {
            abandoned.add(request.order());
            resolved();
            return;
        }
        cause.increment();
        due.add(new Request(request.order(), request.firstSent(), next, request.retries() + 1));
    }

    private void resolved() {
        lastResolved = Instant.now();
        unresolved.decrementAndGet();
    }

    private static Duration backoff(Request request) {
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(request.retries(), 8));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    /** As long as the answer's {@code Retry-After} asks (at most the longest wait). */
    private static Duration retryAfter(Api.Response answer, Request request) {
        try {
            Duration asked = Duration.ofSeconds(Long.parseLong(String.valueOf(answer.header("Retry-After"))));
            return asked.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : asked;
        } catch (NumberFormatException none) {
            return backoff(request);
        }
    }

    /** A request due at {@code at}; {@code firstSent} is when its order was first due. */
    private record Request(ChaosOrders.Planned order, Instant firstSent, Instant at, int retries) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(Instant.now(), at));
        }

        @Override
        public int compareTo(Delayed other) {
            return at.compareTo(((Request) other).at);
        }
    }
}
