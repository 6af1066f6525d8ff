package io.ordersaga.order.web;

import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.order.saga.OrderSaga;
import io.ordersaga.platform.observability.ProcessorLagMetrics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Back-pressure at the door: when the system is further behind than its bounds — more orders in progress than
 * {@code ordersaga.admission.max-open-orders}, or the saga's processor more events behind the event store than
 * {@code ordersaga.admission.max-saga-lag} — a new order is refused with {@code 503} and {@code Retry-After} before
 * anything is stored, instead of being taken on and left to wait for minutes. What was accepted is never dropped.
 * The load is read at most every {@code ordersaga.admission.refresh}.
 */
@Component
public class Admission {

    /** What the bounds are checked against. {@code sagaLag} is empty where this instance runs no saga segment. */
    record Load(long openOrders, OptionalLong sagaLag, Instant readAt) {
    }

    private final OrderQueries queries;
    private final ProcessorLagMetrics lag;
    private final Clock clock;
    private final long maxOpenOrders;
    private final long maxSagaLag;
    private final Duration retryAfter;
    private final Duration refresh;
    private volatile Load load;

    public Admission(OrderQueries queries, ProcessorLagMetrics lag, Clock clock,
                     @Value("${ordersaga.admission.max-open-orders:20000}") long maxOpenOrders,
                     @Value("${ordersaga.admission.max-saga-lag:20000}") long maxSagaLag,
                     @Value("${ordersaga.admission.retry-after:5s}") Duration retryAfter,
                     @Value("${ordersaga.admission.refresh:250ms}") Duration refresh) {
        this.queries = queries;
        this.lag = lag;
        this.clock = clock;
        this.maxOpenOrders = maxOpenOrders;
        this.maxSagaLag = maxSagaLag;
        this.retryAfter = retryAfter;
        this.refresh = refresh;
    }

    /** Why a new order cannot be taken now; empty when it can. */
    public Optional<String> refusal() {
        Load now = currentLoad();
        if (now.openOrders() >= maxOpenOrders) {
            return Optional.of(now.openOrders() + " orders are in progress (at most " + maxOpenOrders + ")");
        }
        if (now.sagaLag().isPresent() && now.sagaLag().getAsLong() >= maxSagaLag) {
            return Optional.of("the order saga is " + now.sagaLag().getAsLong() + " events behind (at most "
                    + maxSagaLag + ")");
        }
        return Optional.empty();
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    private Load currentLoad() {
        Load last = load;
        Instant now = clock.instant();
        if (last == null || Duration.between(last.readAt(), now).compareTo(refresh) >= 0) {
            last = new Load(queries.countOpen(), lag.lag(OrderSaga.PROCESSING_GROUP), now);
            load = last;
        }
        return last;
    }
}
