package io.ordersaga.order.query;

import org.axonframework.common.AxonThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients waiting for an order to end ({@code GET /orders/{id}} with {@code Prefer: wait=N}), keyed by order id.
 * {@link OrderProjection} wakes them once the transaction that recorded the end has committed, handing over the ended
 * order as it stored it: a waiting client holds no thread and costs no query while it waits. A waiter is registered
 * before the order is first read, so an order that ends in between is seen by the read or wakes the waiter.
 *
 * <p>Once a second, the orders that have waiters are looked up together in one query, in case a wake-up was missed
 * (another instance of the order service holds the order's projection segment, say).
 */
@Component
public class OrderEndings implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OrderEndings.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);
    private static final int RECHECK_CHUNK = 500;

    private final OrderQueries queries;
    /** Each set is changed only inside the map's atomic operations for its key, and never after it left the map. */
    private final Map<String, Set<CompletableFuture<Optional<OrderView>>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("order-endings"));

    public OrderEndings(OrderQueries queries) {
        this.queries = queries;
        timer.scheduleWithFixedDelay(this::recheck, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The order as soon as it has ended, or as it is after {@code atMost}; empty when there is no such order.
     * Cancelling the answer withdraws the waiter.
     */
    public CompletableFuture<Optional<OrderView>> whenEnded(String orderId, Duration atMost) {
        CompletableFuture<Optional<OrderView>> answer = new CompletableFuture<>();
        waiting.compute(orderId, (id, waiters) -> {
            Set<CompletableFuture<Optional<OrderView>>> set = waiters == null ? new HashSet<>() : waiters;
            set.add(answer);
            return set;
        });
        ScheduledFuture<?> expiry = timer.schedule(() -> complete(answer, orderId), atMost.toMillis(),
                TimeUnit.MILLISECONDS);
        answer.whenComplete((order, error) -> {
            expiry.cancel(false);
            withdraw(orderId, answer);
        });
        try {
            Optional<OrderView> now = queries.find(orderId);
            if (now.isEmpty() || now.get().status().isTerminal()) {
                answer.complete(now);
            }
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** Wakes the order's waiters; called by the projection once the end is committed. */
    void ended(OrderView order) {
        Set<CompletableFuture<Optional<OrderView>>> waiters = waiting.remove(order.orderId());
        if (waiters != null) {
            waiters.forEach(answer -> answer.complete(Optional.of(order)));
        }
    }

    /** How many orders have waiters (for tests and diagnostics). */
    int ordersWaitedFor() {
        return waiting.size();
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }

    private void complete(CompletableFuture<Optional<OrderView>> answer, String orderId) {
        try {
            answer.complete(queries.find(orderId));
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    private void withdraw(String orderId, CompletableFuture<Optional<OrderView>> answer) {
        waiting.computeIfPresent(orderId, (id, waiters) -> {
            waiters.remove(answer);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    private void recheck() {
        List<String> orderIds = List.copyOf(waiting.keySet());
        try {
            for (int from = 0; from < orderIds.size(); from += RECHECK_CHUNK) {
                queries.ended(orderIds.subList(from, Math.min(orderIds.size(), from + RECHECK_CHUNK)))
                        .forEach(this::ended);
            }
        } catch (RuntimeException e) {
            log.warn("Could not look up the orders that clients wait for; trying again in {} s",
                    RECHECK.toSeconds(), e);
        }
    }
}
