package io.ordersaga.order.web;

import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.order.saga.OrderSaga;
import io.ordersaga.platform.observability.ProcessorLagMetrics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Back-pressure at the door: when the system is further behind than its bounds ({@link Bounds}) — more orders in
 * progress than {@code ordersaga.admission.max-open-orders}, or the saga's processor more events behind the event store
 * than {@code ordersaga.admission.max-saga-lag} — a new order is refused with {@code 503} and {@code Retry-After} before
 * anything is stored, instead of being taken on and left to wait for minutes. What was accepted is never dropped.
 * The load is read at most every {@code ordersaga.admission.refresh}.
 */
@Component
@EnableConfigurationProperties(Admission.Bounds.class)
public class Admission {

    /**
     * {@code ordersaga.admission.*}: at most this many orders in progress ({@code max-open-orders}) and this many events
     * of the saga's processor behind the event store ({@code max-saga-lag}); the {@code Retry-After} of a refusal; how
     * often the load is read ({@code refresh}).
     */
    @ConfigurationProperties("ordersaga.admission")
    public record Bounds(@DefaultValue("20000") long maxOpenOrders, @DefaultValue("20000") long maxSagaLag,
                         @DefaultValue("5s") Duration retryAfter, @DefaultValue("250ms") Duration refresh) {
    }

    /** What the bounds are checked against. {@code sagaLag} is empty where this instance runs no saga segment. */
    record Load(long openOrders, OptionalLong sagaLag, Instant readAt) {
    }

    private final OrderQueries queries;
    private final ProcessorLagMetrics lag;
    private final Clock clock;
    private final Bounds bounds;
    private volatile Load load;

    public Admission(OrderQueries queries, ProcessorLagMetrics lag, Clock clock, Bounds bounds) {
        this.queries = queries;
        this.lag = lag;
        this.clock = clock;
        this.bounds = bounds;
    }

    /** Why a new order cannot be taken now; empty when it can. */
    public Optional<String> refusal() {
        Load now = currentLoad();
        if (now.openOrders() >= bounds.maxOpenOrders()) {
            return Optional.of(now.openOrders() + " orders are in progress (at most " + bounds.maxOpenOrders() + ")");
        }
        if (now.sagaLag().isPresent() && now.sagaLag().getAsLong() >= bounds.maxSagaLag()) {
            return Optional.of("the order saga is " + now.sagaLag().getAsLong() + " events behind (at most "
                    + bounds.maxSagaLag() + ")");
        }
        return Optional.empty();
    }

    public Duration retryAfter() {
        return bounds.retryAfter();
    }

    private Load currentLoad() {
        Load last = load;
        Instant now = clock.instant();
        if (last == null || Duration.between(last.readAt(), now).compareTo(bounds.refresh()) >= 0) {
            last = new Load(queries.countOpen(), lag.lag(OrderSaga.PROCESSING_GROUP), now);
            load = last;
        }
        return last;
    }
}
