package io.ordersaga.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Clients in a closed loop, one thread each: place an order, wait for its end, place the next — until stopped, or
 * until a number of orders has been placed. Each order's sample is kept; which of them count is decided by the
 * caller from the times they ended.
 */
final class ClosedLoop {

    private final OrderClient client;
    private final String runId;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong budget;
    private final ConcurrentLinkedQueue<OrderClient.Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param skus   the SKU of each client's n-th order: {@code skus.apply(client + n)}
     * @param orders how many orders to place in all ({@link Long#MAX_VALUE}: until stopped)
     */
    ClosedLoop(OrderClient client, String runId, int clients, IntFunction<String> skus, long orders) {
        this.client = client;
        this.runId = runId;
        this.budget = new AtomicLong(orders);
        for (int i = 0; i < clients; i++) {
            int clientNumber = i;
            Thread thread = new Thread(() -> loop(clientNumber, skus), runId + "-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    ClosedLoop start() {
        threads.forEach(Thread::start);
        return this;
    }

    /** The orders that have ended so far. */
    List<OrderClient.Sample> samples() {
        return List.copyOf(samples);
    }

    /** Asks the clients to place no more orders, and waits until each has seen its last one end. */
    void stop(Duration atMost) {
        stopped.set(true);
        join(atMost);
    }

    /** Waits until the clients have placed and seen the end of every order they were to place. */
    void join(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void loop(int clientNumber, IntFunction<String> skus) {
        for (int n = 0; !stopped.get() && budget.getAndDecrement() > 0; n++) {
            OrderClient.Sample sample = client.placeAndAwaitEnd(runId + "-" + clientNumber + "-" + n,
                    skus.apply(clientNumber + n));
            samples.add(sample);
            if (sample.outcome() == OrderClient.Outcome.FAILED) {
                SystemUnderTest.pause(Duration.ofMillis(200)); // an app that refuses everything is not hammered
            }
        }
    }
}
