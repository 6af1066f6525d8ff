package io.ordersaga.order.metrics;

import io.ordersaga.order.query.OrderProjection;
import io.ordersaga.order.query.OrderQueries;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.order.events.OrderEvents;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The orders' own metrics, counted from the events of every service as they are stored:
 * <ul>
 *   <li>{@code ordersaga.orders.placed}, {@code ordersaga.orders.ended{outcome=completed|cancelled}}</li>
 *   <li>{@code ordersaga.order.completion{outcome}}: from placed to completed or cancelled, a histogram</li>
 *   <li>{@code ordersaga.step.attempts{step,outcome=succeeded|rejected|failed}}: each attempt of a saga step by how it
 *       ended; {@code ordersaga.step.failures{step,error}} the failed ones by error, {@code ordersaga.step.retries{step}},
 *       {@code ordersaga.step.given.up{step}}</li>
 *   <li>{@code ordersaga.compensations.started}</li>
 * </ul>
 * It runs on the order projection's processor (all events of one order, in order; no processor of its own to keep a
 * position for) and counts an event once its batch is committed, so a batch that is retried is not counted twice. The
 * counters start at zero with the process, as Prometheus expects; what happened before is in the event store.
 */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderMetrics {

    /**
     * Histogram buckets an operator can read: a fault-free order ends well under a second, a retried one within
     * seconds, one held by a repeating fault in minutes.
     */
    static final Duration[] COMPLETION_BUCKETS = Stream.of("PT0.25S", "PT0.5S", "PT1S", "PT2.5S", "PT5S", "PT10S",
            "PT30S", "PT1M", "PT2M", "PT5M", "PT10M", "PT30M", "PT1H").map(Duration::parse).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final OrderQueries orders;
    private final ObjectMapper json;

    public OrderMetrics(MeterRegistry registry, OrderQueries orders,
                        @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.registry = registry;
        this.orders = orders;
        this.json = json;
    }

    @EventHandler
    void on(OrderScoped event, EventMessage<?> message) {
        OrderEvents.Meaning meaning = OrderEvents.of(message.getPayloadType().getName(), json.valueToTree(event));
        String step = meaning.step() == null ? "none" : meaning.step().name();
        switch (meaning.outcome()) {
            case PLACED -> afterCommit(() -> registry.counter("ordersaga.orders.placed").increment());
            case SUCCEEDED, REJECTED -> afterCommit(() -> attempt(step, meaning.outcome()));
            case ATTEMPT_FAILED -> {
                String error = message.getPayload() instanceof StepAttemptFailedEvent failed
                        && failed.error() != null ? failed.error() : "unknown";
                afterCommit(() -> {
                    attempt(step, meaning.outcome());
                    registry.counter("ordersaga.step.failures", "step", step, "error", error).increment();
                });
            }
            case RETRY_SCHEDULED -> afterCommit(() -> registry.counter("ordersaga.step.retries", "step", step)
                    .increment());
            case GIVEN_UP -> afterCommit(() -> registry.counter("ordersaga.step.given.up", "step", step).increment());
            case COMPENSATION_STARTED -> afterCommit(() -> registry.counter("ordersaga.compensations.started")
                    .increment());
            case COMPLETED, CANCELLED -> {
                String outcome = meaning.outcome().name().toLowerCase(Locale.ROOT);
                Duration took = orders.placedAt(event.orderId())
                        .map(placed -> Duration.between(placed, message.getTimestamp())).orElse(null);
                afterCommit(() -> {
                    registry.counter("ordersaga.orders.ended", "outcome", outcome).increment();
                    if (took != null) {
                        completion(outcome).record(took);
                    }
                });
            }
            case OPERATOR -> afterCommit(() -> registry.counter("ordersaga.operator.actions", "action",
                    meaning.type().replace("Event", "")).increment());
            case RECORDED, ALARM -> {
                // facts after the saga (stock committed) are not steps
            }
        }
    }

    private void attempt(String step, OrderEvents.Outcome outcome) {
        String result = switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case REJECTED -> "rejected";
            default -> "failed";
        };
        registry.counter("ordersaga.step.attempts", "step", step, "outcome", result).increment();
    }

    private Timer completion(String outcome) {
        return Timer.builder("ordersaga.order.completion")
                .description("Time from an order placed to completed or cancelled")
                .tag("outcome", outcome)
                .serviceLevelObjectives(COMPLETION_BUCKETS)
                .register(registry);
    }

    private static void afterCommit(Runnable count) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> count.run());
        } else {
            count.run();
        }
    }
}
