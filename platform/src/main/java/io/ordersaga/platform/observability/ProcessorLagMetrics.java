package io.ordersaga.platform.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * {@code ordersaga.processor.lag}: how many events each streaming processor of this instance is behind the head of
 * the event store (the furthest-behind segment it works on; not reported while it works on none). Axon's own
 * {@code eventProcessor.latency} gives the same in time. Registered once the application is ready: the processors
 * exist only once Axon has started.
 */
public class ProcessorLagMetrics {

    private static final Duration HEAD_CACHE = Duration.ofSeconds(1);

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final MeterRegistry registry;
    private final Clock clock;
    private Instant headReadAt = Instant.MIN;
    private long head;

    public ProcessorLagMetrics(EventProcessingConfiguration processing, EventStore eventStore, MeterRegistry registry,
                               Clock clock) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.registry = registry;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder("ordersaga.processor.lag", streaming, this::lag)
                        .description("Events between the head of the event store and this processor's position")
                        .baseUnit("events")
                        .tag("processor", name)
                        .register(registry);
            }
        });
    }

    /**
     * How many events the named processor is behind the head of the event store, in the segments this instance
     * processes; empty when it processes none here (or has no such processor).
     */
    public OptionalLong lag(String processorName) {
        return processing.eventProcessor(processorName, StreamingEventProcessor.class)
                .map(this::lag)
                .filter(lag -> !lag.isNaN())
                .map(lag -> OptionalLong.of(lag.longValue()))
                .orElse(OptionalLong.empty());
    }

    private double lag(StreamingEventProcessor processor) {
        long slowest = Long.MAX_VALUE;
        for (EventTrackerStatus status : processor.processingStatus().values()) {
            TrackingToken token = status.getTrackingToken();
            slowest = Math.min(slowest, token == null ? -1 : token.position().orElse(-1));
        }
        return slowest == Long.MAX_VALUE ? Double.NaN : Math.max(0, head() - slowest);
    }

    /** The head's position, read at most once a second whatever the number of processors and scrapes. */
    private synchronized long head() {
        Instant now = clock.instant();
        if (Duration.between(headReadAt, now).compareTo(HEAD_CACHE) >= 0) {
            head = eventStore.createHeadToken().position().orElse(-1);
            headReadAt = now;
        }
        return head;
    }
}
