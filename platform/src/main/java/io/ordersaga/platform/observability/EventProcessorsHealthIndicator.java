package io.ordersaga.platform.observability;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The event processors in health: {@code DOWN} when one of them is in error (a handler keeps failing on an event:
 * the processor retries it and goes no further, so whatever it feeds — the saga, a projection — stands still).
 * Details per processor: running, error, the segments this instance works on, their position, and whether they
 * replay. A processor that runs on another instance of the service shows no segments here.
 */
public class EventProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final EventProcessingConfiguration processing;

    public EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        super("Event processors health check failed");
        this.processing = processing;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        Map<String, Object> details = new TreeMap<>();
        for (EventProcessor processor : processing.eventProcessors().values()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("running", processor.isRunning());
            detail.put("error", processor.isError());
            healthy &= !processor.isError();
            if (processor instanceof StreamingEventProcessor streaming) {
                Map<String, Object> segments = new TreeMap<>();
                for (EventTrackerStatus status : streaming.processingStatus().values()) {
                    Map<String, Object> segment = new LinkedHashMap<>();
                    position(status.getTrackingToken()).ifPresent(position -> segment.put("position", position));
                    segment.put("caughtUp", status.isCaughtUp());
                    segment.put("replaying", status.isReplaying());
                    if (status.isErrorState()) {
                        healthy = false;
                        segment.put("error", String.valueOf(status.getError()));
                    }
                    segments.put(String.valueOf(status.getSegment().getSegmentId()), segment);
                }
                detail.put("segments", segments);
            }
            details.put(processor.getName(), detail);
        }
        (healthy ? builder.up() : builder.down()).withDetails(details);
    }

    private static OptionalLong position(TrackingToken token) {
        return token == null ? OptionalLong.empty() : token.position();
    }
}
